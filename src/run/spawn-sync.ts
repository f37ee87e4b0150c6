/**
 * `spawnSync()`: a drop-in for `Bun.spawnSync`, with the command's own peak memory and
 * run()'s result. Nothing of this process runs meanwhile (no timer, no microtask): one poll(2)
 * loop feeds stdin, reads stdout and stderr, and (where a deadline or a kill depends on it) watches
 * the child's exit through a pidfd.
 */
import { closeSync, readSync, writeSync } from "node:fs";
import { constants } from "node:os";
import { bunStartError } from "../errors/bun-start-error.ts";
import { pidfd_open } from "../sys/pidfd.ts";
import { pollMany } from "../sys/process.ts";
import type { Rusage } from "../sys/rusage.ts";
import { signalName as nameOf } from "../sys/signals.ts";
import { wait4 } from "../sys/wait.ts";
import { WNOHANG } from "../sys/constants.ts";
import { signalAfterExecSync } from "./handoff.ts";
import { isLookupError, launch, type Launched } from "./launch.ts";
import { ResourceUsage } from "./resource-usage.ts";
import { buildResult, type RunResult } from "./result.ts";
import { launchRequest, type PeakOption } from "./spawn.ts";
import { readSpawnArgs, type InputSpec } from "./spawn-options.ts";
import { SpawnArgTypeError } from "../errors/arguments.ts";

/** Bun's SyncSubprocess, with run()'s result for the same child. */
export type SpawnedSyncSubprocess<Out extends Bun.SpawnOptions.Readable = Bun.SpawnOptions.Readable, Err extends Bun.SpawnOptions.Readable = Bun.SpawnOptions.Readable> =
  Bun.SyncSubprocess<Out, Err> & {
    /** How it ended and what it cost, as run() reports it. */
    readonly result: RunResult;
  };

/** How much is written to stdin per poll: POSIX promises room for PIPE_BUF (4096) when a pipe polls writable. */
const WRITE_STEP = 4096;
const READ_SIZE = 64 * 1024;
/** What each read lands in before its bytes are copied out: one for every call, as no call runs inside another. */
const readBuffer = Buffer.allocUnsafeSlow(READ_SIZE);
/** Without a pidfd (an old kernel, a seccomp filter), the exit is looked for this often (ms). */
const EXIT_LOOK_MS = 5;

/** stdin bytes known now: an ArrayBufferView, or a Blob/Response/Request whose body is already in memory. */
function inputBytes(spec: InputSpec): Uint8Array | undefined {
  if (spec.kind === "bytes") return spec.bytes;
  if (spec.kind !== "body") return undefined;
  const peeked: unknown = Bun.peek(spec.body.arrayBuffer());
  if (peeked instanceof ArrayBuffer) return new Uint8Array(peeked);
  if (peeked instanceof Promise) peeked.catch(() => {});
  throw new SpawnArgTypeError("'stdin' body cannot be used in sync mode: its data is not in memory (read it first, or use spawn())");
}

/** The signal's name as Bun gives it in signalCode, or its number where it has none. */
function signalCodeOf(signal: number): NodeJS.Signals | number {
  const name = nameOf(signal);
  return name !== undefined && name in constants.signals ? (name as NodeJS.Signals) : signal;
}

/**
 * Runs a command to its end as `Bun.spawnSync` does — same arguments, same result — and on
 * Linux from a small process, so that `resourceUsage.maxRSS` is the command's own peak memory.
 * Beyond Bun: `.result` (run()'s `RunResult`) and the `peak` option.
 *
 * `signal` is refused unless already aborted (then the call throws an AbortError, as Bun's):
 * during the call no timer of this process runs, so an abort could never be seen (use
 * `timeout`, or `spawn()`).
 *
 * @throws what Bun.spawnSync throws for the same bad arguments (class and code), ENOENT for a
 *   missing program or cwd, ENOTDIR, EISDIR.
 * @example
 * import { spawnSync } from "bun-wait4";
 * const r = spawnSync(["sh", "-c", "echo hi; exit 3"]);
 * r.exitCode;                 // 3
 * r.stdout.toString();        // "hi\n"
 * r.resourceUsage.maxRSS;     // the shell's own peak, in bytes
 */
export function spawnSync<
  const In extends Bun.SpawnOptions.Writable = "ignore",
  const Out extends Bun.SpawnOptions.Readable = "pipe",
  const Err extends Bun.SpawnOptions.Readable = "pipe",
>(options: Bun.SpawnOptions.SpawnSyncOptions<In, Out, Err> & PeakOption & { cmd: string[]; onExit?: never }): SpawnedSyncSubprocess<Out, Err>;
export function spawnSync<
  const In extends Bun.SpawnOptions.Writable = "ignore",
  const Out extends Bun.SpawnOptions.Readable = "pipe",
  const Err extends Bun.SpawnOptions.Readable = "pipe",
