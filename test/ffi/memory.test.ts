/**
 * packStrings (src/ffi/memory.ts): what C reads back through the packed pointers is exactly the
 * strings given, and input that changes while it is packed is refused with an internal error
 * instead of being written past the buffer (its callers pass snapshots, so this is the last
 * line of defence, exercised here directly).
 */
import { describe, expect, test } from "bun:test";
import { CString, read } from "bun:ffi";
import { packStrings } from "../../src/ffi/memory.ts";

/** The NULL-terminated `char *[]` at `address`, read back as C would. */
function readArray(address: number): string[] {
  const out: string[] = [];
  for (let at = 0; ; at += 8) {
    const p = read.ptr(address as never, at);
    if (p === 0) return out;
    out.push(new CString(p as never).toString());
  }
}

describe("packStrings", () => {
  test("strings and NULL-terminated arrays read back through their pointers, byte for byte", () => {
    const strings = ["/bin/sh", "", "é ü 🚀"];
    const arrays = [["sh", "-c", "echo $0"], [], ["A=1", "LONG=" + "x".repeat(5000)]];
    const packed = packStrings(strings, arrays);
    expect(packed.strings.map((p) => new CString(p as never).toString())).toEqual(strings);
    expect(packed.arrays.map(readArray)).toEqual(arrays);
    // Every address lies inside the one buffer.
    const start = packed.arrays[0]!;
    for (const p of [...packed.strings, ...packed.arrays]) {
      expect(p).toBeGreaterThanOrEqual(start);
      expect(p).toBeLessThan(start + packed.memory.byteLength);
    }
  });

  test("a string that grows after the size was computed is refused, not written past the end", () => {
    let reads = 0;
    const growing = new Proxy(["short"], {
      get(target, key, receiver) {
        if (key === "0" && reads++ > 0) return "x".repeat(10_000);
        return Reflect.get(target, key, receiver);
      },
    });
    expect(() => packStrings([], [growing])).toThrow(/internal error: packStrings would write the string at \d+ outside its buffer/);
  });

  test("an array that gains elements after the size was computed is refused", () => {
    let lengthReads = 0;
    const growing = new Proxy(["a"], {
      get(target, key, receiver) {
        if (key === "length") return lengthReads++ === 0 ? 1 : 3;
        if (key === "1" || key === "2") return "b";
        return Reflect.get(target, key, receiver);
      },
    });
    expect(() => packStrings([], [growing])).toThrow(/internal error: packStrings would write pointer slot \d+ outside its buffer/);
  });
});
