/** pidfd_open, as CPython's `os.pidfd_open` (Linux ≥ 5.3). */
import { checkInt32 } from "../errors/arguments.ts";
import { libc } from "../ffi/load.ts";
import { systemError } from "./errno.ts";

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
  if (fd === -1) throw systemError("pidfd_open", libc.errno());
  return fd;
}
