/** What `run()` reports about one command: plain, JSON-safe data a test can assert on. */
import { constants } from "node:os";
import { RU_MAXRSS_BYTES } from "../sys/constants.ts";
import type { Rusage } from "../sys/rusage.ts";
import { signalDescription } from "../sys/signals.ts";
import { decodeStatus, type ProcessState } from "../sys/status.ts";

/** How a command ended and what it cost. Every field is a plain value: `JSON.stringify` shows all. */
export interface RunResult {
  /** The command as run (argv). */
  command: string[];
  pid: number;
  /** How it ended: `{ kind: "exited", code }` or `{ kind: "signaled", signal, signalName, coreDumped }`. */
  state: ProcessState;
  /** The raw wait status. */
  status: number;
  /** The exit code, or null when a signal ended it. Exactly one of `exitCode` and `signal` is set. */
  exitCode: number | null;
  /** The signal that ended it, or null when it exited. */
  signal: number | null;
  /** `"SIGKILL"`, `"SIGRTMIN+3"`…, or null when it exited. */
  signalName: string | null;
  /** `"Killed"`, `"Terminated"`… (glibc's words), or null when it exited. */
  signalDescription: string | null;
  coreDumped: boolean;
  /** The shell's `$?`: the exit code, or 128 + the signal. Beside `signal`, never instead of it. */
  shellExitCode: number;
  /** Wall-clock time from the command's start to its reaping, in seconds. */
  wallSeconds: number;
  /** Its `struct rusage`, as `wait4` reports it (`ru_maxrss` in the platform's unit). */
  rusage: Rusage;
  /** Peak resident set size in bytes on every platform (`ru_maxrss * RU_MAXRSS_BYTES`). */
  peakRssBytes: number;
  /** False where this process's own peak may be folded into the figure (Linux, started directly). */
  peakRssIsOwn: boolean;
  /** Why the command was started directly, when `peak: "auto"` could not hand it over. */
  peakNote: string | null;
  /** The `timeout` elapsed while it was running (it was sent `killSignal`). */
  timedOut: boolean;
  /** The `signal` aborted while it was running (it was sent `killSignal`). */
  canceled: boolean;
  /** It had to be escalated to SIGKILL after `forceKillAfter`, and SIGKILL is what ended it. */
  forced: boolean;
  /** Captured output, when `stdout: "pipe"`. */
  stdout?: string | Uint8Array;
  /** Captured output, when `stderr: "pipe"`. */
  stderr?: string | Uint8Array;
}

/** What run() knew about the run, besides the wait's result. */
export interface RunFacts {
  command: string[];
  pid: number;
  status: number;
  rusage: Rusage;
  wallSeconds: number;
  peakRssIsOwn: boolean;
  peakNote: string | null;
  timedOut: boolean;
  canceled: boolean;
  escalated: boolean;
  stdout?: string | Uint8Array;
  stderr?: string | Uint8Array;
}

/** Builds the result from the facts; the ending comes from the status alone. */
export function buildResult(facts: RunFacts): RunResult {
  const state = decodeStatus(facts.status);
  const signal = state.kind === "signaled" ? state.signal : null;
  const exitCode = state.kind === "exited" ? state.code : null;
  const result: RunResult = {
    command: facts.command,
    pid: facts.pid,
    state,
    status: facts.status,
    exitCode,
    signal,
    signalName: state.kind === "signaled" ? (state.signalName ?? null) : null,
    signalDescription: signal === null ? null : (signalDescription(signal) ?? null),
    coreDumped: state.kind === "signaled" && state.coreDumped,
    shellExitCode: signal === null ? (exitCode ?? 0) : 128 + signal,
    wallSeconds: facts.wallSeconds,
    rusage: facts.rusage,
    peakRssBytes: facts.rusage.ru_maxrss * RU_MAXRSS_BYTES,
    peakRssIsOwn: facts.peakRssIsOwn,
    peakNote: facts.peakNote,
    timedOut: facts.timedOut,
    canceled: facts.canceled,
    forced: facts.escalated && signal === constants.signals.SIGKILL,
  };
  if (facts.stdout !== undefined) result.stdout = facts.stdout;
  if (facts.stderr !== undefined) result.stderr = facts.stderr;
  return result;
}
