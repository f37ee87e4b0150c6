/** The `bun:ffi` binding: the only file in bun-wait4 that loads `bun:ffi`. */
import type { FFIFunction } from "bun:ffi";
import type { CFunction, FfiBinding } from "./binding.ts";
import type { SymbolTable } from "./symbols.ts";

/**
 * The binding over `bun:ffi`, which this loads. A builtin: no file is read, so it loads even
 * when the descriptor table is full. bun:ffi accepts the type names of `symbols.ts` ("i32",
 * "ptr", …) as they are.
 */
export function bunBinding(): FfiBinding {
  const { dlopen, ptr, read } = require("bun:ffi") as typeof import("bun:ffi");
  return {
    open(paths: readonly string[], symbols: SymbolTable) {
      let last: unknown = new Error("bun-wait4: no library path to open");
      for (const path of paths) {
        try {
          return dlopen(path, symbols as Record<string, FFIFunction>).symbols as Record<string, CFunction>;
        } catch (error) {
          last = error;
        }
      }
      throw last;
    },
    addressOf: (buffer) => ptr(buffer),
    readI32: (address, offset) => read.i32(address as Parameters<typeof read.i32>[0], offset),
  };
}
