/**
 * `spawn()`: a drop-in for `Bun.spawn` whose `resourceUsage().maxRSS` is the command's own peak
 * memory (on Linux, through the hand-off: docs/DESIGN.md §6), with run()'s whole result in
 * `subprocess.result`. The signatures are Bun's (bun-types), plus the `peak` option.
 */
import { bunStartError } from "../errors/bun-start-error.ts";
import { isLookupError, launch, type Launched, type LaunchRequest, type Slot } from "./launch.ts";
import type { PeakMode } from "./peak-modes.ts";
import type { RunResult } from "./result.ts";
import { readSpawnArgs, type SpawnRequest } from "./spawn-options.ts";
import { primeStream } from "./stdio-streams.ts";
import { Subprocess } from "./subprocess.ts";

/** What bun-wait4 adds to Bun's spawn options. */
export interface PeakOption {
  /** How the child is started, which decides what its peak memory figure counts (`run()`'s `peak`; default `"auto"`). */
  peak?: PeakMode;
}

/** Bun's `Subprocess`, with run()'s result for the same child. */
export type SpawnedSubprocess<
  In extends Bun.SpawnOptions.Writable = Bun.SpawnOptions.Writable,
  Out extends Bun.SpawnOptions.Readable = Bun.SpawnOptions.Readable,
  Err extends Bun.SpawnOptions.Readable = Bun.SpawnOptions.Readable,
> = Bun.Subprocess<In, Out, Err> & {
  /** How it ended and what it cost, as run() reports it (exit code XOR signal, JSON-safe figures, its own peak memory). */
  readonly result: Promise<RunResult>;
};

/** The launch of a read request (stdin data and streams go through a pipe). */
export function launchRequest(request: SpawnRequest): LaunchRequest {
  const kind = request.stdin.kind;
  const input: Slot = kind === "bytes" || kind === "body" || kind === "stream" || kind === "primed" ? { kind: "pipe" } : request.stdin;
  return {
    argv: request.argv,
    argv0: request.argv0,
    env: request.env,
    cwd: request.cwd,
    slots: [input, request.stdout, request.stderr, ...request.extra],
    group: request.detached ? "session" : "same",
    execAsBun: true,
    peak: request.peak,
  };
}

/**
 * Starts a command as `Bun.spawn` does — same arguments, same Subprocess — and on Linux from a
 * small process, so that `resourceUsage().maxRSS` is the command's own peak memory, not this
 * process's (Bun's own is never below its spawner's: oven-sh/bun #43305).
 *
 * Beyond Bun: `subprocess.result` (a Promise of run()'s `RunResult`) and the `peak` option.
 * Refused, with a clear error: `ipc`, `serialization`, `onDisconnect`, `terminal`, `lazy`,
 * `cgroup`, `uid`, `gid`, and any option Bun does not have.
 *
 * @throws what Bun.spawn throws for the same bad arguments (class and code), ENOENT for a
 *   missing program or cwd, ENOTDIR, EISDIR for a directory as a file.
 * @example
 * import { spawn } from "bun-wait4";
 * const child = spawn(["python3", "-c", "print(42)"]);
 * console.log(await child.stdout.text());          // "42\n"
 * await child.exited;
 * console.log(child.resourceUsage()!.maxRSS);      // python's own peak, in bytes
 */
export function spawn<
  const In extends Bun.SpawnOptions.Writable = "ignore",
  const Out extends Bun.SpawnOptions.Readable = "pipe",
  const Err extends Bun.SpawnOptions.Readable = "inherit",
>(options: Bun.SpawnOptions.SpawnOptions<In, Out, Err> & PeakOption & { cmd: string[] }): SpawnedSubprocess<In, Out, Err>;
export function spawn<
  const In extends Bun.SpawnOptions.Writable = "ignore",
  const Out extends Bun.SpawnOptions.Readable = "pipe",
  const Err extends Bun.SpawnOptions.Readable = "inherit",
>(cmds: string[], options?: Bun.SpawnOptions.SpawnOptions<In, Out, Err> & PeakOption): SpawnedSubprocess<In, Out, Err>;
export function spawn(first: unknown, second?: unknown): SpawnedSubprocess {
  const request = readSpawnArgs(first, second, false);
  if (request.stdin.kind === "stream") request.stdin = { kind: "primed", primed: primeStream(request.stdin.stream) };
  let launched: Launched;
  try {
    launched = launch(launchRequest(request));
  } catch (error) {
    throw bunStartError(error, request.argv[0]!, isLookupError(error) ? "lookup" : "start");
  }
  return new Subprocess({ launched, request }) as unknown as SpawnedSubprocess;
}
