/**
 * The FFI binding of the runtime bun-wait4 runs on, made on its first use, so importing does
 * not load `bun:ffi` (docs/DESIGN.md §3.1). Only Bun's exists today; a second (Node's
 * `node:ffi`) would be chosen here, and nothing else would change.
 */
import type { FfiBinding } from "./binding.ts";
import { bunBinding } from "./bun.ts";

let binding: FfiBinding | undefined;

/** The running runtime's FFI. */
export function ffi(): FfiBinding {
  binding ??= bunBinding();
  return binding;
}
