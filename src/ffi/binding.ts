/**
 * What bun-wait4 needs from a JavaScript runtime's FFI. `bun.ts` implements it with
 * `bun:ffi`; a `node:ffi` or `Deno.dlopen` binding would be another file implementing the
 * same interface, and nothing above `src/ffi/` would change.
 */
import type { SymbolTable } from "./symbols.ts";

/** A C function as the FFI exposes it: numbers and buffers in, a number (or string) out. */
export type CFunction = (...args: never[]) => unknown;

/** How an FFI loads libraries and touches raw memory. */
export interface FfiBinding {
  /**
   * Opens the first of `paths` that exports every symbol of `symbols` and returns the
   * functions by name; throws the last loader error when none does.
   */
  open(paths: readonly string[], symbols: SymbolTable): Readonly<Record<string, CFunction>>;
  /** The address of a buffer's first byte. Only valid while the buffer's storage cannot move. */
  addressOf(buffer: Int32Array | Uint32Array | Uint8Array): number;
  /** The 32-bit signed integer at `address + offset`. */
  readI32(address: number, offset: number): number;
}
