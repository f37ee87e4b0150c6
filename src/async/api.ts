/**
 * `wait4`, `waitpid` and `waitid` returning Promises (`bun-wait4/promises`): the same
 * arguments and results as the synchronous functions, plus `{ signal }` to cancel.
 */
import { checkInt32, InvalidArgTypeError, InvalidArgValueError } from "../errors/arguments.ts";
import { SystemError } from "../errors/system-error.ts";
import { libc } from "../ffi/load.ts";
import * as c from "../sys/constants.ts";
import { systemError } from "../sys/errno.ts";
import { readMapping } from "../sys/read-once.ts";
import { zeroRusage, type Rusage } from "../sys/rusage.ts";
import type { WaitidResult } from "../sys/waitid.ts";
import type { Change, Waiter, Wants } from "./pid-waits.ts";
import { addWaiter, removeWaiter } from "./registry.ts";

/** Options of the async waits besides the C ones. */
export interface WaitOptions {
  /** Cancels the wait: the Promise rejects with `signal.reason` and the child is left untouched. */
  signal?: AbortSignal;
}

/** Why a pid ≤ 0 or a group id type is refused, and what to do instead. */
const ONLY_BY_PID =
  "must name one child (a pid > 0): waiting for any child (-1), our process group (0) or a group (< -1, P_ALL, P_PGID) " +
  "could reap a child that Bun.spawn or Bun.$ owns, and Bun then crashes with ECHILD. Wait for each pid you spawned";

/** Reads `{ signal }` once; undefined when absent. */
function readSignal(options: unknown): AbortSignal | undefined {
  if (options === undefined || options === null) return undefined;
  let signal: unknown;
  for (const [key, value] of readMapping(options, "options", "a plain object like { signal }")) {
    if (key !== "signal") throw new InvalidArgValueError("options", `has an unknown option "${key}"`, key);
    signal = value;
  }
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) throw new InvalidArgTypeError("options.signal", "an instance of AbortSignal", signal);
  return signal;
}

/**
 * The checks each call makes, in this order, before it looks at anything: the child's pid
 * (`pidName`: "pid", or "id" for waitid) must be one child, the option bits an int, and
 * `{ signal }` is read once. Returns the signal.
 */
function checkWait(pid: unknown, pidName: string, options: unknown, waitOptions: unknown): AbortSignal | undefined {
  checkInt32(pid, pidName);
  if (pid <= 0) throw new InvalidArgValueError(pidName, ONLY_BY_PID, pid);
  checkInt32(options, "options");
  return readSignal(waitOptions);
}

/**
 * A failed kernel look (`waitid`, `wait4`) as the call the user made reports it: ECHILD from
 * `waitid` reads "…, waitpid" for a waitpid. Any other error (the platform's
 * UnsupportedPlatformError, a bug) passes through unchanged: rebuilding it would need libc.
 */
function relabel(error: unknown, syscall: string): unknown {
  return error instanceof SystemError && error.syscall !== syscall ? systemError(syscall, -error.errno) : error;
}

/** One wait, as `pendingWait` registers it. */
interface WaitRequest<T> {
  /** The call the user made, which names its errors ("ECHILD: …, waitpid"). */
  syscall: "wait4" | "waitpid" | "waitid";
  pid: number;
  /** The state changes it resolves on. */
  wants: Wants;
  /** Whether it needs the child's siginfo (waitid's result) rather than its status and rusage. */
  needsInfo: boolean;
  /** WNOHANG: look once, and resolve `nothing()` if there was no change. */
  noHang: boolean;
  signal: AbortSignal | undefined;
  /** The call's result for the change it receives. */
  present: (change: Change) => T;
  /** The call's result when WNOHANG found no change. */
  nothing: () => T;
}

/** Registers one wait and returns its Promise. */
function pendingWait<T>({ syscall, pid, wants, needsInfo, noHang, signal, present, nothing }: WaitRequest<T>): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  // A waiter is settled exactly when it is no longer registered (the registry drops it before
  // delivering or failing), so removeWaiter's answer is the only "still pending?" needed.
  const onAbort = () => {
    if (removeWaiter(pid, waiter)) reject(signal!.reason);
  };
  const done = () => signal?.removeEventListener("abort", onAbort);
  const waiter: Waiter = {
    wants,
    needsInfo,
    deliver(change) {
      done();
      resolve(present(change));
    },
    fail(error) {
      done();
      reject(relabel(error, syscall));
    },
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    addWaiter(pid, waiter);
  } catch (error) {
    removeWaiter(pid, waiter);
    done();
    return Promise.reject(relabel(error, syscall));
  }
  if (noHang && removeWaiter(pid, waiter)) {
    done();
    resolve(nothing());
  }
  return promise;
}

/** The wait4/waitpid option bits this supports; others reject as the kernel rejects them. */
const WAIT_BITS = c.WNOHANG | c.WUNTRACED | c.WCONTINUED;

/** The kernel's answer to option bits it does not know, as a rejected Promise. */
function einval<T>(syscall: string): Promise<T> {
  return Promise.reject(systemError(syscall, libc.abi.errnos.EINVAL));
}

