/** Which C library this Bun runs on, for the few tests whose expectation is the C library's. */
import { readFileSync } from "node:fs";

/**
 * True when this Bun runs on musl: Alpine's ld-musl, or Debian's musl as scripts/lib/musl-bun.sh
 * loads it (…/x86_64-linux-musl/libc.so), is mapped into it.
 */
export function onMusl(): boolean {
  return /ld-musl|linux-musl\/libc\.so/.test(readFileSync("/proc/self/maps", "utf8"));
}
