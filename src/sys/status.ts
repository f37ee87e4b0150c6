/**
 * The W* status functions, `waitstatus_to_exitcode` and a typed decode, for the running
 * platform. The bit rules themselves are data in `src/abi/<os>.ts`.
 */
import { signalName } from "./signals.ts";
import type { StatusRules } from "../abi/types.ts";
import { checkInt32, InvalidStatusError } from "../errors/arguments.ts";
import { libc } from "../ffi/load.ts";

/**
 * The running C library's rules. Until first used, a stand-in whose first read asks the C
 * library which it is (`libc.abi`) and puts its rules here in its place, so later calls read
 * them directly; where nothing is supported that read throws UnsupportedPlatformError.
 */
let rules: StatusRules = new Proxy({} as StatusRules, {
  get: (_, name) => (rules = libc.abi.status)[name as keyof StatusRules],
});

/** True if the process exited normally (by `exit()` or returning from `main`). */
export function WIFEXITED(status: number): boolean {
  checkInt32(status, "status");
  return rules.WIFEXITED(status);
}

/** The exit code (0–255) of a process for which `WIFEXITED(status)` is true. */
export function WEXITSTATUS(status: number): number {
  checkInt32(status, "status");
  return rules.WEXITSTATUS(status);
}

/** True if the process was ended by a signal. */
export function WIFSIGNALED(status: number): boolean {
  checkInt32(status, "status");
  return rules.WIFSIGNALED(status);
}

/** The number of the signal that ended a process for which `WIFSIGNALED(status)` is true. */
export function WTERMSIG(status: number): number {
  checkInt32(status, "status");
  return rules.WTERMSIG(status);
}

/** True if a process ended by a signal left a core dump. */
export function WCOREDUMP(status: number): boolean {
  checkInt32(status, "status");
  return rules.WCOREDUMP(status);
}

/** True if the process is stopped (reported only with `WUNTRACED`, or while traced). */
export function WIFSTOPPED(status: number): boolean {
  checkInt32(status, "status");
  return rules.WIFSTOPPED(status);
}

/** The number of the signal that stopped a process for which `WIFSTOPPED(status)` is true. */
export function WSTOPSIG(status: number): number {
  checkInt32(status, "status");
  return rules.WSTOPSIG(status);
}

/** True if a stopped process was resumed by SIGCONT (reported only with `WCONTINUED`). */
export function WIFCONTINUED(status: number): boolean {
  checkInt32(status, "status");
  return rules.WIFCONTINUED(status);
}

/**
 * CPython's `os.waitstatus_to_exitcode` for a given rule set: the exit code, or the
 * negated signal number. Throws where CPython raises ValueError.
 */
export function exitCodeWith(rules: StatusRules, status: number): number {
  if (rules.WIFEXITED(status)) {
    const code = rules.WEXITSTATUS(status);
    if (code < 0) throw new InvalidStatusError(`invalid WEXITSTATUS: ${code}`);
    return code;
  }
  if (rules.WIFSIGNALED(status)) {
    const signal = rules.WTERMSIG(status);
    if (signal <= 0) throw new InvalidStatusError(`invalid WTERMSIG: ${signal}`);
    return -signal;
  }
  if (rules.WIFSTOPPED(status)) {
    throw new InvalidStatusError(`process stopped by delivery of signal ${rules.WSTOPSIG(status)}`);
  }
  throw new InvalidStatusError(`invalid wait status: ${status}`);
}

/**
 * Turns a wait status into an exit code, as CPython's `os.waitstatus_to_exitcode`:
 * the exit code if the process exited, `-signal` if a signal ended it.
 *
 * @throws RangeError (`ERR_INVALID_ARG_VALUE`) for a stopped process or an invalid status.
 * @example
 * const [, status] = waitpid(pid, 0);
 * process.exitCode = waitstatus_to_exitcode(status); // 3, or -9 after SIGKILL
 */
export function waitstatus_to_exitcode(status: number): number {
  checkInt32(status, "status");
  return exitCodeWith(rules, status);
}

/** How a process ended, or changed state, decoded from a wait status. */
export type ProcessState =
  | { kind: "exited"; code: number }
  | { kind: "signaled"; signal: number; signalName: string | undefined; coreDumped: boolean }
  | { kind: "stopped"; signal: number; signalName: string | undefined }
  | { kind: "continued" };

/** `decodeStatus` for a given rule set. */
function decodeWith(rules: StatusRules, status: number): ProcessState {
  // A word is at most one of these on every platform; continued first, as macOS's rules read.
  if (rules.WIFCONTINUED(status)) return { kind: "continued" };
  if (rules.WIFEXITED(status)) return { kind: "exited", code: rules.WEXITSTATUS(status) };
  if (rules.WIFSIGNALED(status)) {
    const signal = rules.WTERMSIG(status);
    return { kind: "signaled", signal, signalName: signalName(signal), coreDumped: rules.WCOREDUMP(status) };
  }
  if (rules.WIFSTOPPED(status)) {
    const signal = rules.WSTOPSIG(status);
    return { kind: "stopped", signal, signalName: signalName(signal) };
  }
  throw new InvalidStatusError(`invalid wait status: ${status}`);
}

/**
 * Decodes a wait status into one of four states, for code that would rather `switch`
 * than call the W* macros.
 *
 * @throws RangeError (`ERR_INVALID_ARG_VALUE`) for a word no process state produces.
 * @example
 * const state = decodeStatus(waitpid(pid, WUNTRACED)[1]);
 * switch (state.kind) {
 *   case "exited": console.log("exit code", state.code); break;
 *   case "signaled": console.log("killed by", state.signalName, state.coreDumped ? "(core dumped)" : ""); break;
 *   case "stopped": console.log("stopped by", state.signalName); break;
 *   case "continued": console.log("continued"); break;
 * }
 */
export function decodeStatus(status: number): ProcessState {
  checkInt32(status, "status");
  return decodeWith(rules, status);
}
