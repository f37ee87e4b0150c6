/**
 * wait, waitpid, wait3, wait4, waitid, pidfd_open and getrusage: CPython's names,
 * argument order and results, errors shaped like Bun's.
 */
import { RUSAGE_ALLOC, SIGINFO_ALLOC } from "./abi/types.ts";
import { ERRNO_MESSAGES } from "./errno-messages.ts";
import { checkInt32, checkInteger, errnoName, INT32_MAX, SystemError } from "./errors.ts";
import { libc, runningAbi } from "./libc.ts";
import { rusageReader, zeroRusage, type Rusage } from "./rusage.ts";

const EINTR = 4; // the same on Linux, macOS and FreeBSD (asm-generic/errno-base.h, sys/errno.h)

// One set of buffers, each over its own ArrayBuffer and passed to C as the typed array
// itself. JS is single-threaded per isolate, and no call below re-enters another.
const statusBuf = new Int32Array(new ArrayBuffer(8));
const rusageMemory = new ArrayBuffer(RUSAGE_ALLOC);
const rusageI32 = new Int32Array(rusageMemory);
const rusageU32 = new Uint32Array(rusageMemory);
const siginfoMemory = new ArrayBuffer(SIGINFO_ALLOC);
const siginfoI32 = new Int32Array(siginfoMemory);
const siginfoU32 = new Uint32Array(siginfoMemory);

const readRusage = rusageReader(runningAbi?.layouts ?? { timevalUsecBytes: 8 });
const siginfo = runningAbi?.layouts ?? { si_pid: 16, si_uid: 20, si_signo: 0, si_status: 24, si_code: 8 };
const SI_PID = siginfo.si_pid >> 2;
const SI_UID = siginfo.si_uid >> 2;
const SI_SIGNO = siginfo.si_signo >> 2;
const SI_STATUS = siginfo.si_status >> 2;
const SI_CODE = siginfo.si_code >> 2;

/** Builds the error for a failed call from the current errno. */
export function lastError(syscall: string, errnum: number = libc.errno(), path?: string): SystemError {
  let description = ERRNO_MESSAGES[errnoName(errnum)];
  if (description === undefined) {
    const text = libc.strerror(errnum);
    description = text.charAt(0).toLowerCase() + text.slice(1);
  }
  return new SystemError(errnum, syscall, description, path);
}

/**
 * Waits for a child to change state and reports what it used, as CPython's `os.wait4`.
 *
 * `pid` > 0 waits for that child; -1 for any child; 0 for any child in the caller's
 * process group; < -1 for any child in group `-pid`. `options` is 0 or an OR of
 * `WNOHANG`, `WUNTRACED`, `WCONTINUED`.
 *
 * Returns `[pid, status, rusage]`. With `WNOHANG` and no child ready: `[0, 0, rusage]`
 * with every rusage field 0. Decode `status` with the W* functions or `decodeStatus`.
 *
 * Caution: waiting on -1, 0 or a process group can reap a child that `Bun.spawn` or
 * `Bun.$` owns, and Bun then dies with an uncaught ECHILD. Wait on pids you created.
 *
 * @throws SystemError with `code` "ECHILD" (no such child), "EINVAL" (unknown option bits).
 * @example
 * const pid = posix_spawnp("sleep", ["sleep", "0.1"], process.env);
 * const [, status, usage] = wait4(pid, 0);
 * console.log(WEXITSTATUS(status), usage.ru_maxrss);
 */
export function wait4(pid: number, options: number): [pid: number, status: number, rusage: Rusage] {
  checkInt32(pid, "pid");
  checkInt32(options, "options");
  return waitWithRusage(pid, options, "wait4");
}

function waitWithRusage(pid: number, options: number, syscall: string): [pid: number, status: number, rusage: Rusage] {
  let result: number;
  while ((result = libc.wait4(pid, statusBuf, options, rusageI32)) === -1) {
    const errnum = libc.errno();
    if (errnum !== EINTR) throw lastError(syscall, errnum);
  }
  // The kernel writes neither status nor rusage when WNOHANG finds nothing.
  if (result === 0) return [0, 0, zeroRusage()];
  return [result, statusBuf[0]!, readRusage(rusageI32, rusageU32)];
}

/**
 * `wait4(-1, options)`: waits for any child, as CPython's `os.wait3`.
 * Caution: this can reap children that `Bun.spawn`/`Bun.$` own (see `wait4`).
 */
export function wait3(options: number): [pid: number, status: number, rusage: Rusage] {
  checkInt32(options, "options");
  return waitWithRusage(-1, options, "wait3");
}

/**
 * Waits for a child to change state, as CPython's `os.waitpid`: returns `[pid, status]`,
 * or `[0, 0]` with `WNOHANG` when no child is ready. `pid` means what it means for `wait4`.
 *
 * @throws SystemError "ECHILD" when there is no such child.
 * @example
 * const [, status] = waitpid(pid, 0);
 * if (WIFSIGNALED(status)) console.log("killed by signal", WTERMSIG(status));
 */