>(cmds: string[], options?: Bun.SpawnOptions.SpawnSyncOptions<In, Out, Err> & PeakOption): SpawnedSyncSubprocess<Out, Err>;
export function spawnSync(first: unknown, second?: unknown): SpawnedSyncSubprocess {
  const request = readSpawnArgs(first, second, true);
  const input = inputBytes(request.stdin);
  let launched: Launched;
  try {
    launched = launch(launchRequest(request));
  } catch (error) {
    throw bunStartError(error, request.argv[0]!, isLookupError(error) ? "lookup" : "start");
  }
  const { pid } = launched;
  const [inEnd, outEnd, errEnd] = launched.ends;
  const open = { in: inEnd, out: outEnd, err: errEnd } as { in?: number; out?: number; err?: number };
  const close = (which: "in" | "out" | "err") => {
    const fd = open[which];
    open[which] = undefined;
    if (fd !== undefined) closeSync(fd);
  };
  if (input === undefined) close("in"); // "pipe" without data: end-of-file at once
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  const kept = { out: 0, err: 0 };
  let written = 0;
  // The exit is watched as it happens only where something depends on when it comes (a
  // deadline, or a kill to follow up); otherwise the child is reaped once its pipes have ended,
  // as it must be for Bun's result anyway (a pidfd per call costs two system calls and a poll).
  let exitWatched = false;
  let pidfd = -1;
  const watchExit = () => {
    if (exitWatched) return;
    exitWatched = true;
    try {
      pidfd = pidfd_open(pid);
    } catch {} // no pidfd (an old kernel, a seccomp filter): looked for every EXIT_LOOK_MS
  };
  let reaped: { status: number; rusage: Rusage } | undefined;
  let reason: "timeout" | "maxBuffer" | undefined;
  const deadline = request.timeout === undefined ? Infinity : launched.startedAt + request.timeout;
  if (deadline !== Infinity) watchExit();
  const stop = (why: "timeout" | "maxBuffer") => {
    if (reason !== undefined || reaped !== undefined) return;
    reason = why;
    watchExit();
    signalAfterExecSync(pid, pid, request.killSignal, launched.handedOver);
  };
  const reap = (options: number) => {
    const [got, status, rusage] = wait4(pid, options);
    if (got === pid) reaped = { status, rusage };
  };
  try {
    for (;;) {
      // Once it has been reaped after a timeout or maxBuffer, a grandchild holding a pipe open is not waited for.
      if (reaped !== undefined && (reason !== undefined || (open.out === undefined && open.err === undefined))) break;
      const watched: { fd: number; write: boolean; on: "in" | "out" | "err" | "exit" }[] = [];
      if (open.in !== undefined) watched.push({ fd: open.in, write: true, on: "in" });
      if (open.out !== undefined) watched.push({ fd: open.out, write: false, on: "out" });
      if (open.err !== undefined) watched.push({ fd: open.err, write: false, on: "err" });
      if (reaped === undefined && pidfd !== -1) watched.push({ fd: pidfd, write: false, on: "exit" });
      const now = performance.now();
      if (now >= deadline && reason === undefined) {
        if (reaped === undefined) stop("timeout");
        else {
          reason = "timeout"; // the child is gone and a grandchild holds a pipe: the wait ends here, as Bun's does
          continue;
        }
      }
      let wait = deadline === Infinity || reason !== undefined ? -1 : Math.max(0, deadline - now);
      if (reaped !== undefined && reason === undefined && deadline !== Infinity) wait = Math.max(0, deadline - now);
      const lookForExit = exitWatched && reaped === undefined && pidfd === -1;
      if (lookForExit) wait = wait < 0 ? EXIT_LOOK_MS : Math.min(wait, EXIT_LOOK_MS);
      const events = watched.length === 0 ? [] : pollMany(watched, wait);
      if (watched.length === 0 && reaped === undefined) reap(0);
      watched.forEach((w, i) => {
        if (events[i] === 0) return;
        if (w.on === "exit") return reap(WNOHANG);
        if (w.on === "in") {
          try {
            written += writeSync(w.fd, input!, written, Math.min(WRITE_STEP, input!.length - written));
          } catch {
            written = input!.length; // EPIPE: the child stopped reading
          }
          if (written >= input!.length) close("in");
          return;
        }
        const n = readSync(w.fd, readBuffer, 0, READ_SIZE, null);
        if (n === 0) return close(w.on);
        chunks[w.on].push(Buffer.from(readBuffer.subarray(0, n)));
        kept[w.on] += n;
        if (request.maxBuffer !== undefined && kept[w.on] > request.maxBuffer) {
          stop("maxBuffer");
          close(w.on); // what came is kept; no more is read
        }
      });
      if (lookForExit) reap(WNOHANG);
    }
  } finally {
    close("in");
    close("out");
    close("err");
    if (pidfd !== -1) closeSync(pidfd);
    if (reaped === undefined) {
      try {
        process.kill(pid, constants.signals.SIGKILL);
      } catch {}
      reap(0);
    }
  }
  const wallSeconds = (performance.now() - launched.startedAt) / 1000;
  const result = buildResult({
    command: [...request.argv],
    pid,
    status: reaped!.status,
    rusage: reaped!.rusage,
    wallSeconds,
    peakRssIsOwn: launched.own,
    peakNote: launched.note,
    timedOut: reason === "timeout",
    canceled: false,
    escalated: false,
  });
  const piped = (spec: { kind: string }, which: "out" | "err") => (spec.kind === "pipe" ? Buffer.concat(chunks[which]) : undefined);
  const sync: Record<string, unknown> = {
    exitCode: result.exitCode,
    signalCode: result.signal === null ? null : signalCodeOf(result.signal),
    stdout: piped(request.stdout, "out"),
    stderr: piped(request.stderr, "err"),
    success: result.exitCode === 0,
    resourceUsage: new ResourceUsage(reaped!.rusage),
    pid,
  };
  if (request.timeout !== undefined) sync.exitedDueToTimeout = reason === "timeout";
  if (request.maxBuffer !== undefined) sync.exitedDueToMaxBuffer = reason === "maxBuffer";
  sync.result = result;
  return sync as unknown as SpawnedSyncSubprocess;
}
