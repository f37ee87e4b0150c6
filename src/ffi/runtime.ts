/**
 * The FFI binding of the runtime bun-wait4 runs on, loaded by its first use: importing
 * `bun:ffi` costs as much as a dozen of our own modules (docs/DESIGN.md §4.5). Only Bun's
 * exists today; a second (Node's `node:ffi`) would be chosen here, and nothing else would change.
 */
import type { FfiBinding } from "./binding.ts";

let binding: FfiBinding | undefined;

/** The running runtime's FFI. */
export function ffi(): FfiBinding {
  binding ??= (require("./bun.ts") as typeof import("./bun.ts")).bunBinding;
  return binding;
}
