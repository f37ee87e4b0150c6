/**
 * Memory handed to C: NUL-terminated strings and NULL-terminated `char *` arrays packed into
 * one explicit `ArrayBuffer` (whose storage JSC never moves, docs/DESIGN.md §5.1), and fresh
 * zeroed buffers.
 */
import { PackingError } from "../errors/packing-error.ts";
import { ffi } from "./runtime.ts";

/** The NUL-terminated strings and NULL-terminated `char *` arrays of one C call. */
export interface PackedStrings {
  /** Keep this referenced until C no longer reads the strings. */
  readonly memory: ArrayBuffer;
  /** Address of each string, in the order given. */
  readonly strings: number[];
  /** Address of each `char *[]`, in the order given. */
  readonly arrays: number[];
}

const encoder = new TextEncoder();
const TWO_32 = 0x100000000;

/**
 * Packs `strings` and `arrays` (each becomes a NULL-terminated `char *[]`) into one buffer:
 * the pointer slots first, then the text. The layout is computed from the arguments alone —
 * a UTF-16 code unit never takes more than 3 UTF-8 bytes — and every string and pointer
 * written is checked to lie inside the buffer. Strings must be well-formed and hold no NUL
 * (the callers check: src/sys/spawn-request.ts).
 */
export function packStrings(strings: readonly string[], arrays: readonly (readonly string[])[]): PackedStrings {
  let slots = 0;
  let textBound = 0;
  for (const s of strings) textBound += s.length * 3 + 1;
  for (const a of arrays) {
    slots += a.length + 1;
    for (const s of a) textBound += s.length * 3 + 1;
  }
  const textStart = slots * 8;
  const size = textStart + textBound;
  const memory = new ArrayBuffer(size);
  const u8 = new Uint8Array(memory);
  const u32 = new Uint32Array(memory, 0, slots * 2);
  const base = ffi().addressOf(u8);
  let at = textStart;
  /** Writes `s` and its NUL at `at`; returns its address. */
  const put = (s: string): number => {
    const { read, written } = encoder.encodeInto(s, u8.subarray(at, size - 1));
    if (read !== s.length || at + written + 1 > size) throw new PackingError(`the string at ${at}`);
    const address = base + at;
    at += written + 1; // the NUL after it is already 0
    return address;
  };
  const stringAddresses = strings.map(put);
  const arrayAddresses: number[] = [];
  let slot = 0;
  for (const a of arrays) {
    arrayAddresses.push(base + slot * 8);
    for (const s of a) {
      const address = put(s);
      if (slot >= slots - 1) throw new PackingError(`pointer slot ${slot}`);
      u32[slot * 2] = address % TWO_32; // little-endian on x64 and arm64
      u32[slot * 2 + 1] = Math.floor(address / TWO_32);
      slot++;
    }
    slot++; // the NULL terminator, already zero
  }
  if (slot !== slots) throw new PackingError(`pointer slot ${slot}`);
  return { memory, strings: stringAddresses, arrays: arrayAddresses };
}

/** A fresh zeroed buffer over its own ArrayBuffer (so its address is stable). */
export function stableBytes(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(size));
}
