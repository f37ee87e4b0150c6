/**
 * Memory handed to C: NUL-terminated strings and NULL-terminated `char *` arrays packed into
 * one explicit `ArrayBuffer` (whose storage JSC never moves), and fresh zeroed buffers.
 */
import { ffi } from "./runtime.ts";

/** The NUL-terminated strings and NULL-terminated `char *` arrays of one C call. */
export interface PackedStrings {
  /** Keep this referenced until the C call returns. */
  readonly memory: ArrayBuffer;
  /** Address of each string, in the order given. */
  readonly strings: number[];
  /** Address of each `char *[]`, in the order given. */
  readonly arrays: number[];
}

const encoder = new TextEncoder();

/**
 * Packs `strings` and `arrays` (each becomes a NULL-terminated `char *[]`) into one
 * explicit ArrayBuffer. Strings must hold no NUL.
 */
export function packStrings(strings: readonly string[], arrays: readonly (readonly string[])[]): PackedStrings {
  const all = [...strings, ...arrays.flat()];
  const bytes = all.map((s) => encoder.encode(s));
  const pointerSlots = arrays.reduce((n, a) => n + a.length + 1, 0);
  const textBytes = bytes.reduce((n, b) => n + b.length + 1, 0);
  const memory = new ArrayBuffer(pointerSlots * 8 + textBytes);
  const u8 = new Uint8Array(memory);
  const u32 = new Uint32Array(memory, 0, pointerSlots * 2);
  const base = ffi.addressOf(u8);
  const addresses: number[] = [];
  let at = pointerSlots * 8;
  for (const b of bytes) {
    u8.set(b, at); // the byte after it is already 0
    addresses.push(base + at);
    at += b.length + 1;
  }
  const arrayAddresses: number[] = [];
  let slot = 0;
  let next = strings.length;
  for (const a of arrays) {
    arrayAddresses.push(base + slot * 8);
    for (let i = 0; i < a.length; i++, slot++) {
      const address = addresses[next++]!;
      u32[slot * 2] = address % 0x100000000; // little-endian on x64 and arm64
      u32[slot * 2 + 1] = Math.floor(address / 0x100000000);
    }
    slot++; // the NULL terminator, already zero
  }
  return { memory, strings: addresses.slice(0, strings.length), arrays: arrayAddresses };
}

/** A fresh zeroed buffer over its own ArrayBuffer (so its address is stable). */
export function stableBytes(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(size));
}
