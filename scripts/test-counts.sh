#!/bin/sh
# Usage: test-counts.sh LOG STATUS — prints "N passed, N failed" from bun test's summary
# lines (" N pass" / " N fail") in LOG; a non-zero STATUS with no failure counted is 1 failed.
passed=$(grep -E '^ *[0-9]+ pass$' "$1" | tail -n 1 | grep -Eo '[0-9]+')
failed=$(grep -E '^ *[0-9]+ fail$' "$1" | tail -n 1 | grep -Eo '[0-9]+')
passed=${passed:-0}
failed=${failed:-0}
if [ "$2" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
