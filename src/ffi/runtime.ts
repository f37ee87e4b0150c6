/**
 * The FFI binding of the runtime bun-wait4 runs on. Only Bun's exists today; a second
 * (Node's `node:ffi`) would be chosen here, and nothing else would change.
 */
import type { FfiBinding } from "./binding.ts";
import { bunBinding } from "./bun.ts";

/** The running runtime's FFI. */
export const ffi: FfiBinding = bunBinding;