/** wait4 and waitpid: the same checks and wait, each with its own result. */
function statusWait<T>(
  syscall: "wait4" | "waitpid",
  pid: number,
  options: number,
  waitOptions: WaitOptions | undefined,
  present: (change: Change) => T,
  nothing: () => T,
): Promise<T> {
  const signal = checkWait(pid, "pid", options, waitOptions);
  if ((options & ~WAIT_BITS) !== 0) return einval(syscall);
  const wants: Wants = { exit: true, stop: (options & c.WUNTRACED) !== 0, cont: (options & c.WCONTINUED) !== 0, peek: false };
  return pendingWait({ syscall, pid, wants, needsInfo: false, noHang: (options & c.WNOHANG) !== 0, signal, present, nothing });
}

/**
 * Waits, without blocking the event loop, for child `pid` to change state, as the synchronous
 * `wait4` does, and resolves `[pid, status, rusage]`.
 *
 * `pid` must be a child (`> 0`): -1, 0 and groups are refused because they could reap children
 * Bun owns. `options`: 0 (wait for the exit), or an OR of `WUNTRACED` (also a stop),
 * `WCONTINUED` (also a continue) and `WNOHANG` (look once: `[0, 0, rusage of zeros]` if nothing
 * happened). Several waits on one pid share each state change: two exit waits both resolve
 * with the same result.
 *
 * @throws TypeError/RangeError synchronously for bad arguments, as the synchronous `wait4`.
 * @returns a Promise that rejects with SystemError ECHILD when `pid` is not a child of this
 *   process (or was reaped by someone else), and with `signal.reason` when aborted.
 * @example
 * import { posix_spawnp } from "bun-wait4";
 * import { wait4 } from "bun-wait4/promises";
 * const pid = posix_spawnp("sleep", ["sleep", "1"], process.env);
 * const [, status, usage] = await wait4(pid, 0, { signal: AbortSignal.timeout(5000) });
 */
export function wait4(pid: number, options: number = 0, waitOptions?: WaitOptions): Promise<[pid: number, status: number, rusage: Rusage]> {
  return statusWait(
    "wait4",
    pid,
    options,
    waitOptions,
    (change) => [pid, change.reaped!.status, change.reaped!.rusage],
    () => [0, 0, zeroRusage()],
  );
}

/**
 * Waits, without blocking the event loop, for child `pid` to change state, as the synchronous
 * `waitpid`, and resolves `[pid, status]` (`[0, 0]` for a WNOHANG look that found nothing).
 * Arguments and errors as `wait4` in this module.
 *
 * @example
 * const [, status] = await waitpid(pid, WUNTRACED);
 * if (WIFSTOPPED(status)) console.log("stopped by", WSTOPSIG(status));
 */
export function waitpid(pid: number, options: number = 0, waitOptions?: WaitOptions): Promise<[pid: number, status: number]> {
  return statusWait("waitpid", pid, options, waitOptions, (change) => [pid, change.reaped!.status], () => [0, 0]);
}

const WAITID_EVENTS = c.WEXITED | c.WSTOPPED | c.WCONTINUED;
const WAITID_BITS = WAITID_EVENTS | c.WNOHANG | c.WNOWAIT;

/**
 * Waits, without blocking the event loop, as the synchronous `waitid(P_PID, id, options)`,
 * and resolves the same `{ si_pid, si_uid, si_signo, si_status, si_code }` — or `null`, only
 * when `WNOHANG` was passed and nothing had happened.
 *
 * `idtype` must be `P_PID` (P_ALL and P_PGID could reap children Bun owns; P_PIDFD is not
 * supported here: pass the pid). `options` must include `WEXITED`, `WSTOPPED` and/or
 * `WCONTINUED`, and may add `WNOHANG` and `WNOWAIT` (report, leave the child waitable).
 *
 * @example
 * const info = await waitid(P_PID, pid, WEXITED | WNOWAIT); // exited, still waitable
 * const [, status, usage] = await wait4(pid);                // now reap it
 */
export function waitid(idtype: number, id: number, options: number, waitOptions?: WaitOptions): Promise<WaitidResult | null> {
  checkInt32(idtype, "idtype");
  if (c.P_PIDFD !== undefined && idtype === c.P_PIDFD) {
    throw new InvalidArgValueError("idtype", "must be P_PID: P_PIDFD is not supported by the async waitid; pass the child's pid with P_PID", idtype);
  }
  if (idtype !== c.P_PID) throw new InvalidArgValueError("idtype", `must be P_PID: the wait ${ONLY_BY_PID}`, idtype);
  const signal = checkWait(id, "id", options, waitOptions);
  if ((options & ~WAITID_BITS) !== 0 || (options & WAITID_EVENTS) === 0) return einval("waitid");
  const wants: Wants = {
    exit: (options & c.WEXITED) !== 0,
    stop: (options & c.WSTOPPED) !== 0,
    cont: (options & c.WCONTINUED) !== 0,
    peek: (options & c.WNOWAIT) !== 0,
  };
  return pendingWait<WaitidResult | null>({
    syscall: "waitid",
    pid: id,
    wants,
    needsInfo: true,
    noHang: (options & c.WNOHANG) !== 0,
    signal,
    present: (change) => change.info!,
    nothing: () => null,
  });
}
