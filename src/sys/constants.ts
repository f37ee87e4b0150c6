/**
 * The running platform's constants. Values differ between Linux, macOS and FreeBSD, so
 * always use these names, never literals. A constant the platform lacks is `undefined`
 * (macOS has no `P_PIDFD`). On an unsupported platform (Windows) every one is 0 (the
 * optional ones `undefined`), so `waitpid(pid, WNOHANG)` there fails with the
 * `UnsupportedPlatformError` rather than with an argument error about `undefined`.
 */
import { UNSUPPORTED_CONSTANTS, UNSUPPORTED_MAXRSS } from "../abi/select.ts";
import { runningAbi } from "../ffi/load.ts";

const c = runningAbi?.constants ?? UNSUPPORTED_CONSTANTS;

/** Option: return at once, `[0, 0]`, if no child has changed state. */
export const WNOHANG = c.WNOHANG;
/** Option of `wait4`/`waitpid`: also report children that stopped. */
export const WUNTRACED = c.WUNTRACED;
/** Option: also report stopped children that were continued by SIGCONT. */
export const WCONTINUED = c.WCONTINUED;
/** Option of `waitid`: report children that exited. */
export const WEXITED = c.WEXITED;
/** Option of `waitid`: report children that stopped. */
export const WSTOPPED = c.WSTOPPED;
/** Option of `waitid`: leave the child waitable, so a later wait reports it again. */
export const WNOWAIT = c.WNOWAIT;
/** `waitid` idtype: any child (`id` ignored). Can reap Bun's own children. */
export const P_ALL = c.P_ALL;
/** `waitid` idtype: the child whose pid is `id`. */
export const P_PID = c.P_PID;
/** `waitid` idtype: any child in process group `id`. Can reap Bun's own children. */
export const P_PGID = c.P_PGID;
/** `waitid` idtype: the child that pidfd `id` refers to (Linux ≥ 5.4; `undefined` elsewhere). */
export const P_PIDFD = c.P_PIDFD;
/** `si_code`: the child called exit. */
export const CLD_EXITED = c.CLD_EXITED;
/** `si_code`: the child was killed by a signal. */
export const CLD_KILLED = c.CLD_KILLED;
/** `si_code`: the child was killed by a signal and dumped core. */
export const CLD_DUMPED = c.CLD_DUMPED;
/** `si_code`: a traced child stopped. */
export const CLD_TRAPPED = c.CLD_TRAPPED;
/** `si_code`: the child stopped. */
export const CLD_STOPPED = c.CLD_STOPPED;
/** `si_code`: a stopped child continued. */
export const CLD_CONTINUED = c.CLD_CONTINUED;
/** `getrusage` who: this process. */
export const RUSAGE_SELF = c.RUSAGE_SELF;
/** `getrusage` who: this process's children that have been waited for. */
export const RUSAGE_CHILDREN = c.RUSAGE_CHILDREN;
/** `getrusage` who: the calling thread (Linux, FreeBSD; `undefined` on macOS). */
export const RUSAGE_THREAD = c.RUSAGE_THREAD;
/** `pidfd_open` flag: a non-blocking pidfd (Linux ≥ 5.10; `undefined` elsewhere). */
export const PIDFD_NONBLOCK = c.PIDFD_NONBLOCK;
/** The unit of `ru_maxrss` here: `"KiB"` on Linux and FreeBSD, `"bytes"` on macOS. */
export const RU_MAXRSS_UNIT: "KiB" | "bytes" = (runningAbi?.maxrss ?? UNSUPPORTED_MAXRSS).unit;
/** Bytes in one `ru_maxrss` unit here: 1024 on Linux and FreeBSD, 1 on macOS. `ru_maxrss * RU_MAXRSS_BYTES` is bytes everywhere. */
export const RU_MAXRSS_BYTES: number = (runningAbi?.maxrss ?? UNSUPPORTED_MAXRSS).bytesPerUnit;
