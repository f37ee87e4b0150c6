/**
 * Linux: one pidfd per watched child in a private epoll set. A pidfd becomes readable when its
 * process exits (never on a stop or continue), and epoll reports it at EPOLL_CTL_ADD if the
 * process had already exited, so no exit between registering and asking is missed. Each pidfd
 * is registered EPOLLONESHOT: reported once, so a child that stays a zombie (its only waiter
 * wants stops) is not reported again on every SIGCHLD. Closing the pidfd (never dup'ed) also
 * removes it from the set.
 */
import type { EpollWatch } from "../abi/types.ts";
import { errnoName } from "../errors/system-error.ts";
import { libc } from "../ffi/load.ts";
import { stableBytes } from "../ffi/memory.ts";
import { systemError } from "../sys/errno.ts";
import { raisedAboveStdio } from "../sys/process.ts";
import type { ExitWatch } from "./exit-watch.ts";

/** Events read per epoll_wait call; a full batch is followed by another call. */
const BATCH = 256;

/** pidfd_open errors after which no pidfd will work here: ENOSYS (kernel < 5.3), EPERM/EACCES (seccomp). */
const UNAVAILABLE = new Set(["ENOSYS", "EPERM", "EACCES"]);

/** The epoll watch of this platform's table, or the reason it cannot start. */
export function epollWatch(w: EpollWatch): ExitWatch {
  let epfd = -1;
  const pidfds = new Map<number, number>();
  const event = stableBytes(16);
  const eventView = new DataView(event.buffer);
  const events = stableBytes(BATCH * w.eventSize);
  const eventsView = new DataView(events.buffer);
  let unavailable = false;
  const unwatchable = (): false => {
    if (UNAVAILABLE.has(errnoName(libc.errno()))) unavailable = true;
    return false;
  };

  return {
    kind: "epoll",
    add(pid) {
      if (unavailable) return false;
      // A failure here costs this pid its watch only (it is then looked at on every SIGCHLD):
      // EMFILE/ENFILE (out of descriptors), ESRCH (already reaped); the set is tried again
      // for the next pid. ENOSYS/EPERM/EACCES (no pidfds, seccomp) turn the watch off.
      if (epfd === -1) {
        epfd = raisedAboveStdio(libc.epoll_create1(w.EPOLL_CLOEXEC));
        if (epfd === -1) return unwatchable();
      }
      const fd = raisedAboveStdio(libc.pidfd_open(pid, 0));
      if (fd === -1) return unwatchable();
      eventView.setUint32(0, w.EPOLLIN | w.EPOLLONESHOT, true);
      eventView.setUint32(w.eventDataOffset, pid, true);
      eventView.setUint32(w.eventDataOffset + 4, 0, true);
      if (libc.epoll_ctl(epfd, w.EPOLL_CTL_ADD, fd, event) === -1) {
        libc.close(fd);
        return false;
      }
      pidfds.set(pid, fd);
      return true;
    },
    remove(pid) {
      const fd = pidfds.get(pid);
      if (fd === undefined) return;
      pidfds.delete(pid);
      libc.close(fd);
    },
    exited() {
      if (pidfds.size === 0) return [];
      const out: number[] = [];
      for (;;) {
        const n = libc.epoll_wait(epfd, events, BATCH, 0);
        if (n === -1) {
          const errnum = libc.errno();
          if (errnum === libc.abi.errnos.EINTR) continue;
          throw systemError("epoll_wait", errnum);
        }
        for (let i = 0; i < n; i++) out.push(eventsView.getUint32(i * w.eventSize + w.eventDataOffset, true));
        if (n < BATCH) return out; // one-shot: what was read is not reported again
      }
    },
  };
}
