/**
 * run() as the package entry exports it: `run.ts` and everything it is built from (the async
 * waits, the hand-off, option checks, node:fs) load on the first call, not when "bun-wait4" is
 * imported (docs/DESIGN.md §3.1). Loading reads files: with no descriptor free, that first call
 * rejects with the loader's EMFILE error.
 */
import { loadingError } from "../errors/run-errors.ts";
import { withStdioTaken } from "../sys/process.ts";
import type { RunOptions } from "./options.ts";
import type { RunResult } from "./result.ts";

export type { RunOptions, Stdio } from "./options.ts";
export type { PeakMode } from "./peak-modes.ts";
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
      loaded = loadKeepingStdio(() => require("./run.ts") as typeof import("./run.ts"));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return loaded.run(argv, options);
}

/**
 * Loads a module with descriptors 0-2 taken (sys/process.ts withStdioTaken): Bun's loader keeps
 * the files it opens, and with stdout closed one of them would become this process's stdout.
 */
function loadKeepingStdio<T>(load: () => T): T {
  try {
    try {
      return withStdioTaken(load);
    } catch (error) {
      // With the only free descriptor being a closed stdio one, holding it leaves the loader none.
      if (!/\bEMFILE\b/.test(String(error))) throw error;
      return load();
    }
  } catch (error) {
    // Bun's loader reports "EMFILE reading <file>" without a code; short of descriptors, the
    // call fails as a spawn would (and the next one loads again).
    if (/\bEMFILE\b/.test(String(error))) throw loadingError("EMFILE");
    if (/\bENFILE\b/.test(String(error))) throw loadingError("ENFILE");
    throw error;
  }
}

let spawnModule: typeof import("./spawn.ts") | undefined;
let spawnSyncModule: typeof import("./spawn-sync.ts") | undefined;

/**
 * Starts a command as `Bun.spawn` does — same arguments, same Subprocess — and on Linux from a
 * small process, so that `resourceUsage().maxRSS` is the command's own peak memory, not this
 * process's. Beyond Bun: `subprocess.result` (run()'s `RunResult`) and the `peak` option. The
 * whole contract is `spawn` in src/run/spawn.ts and the README.
 *
 * @example
 * const child = spawn(["python3", "-c", "print(42)"]);
 * await child.stdout.text(); // "42\n"
 * await child.exited;        // 0
 * child.resourceUsage()!.maxRSS; // python's own peak, in bytes
 */
export const spawn: typeof import("./spawn.ts").spawn = ((first: unknown, second?: unknown) => {
  spawnModule ??= loadKeepingStdio(() => require("./spawn.ts") as typeof import("./spawn.ts"));
  return spawnModule.spawn(first as string[], second as undefined);
}) as typeof import("./spawn.ts").spawn;

/**
 * Runs a command to its end as `Bun.spawnSync` does — same arguments, same result — with the
 * command's own peak memory in `resourceUsage.maxRSS` and run()'s result in `.result`. The whole
 * contract is `spawnSync` in src/run/spawn-sync.ts and the README.
 *
 * @example
 * const r = spawnSync(["sh", "-c", "echo hi; exit 3"]);
 * r.exitCode;          // 3
 * r.stdout.toString(); // "hi\n"
 */
export const spawnSync: typeof import("./spawn-sync.ts").spawnSync = ((first: unknown, second?: unknown) => {
  spawnSyncModule ??= loadKeepingStdio(() => require("./spawn-sync.ts") as typeof import("./spawn-sync.ts"));
  return spawnSyncModule.spawnSync(first as string[], second as undefined);
}) as typeof import("./spawn-sync.ts").spawnSync;
