/** wait4, wait3, waitpid and wait: CPython's names, argument order and results. */
import { checkInt32 } from "../errors/arguments.ts";
import { libc } from "../ffi/load.ts";
import { EINTR, systemError } from "./errno.ts";
import { RusageBuffer, zeroRusage, type Rusage } from "./rusage.ts";

// One set of buffers, each over its own ArrayBuffer and passed to C as the typed array
// itself. JS is single-threaded per isolate, and no call below re-enters another.
const statusBuf = new Int32Array(new ArrayBuffer(8));
let usage: RusageBuffer | undefined;

function waitWithRusage(pid: number, options: number, syscall: string): [pid: number, status: number, rusage: Rusage] {
  let result: number;
  usage ??= new RusageBuffer();
  while ((result = libc.wait4(pid, statusBuf, options, usage.i32)) === -1) {
    const errnum = libc.errno();
    if (errnum !== EINTR) throw systemError(syscall, errnum);
  }
  // The kernel writes neither status nor rusage when WNOHANG finds nothing.
  if (result === 0) return [0, 0, zeroRusage()];
  return [result, statusBuf[0]!, usage.read()];
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
    if (errnum !== EINTR) throw systemError("waitpid", errnum);
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
    if (errnum !== EINTR) throw systemError("wait", errnum);
  }
  return [result, statusBuf[0]!];
}
