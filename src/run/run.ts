/**
 * `run(argv, options)`: start a command, wait for it without blocking the event loop, and
 * report how it ended and what it cost — with its own peak memory on Linux (handoff.ts).
 * run() is spawn() and a collection, as Go's Run is Start and Wait: launch.ts starts the
 * command, Subprocess supervises it (timeout, abort, maxBuffer: termination.ts), and run()
 * reads what was piped and waits for the result.
 */
import { resolve as resolvePath } from "node:path";
import { MaxBufferError } from "../errors/run-errors.ts";
import { launch, type Slot } from "./launch.ts";
import { checkRunArgs, type CheckedRunOptions, type RunOptions, type Stdio } from "./options.ts";
import type { RunResult } from "./result.ts";
import type { InputSpec, OutputSpec, SpawnRequest } from "./spawn-options.ts";
import { collect, primeStream } from "./stdio-streams.ts";
import { overflowOf, Subprocess } from "./subprocess.ts";

export type { RunOptions, Stdio } from "./options.ts";
export type { PeakMode } from "./peak-modes.ts";
export type { RunResult } from "./result.ts";

/**
 * Runs `argv` (the program is looked up in the child's PATH) and resolves once it has ended
 * and been reaped: a non-zero exit or a death by signal is a result, not an error. Never blocks
 * the event loop; keeps the process alive until the child is reaped; never leaves the child
 * behind (a timeout or an abort kills it, then reaps it).
 *
 * On Linux the command is started from a small shell by default, so `peakRssBytes` is its own
 * peak memory, not this process's (`peak`, `peakRssIsOwn`). Every signal starts at its default
 * action in the command (none inherited ignored), as Node's and CPython's spawning do.
 *
 * @throws TypeError/RangeError synchronously for bad arguments or options.
 * @returns a Promise that rejects with SystemError ENOENT (program not found) or EACCES (not
 *   executable), with MaxBufferError (`code` ERR_CHILD_PROCESS_STDIO_MAXBUFFER) when captured
 *   output passes `maxBuffer` (the child is killed and reaped; `error.result` has the rest),
 *   and with `signal.reason` when `signal` was already aborted.
 * @example
 * import { run } from "bun-wait4";
 * const r = await run(["python3", "-c", "print('hi')"], { stdout: "pipe", timeout: 5000 });
 * r.exitCode;      // 0
 * r.stdout;        // "hi\n"
 * r.peakRssBytes;  // python's own peak, ~10 MB — not Bun's
 */
export function run(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
  const o = checkRunArgs(argv, options);
  if (o.signal?.aborted) return Promise.reject(o.signal.reason);
  return start(o);
}

/** One of run()'s streams as a launch slot: a `{ file }` relative to the command's directory (posix_spawn's OPEN after its chdir). */
function slotOf(stdio: Stdio, cwd: string | undefined): Slot {
  if (typeof stdio === "string") return { kind: stdio };
  if (typeof stdio === "number") return { kind: "fd", fd: stdio };
  return { kind: "file", path: resolvePath(cwd ?? ".", stdio.file), append: stdio.append };
}

async function start(o: CheckedRunOptions): Promise<RunResult> {
  const cwd = o.cwd === undefined ? undefined : resolvePath(o.cwd);
  const slots = o.stdio.map((s) => slotOf(s, cwd));
  if (o.input !== undefined) slots[0] = { kind: "pipe" };
  const launched = launch({ argv: o.argv, env: o.env, cwd, slots, group: o.killTree ? "new" : "same", peak: o.peak });
  // The Subprocess feeds input (a stdin "pipe" without input ends at once) and supervises.
  const stdin: InputSpec =
    o.input === undefined
      ? o.stdio[0] === "pipe"
        ? { kind: "bytes", bytes: new Uint8Array(0) }
        : { kind: "ignore" }
      : o.input instanceof Uint8Array
        ? { kind: "bytes", bytes: o.input }
        : o.input instanceof Blob
          ? { kind: "body", body: o.input }
          : { kind: "primed", primed: primeStream(o.input) };
  const output = (s: Stdio): OutputSpec => ({ kind: s === "pipe" ? "pipe" : "ignore" });
  const request: SpawnRequest & { forceKillAfter?: number; killGroup?: boolean } = {
    argv: o.argv,
    argv0: undefined,
    env: o.env,
    cwd,
    stdin,
    stdout: output(o.stdio[1]),
    stderr: output(o.stdio[2]),
    extra: [],
    detached: false,
    timeout: o.timeout,
    killSignal: o.killSignal,
    signal: o.signal,
    maxBuffer: o.maxBuffer,
    onExit: undefined,
    peak: o.peak,
    forceKillAfter: o.forceKillAfter,
    killGroup: o.killTree,
  };
  const child = new Subprocess({ launched, request });
  const captured = [child.stdout, child.stderr].map((stream) =>
    stream instanceof ReadableStream ? collect(stream, o.maxBuffer) : Promise.resolve(undefined),
  );
  const result = await child.result;
  const [out, err] = await Promise.all(captured);
  const decode = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : o.encoding === "buffer" ? bytes : new TextDecoder().decode(bytes));
  if (out !== undefined) result.stdout = decode(out);
  if (err !== undefined) result.stderr = decode(err);
  const overflow = overflowOf.get(child);
  if (overflow !== undefined) throw new MaxBufferError(overflow, result);
  return result;
}