export function waitpid(pid: number, options: number): [pid: number, status: number] {
  checkInt32(pid, "pid");
  checkInt32(options, "options");
  let result: number;
  while ((result = libc.wait4(pid, statusBuf, options, null)) === -1) {
    const errnum = libc.errno();
    if (errnum !== EINTR) throw lastError("waitpid", errnum);
  }
  return result === 0 ? [0, 0] : [result, statusBuf[0]!];
}

/**
 * Waits for any child to end, as CPython's `os.wait`: returns `[pid, status]`.
 * Caution: this can reap children that `Bun.spawn`/`Bun.$` own (see `wait4`).
 */
export function wait(): [pid: number, status: number] {
  let result: number;
  while ((result = libc.wait4(-1, statusBuf, 0, null)) === -1) {
    const errnum = libc.errno();
    if (errnum !== EINTR) throw lastError("wait", errnum);
  }
  return [result, statusBuf[0]!];
}

/** What `waitid` reports, as CPython's `os.waitid_result`. */
export interface WaitidResult {
  /** The child's pid. */
  si_pid: number;
  /** The child's real user id. */
  si_uid: number;
  /** Always SIGCHLD. */
  si_signo: number;
  /** The exit code (`CLD_EXITED`) or the signal number (every other `si_code`). */
  si_status: number;
  /** `CLD_EXITED`, `CLD_KILLED`, `CLD_DUMPED`, `CLD_STOPPED`, `CLD_TRAPPED` or `CLD_CONTINUED`. */
  si_code: number;
}

/**
 * Waits for a state change, as CPython's `os.waitid`. `idtype` is `P_PID`, `P_PGID`,
 * `P_ALL` or (Linux) `P_PIDFD`; `options` must include at least one of `WEXITED`,
 * `WSTOPPED`, `WCONTINUED`, and may add `WNOHANG` and `WNOWAIT` (leave the child
 * waitable). Returns null when `WNOHANG` finds nothing.
 *
 * Caution: `P_ALL` and `P_PGID` can reap children that `Bun.spawn`/`Bun.$` own.
 *
 * @throws SystemError "ECHILD" (no such child) or "EINVAL" (bad idtype or options).
 * @example
 * const info = waitid(P_PID, pid, WEXITED | WNOWAIT); // peek, leave it waitable
 * console.log(info?.si_code === CLD_EXITED, info?.si_status);
 */
export function waitid(idtype: number, id: number, options: number): WaitidResult | null {
  checkInt32(idtype, "idtype");
  checkInteger(id, "id", 0, INT32_MAX);
  checkInt32(options, "options");
  siginfoI32.fill(0); // si_pid stays 0 when WNOHANG finds nothing
  while (libc.waitid(idtype, id, siginfoI32, options) === -1) {
    const errnum = libc.errno();
    if (errnum !== EINTR) throw lastError("waitid", errnum);
  }
  const pid = siginfoI32[SI_PID]!;
  if (pid === 0) return null;
  return {
    si_pid: pid,
    si_uid: siginfoU32[SI_UID]!,
    si_signo: siginfoI32[SI_SIGNO]!,
    si_status: siginfoI32[SI_STATUS]!,
    si_code: siginfoI32[SI_CODE]!,
  };
}

/**
 * Opens a file descriptor that refers to process `pid` (Linux ≥ 5.3), as CPython's
 * `os.pidfd_open`. Use it with `waitid(P_PIDFD, fd, …)` or poll it; close it with
 * `fs.closeSync(fd)`. `flags` is 0 or `PIDFD_NONBLOCK`.
 *
 * @throws SystemError "ESRCH" (no such process), "EINVAL" (bad flags), "ENOSYS" (old kernel);
 *   an Error on platforms other than Linux.
 */
export function pidfd_open(pid: number, flags: number = 0): number {
  checkInt32(pid, "pid");
  checkInt32(flags, "flags");
  const fd = libc.pidfd_open(pid, flags);
  if (fd === -1) throw lastError("pidfd_open");
  return fd;
}

/**
 * Resource usage of this process (`RUSAGE_SELF`), its reaped children (`RUSAGE_CHILDREN`)
 * or the calling thread (`RUSAGE_THREAD`, Linux and FreeBSD), as CPython's
 * `resource.getrusage`.
 *
 * @throws SystemError "EINVAL" for an unknown `who`.
 * @example
 * const { ru_utime, ru_maxrss } = getrusage(RUSAGE_SELF);
 */
export function getrusage(who: number): Rusage {
  checkInt32(who, "who");
  if (libc.getrusage(who, rusageI32) === -1) throw lastError("getrusage");
  return readRusage(rusageI32, rusageU32);
}
