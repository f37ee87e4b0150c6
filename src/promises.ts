/**
 * bun-wait4/promises: `wait4`, `waitpid` and `waitid` that return Promises and never block the
 * event loop (as `node:fs/promises` is to `node:fs`). They take the same arguments as the
 * synchronous functions of `bun-wait4`, plus `{ signal }`, and resolve the same results.
 *
 * @example
 * import { posix_spawnp } from "bun-wait4";
 * import { wait4 } from "bun-wait4/promises";
 *
 * const pid = posix_spawnp("sh", ["sh", "-c", "sleep 0.1; exit 3"], process.env);
 * const [, status, usage] = await wait4(pid);
 * @module
 */
export { wait4, waitpid, waitid, type WaitOptions } from "./async/api.ts";
