/**
 * run() as the package entry exports it: `run.ts` and everything it is built from (the async
 * waits, the hand-off, option checks, node:fs) load on the first call, not when "bun-wait4" is
 * imported (docs/DESIGN.md §3.1). Loading reads files: with no descriptor free, that first call
 * rejects with the loader's EMFILE error.
 */
import type { RunOptions } from "./options.ts";
import type { RunResult } from "./result.ts";

export { MaxBufferError } from "./max-buffer-error.ts";
export type { RunOptions, Stdio, PeakMode } from "./options.ts";
export type { RunResult } from "./result.ts";

let loaded: typeof import("./run.ts") | undefined;

/**
 * Runs `argv` (the program is looked up in the child's PATH) and resolves once it has ended and
 * been reaped, with how it ended and what it cost — on Linux with its own peak memory, not this
 * process's. The whole contract is `run` in src/run/run.ts and the README.
 *
 * @throws TypeError/RangeError synchronously for bad arguments or options.
 * @example
 * const r = await run(["python3", "-c", "print('hi')"], { stdout: "pipe", timeout: 5000 });
 * r.exitCode; // 0
 */
export function run(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
  if (loaded === undefined) {
    try {
      loaded = require("./run.ts") as typeof import("./run.ts");
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return loaded.run(argv, options);
}
