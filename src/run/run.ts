/**
 * `run(argv, options)`: start a command, wait for it without blocking the event loop, and
 * report how it ended and what it cost — with its own peak memory on Linux (handoff.ts).
 */
import { closeSync, constants as fsConstants, openSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { constants } from "node:os";
import type { Rusage } from "../sys/rusage.ts";
import { posix_spawn } from "../sys/spawn.ts";
import { wait4 } from "../promises.ts";
import { ALL_SIGNALS } from "./forker/shell-process.ts";
import { HandoffRefused, handoffUnavailable, handOver, signalAfterExec, type HandoffStdio } from "./handoff.ts";
import { MaxBufferError } from "./max-buffer-error.ts";
import { checkRunArgs, type CheckedRunOptions, type RunOptions, type Stdio } from "./options.ts";
import { checkDirectory, resolveProgram } from "./resolve.ts";
import { buildResult, type RunResult } from "./result.ts";
import { closePlan, planStdio } from "./stdio.ts";

export type { RunOptions, Stdio, PeakMode } from "./options.ts";
export type { RunResult } from "./result.ts";

const { SIGKILL } = constants.signals;


/** Reads a pipe to its end without blocking, keeping at most `max` bytes (`over()` once past it). */
async function capture(fd: number, max: number, over: () => void): Promise<Uint8Array> {
  const reader = Bun.file(fd).stream().getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let exceeded = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (exceeded) continue; // keep draining so the child is never blocked on a full pipe
      if (kept + value.length > max) {
        chunks.push(value.subarray(0, max - kept));
        kept = max;
        exceeded = true;
        over();
        continue;
      }
      chunks.push(value);
      kept += value.length;
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(kept);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** How the command gets started: handed over (own peak) or directly, and why. */
function chooseMode(o: CheckedRunOptions): { handOver: boolean; own: boolean; note: string | null } {
  const why = handoffUnavailable();
  if (o.peak === "plain") return { handOver: false, own: process.platform !== "linux", note: null };
  if (why === undefined) return { handOver: true, own: true, note: null };
  if (process.platform !== "linux") return { handOver: false, own: true, note: null }; // macOS: no fold-in
  if (o.peak === "own") throw peakUnavailable(why);
  return { handOver: false, own: false, note: plainNote(why) };
}

function plainNote(why: string): string {
  return `started directly (${why}): ru_maxrss includes this process's own peak`;
}

function peakUnavailable(why: string): Error {
  return Object.assign(new Error(`bun-wait4: cannot start the command with its own peak memory: ${why}`), { code: "ERR_BUN_WAIT4_PEAK_UNAVAILABLE" });
}

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

async function start(o: CheckedRunOptions): Promise<RunResult> {
  const cwd = o.cwd === undefined ? undefined : resolvePath(o.cwd);
  if (cwd !== undefined) checkDirectory(cwd);
  const path = resolveProgram(o.argv[0]!, o.env.values[o.env.names.lastIndexOf("PATH")], cwd);
  let mode = chooseMode(o);
  if (mode.handOver) {
    const opened = openFiles(o.stdio, cwd);
    try {
      const handed = handOver({
        argv: o.argv,
        env: o.env,
        cwd,
        stdio: opened.stdio,
        group: o.killTree ? "new" : "same",
        program: path,
      });
      const { stdin, stdout, stderr } = handed.pipes;
      if (stdin !== undefined) closeSync(stdin); // stdin "pipe": end-of-file at once
      return supervise(o, handed.pid, o.killTree ? -handed.group : handed.pid, handed.startedAt, mode, [stdout, stderr]);
    } catch (error) {
      if (!(error instanceof HandoffRefused)) throw error;
      if (o.peak === "own") throw peakUnavailable(error.reason);
      mode = { handOver: false, own: false, note: plainNote(error.reason) };
    } finally {
      for (const fd of opened.files) closeSync(fd);
    }
  }
  const plan = planStdio(o.stdio);
  let pid: number;
  let started: number;
  try {
    const env: Record<string, string> = Object.create(null);
    o.env.names.forEach((name, i) => (env[name] = o.env.values[i]!));
    started = performance.now();
    pid = posix_spawn(path, o.argv, env, {
      file_actions: plan.actions,
      setsigdef: ALL_SIGNALS,
      setsigmask: [],
      cwd,
      setpgroup: o.killTree ? 0 : undefined,
    });
  } catch (error) {
    closePlan(plan);
    throw error;
  }
  for (const fd of plan.afterSpawn) closeSync(fd);
  plan.afterSpawn.length = 0;
  // With killTree, signals go to the child's whole group: its own (plain), or the one the
  // hand-off's shell led (named after the shell, which is gone; a group lives while any
  // member does, and its id is not reused meanwhile).
  return supervise(o, pid, o.killTree ? -pid : pid, started, mode, plan.readers);
}

/**
 * The streams as the hand-off takes them: `{ file }` opened here (relative to the command's
 * directory, as posix_spawn's OPEN after its chdir), so that a file that cannot be opened
 * rejects with its errno before anything starts.
 */
function openFiles(stdio: readonly [Stdio, Stdio, Stdio], cwd: string | undefined): { stdio: [HandoffStdio, HandoffStdio, HandoffStdio]; files: number[] } {
  const files: number[] = [];
  try {
    const mapped = stdio.map((s, target): HandoffStdio => {
      if (typeof s === "string") return s;
      if (typeof s === "number") return { fd: s };
      const flags = target === 0 ? fsConstants.O_RDONLY : fsConstants.O_WRONLY | fsConstants.O_CREAT | (s.append ? fsConstants.O_APPEND : fsConstants.O_TRUNC);
      const fd = openSync(resolvePath(cwd ?? ".", s.file), flags, 0o666);
      files.push(fd);
      return { fd };
    });
    return { stdio: mapped as [HandoffStdio, HandoffStdio, HandoffStdio], files };
  } catch (error) {
    for (const fd of files) closeSync(fd);
    throw error;
  }
}

/** Waits for the child, enforcing timeout, abort and maxBuffer, and builds the result. */
async function supervise(
  o: CheckedRunOptions,
  pid: number,
  target: number,
  started: number,
  mode: { handOver: boolean; own: boolean; note: string | null },
  readers: [number | undefined, number | undefined],
): Promise<RunResult> {
  let exited = false;
  let timedOut = false;
  let canceled = false;
  let escalated = false;
  let overflow: "stdout" | "stderr" | undefined;
  let forceTimer: ReturnType<typeof setTimeout> | undefined;
  const kill = (signal: number) => {
    if (exited) return; // reaped (or about to be): never signal a pid that may be reused
    if (mode.handOver) signalAfterExec(pid, target, signal, () => !exited);
    else {
      try {
        process.kill(target, signal);
      } catch {}
    }
  };
  const stop = () => {
    // After the reap nothing is left to stop, and a forceKillAfter timer started now would
    // only hold the process open (output can overflow maxBuffer after the exit: a grandchild).
    if (exited) return;
    kill(o.killSignal);
    if (o.forceKillAfter !== undefined && forceTimer === undefined) {
      forceTimer = setTimeout(() => {
        if (exited) return;
        escalated = true;
        kill(SIGKILL);
      }, o.forceKillAfter);
    }
  };
  const timer = o.timeout === undefined ? undefined : setTimeout(() => {
    if (exited) return;
    timedOut = true;
    stop();
  }, o.timeout);
  const onAbort = () => {
    if (exited) return;
    canceled = true;
    stop();
  };
  o.signal?.addEventListener("abort", onAbort, { once: true });
  if (o.signal?.aborted) onAbort(); // aborted during the hand-off, before the listener existed
  const captures = readers.map((fd, i) =>
    fd === undefined
      ? undefined
      : capture(fd, o.maxBuffer, () => {
          overflow ??= i === 0 ? "stdout" : "stderr";
          stop();
        }).finally(() => closeSync(fd)),
  );

  let status: number;
  let rusage: Rusage;
  try {
    [, status, rusage] = await wait4(pid);
  } finally {
    exited = true;
    clearTimeout(timer);
    clearTimeout(forceTimer);
    o.signal?.removeEventListener("abort", onAbort);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const [out, err] = await Promise.all(captures);
  const decode = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : o.encoding === "buffer" ? bytes : new TextDecoder().decode(bytes));
  const result = buildResult({
    command: o.argv,
    pid,
    status,
    rusage,
    wallSeconds,
    peakRssIsOwn: mode.own,
    peakNote: mode.note,
    timedOut,
    canceled,
    escalated,
    stdout: decode(out),
    stderr: decode(err),
  });
  if (overflow !== undefined) throw new MaxBufferError(overflow, result);
  return result;
}
