/** waitid, as CPython's `os.waitid`. */
import { SIGINFO_ALLOC } from "../abi/types.ts";
import { checkInt32, checkInteger, INT32_MAX } from "../errors/arguments.ts";
import { libc, runningAbi } from "../ffi/load.ts";
import { EINTR, systemError } from "./errno.ts";

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
  /** `CLD_EXITED`, `CLD_KILLED`, `CLD_DUMPED`, `CLD_TRAPPED`, `CLD_STOPPED` or `CLD_CONTINUED`. */
  si_code: number;
}

const siginfoMemory = new ArrayBuffer(SIGINFO_ALLOC);
const siginfoI32 = new Int32Array(siginfoMemory);
const siginfoU32 = new Uint32Array(siginfoMemory);

// 32-bit word index of each field. Where nothing is supported they are never read: the
// waitid call before them throws.
const layout = runningAbi?.layouts;
const SI_PID = (layout?.si_pid ?? 0) >> 2;
const SI_UID = (layout?.si_uid ?? 0) >> 2;
const SI_SIGNO = (layout?.si_signo ?? 0) >> 2;
const SI_STATUS = (layout?.si_status ?? 0) >> 2;
const SI_CODE = (layout?.si_code ?? 0) >> 2;

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
    if (errnum !== EINTR) throw systemError("waitid", errnum);
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
