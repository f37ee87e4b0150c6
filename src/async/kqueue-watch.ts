/**
 * macOS and FreeBSD: an EVFILT_PROC knote with NOTE_EXIT per watched child in a private kqueue
 * (kevent does not reap). EV_ONESHOT: reported once. Registering a process that has already
 * exited fails with ESRCH — it is a zombie, so it is reported as exited at once.
 *
 * Written against XNU bsd/sys/event.h and FreeBSD sys/sys/event.h (the layout is in the
 * tables and checked by the C asserts); CI cannot run it (README, Platforms).
 */
import type { KqueueWatch } from "../abi/types.ts";
import { errnoName } from "../errors/system-error.ts";
import { libc } from "../ffi/load.ts";
import { stableBytes } from "../ffi/memory.ts";
import { systemError } from "../sys/errno.ts";
import type { ExitWatch } from "./exit-watch.ts";

const BATCH = 256;

export function kqueueWatch(w: KqueueWatch): ExitWatch {
  let kq = -1;
  const watched = new Set<number>();
  const zombies: number[] = [];
  const change = stableBytes(w.keventSize);
  const changeView = new DataView(change.buffer);
  const events = stableBytes(BATCH * w.keventSize);
  const eventsView = new DataView(events.buffer);
  const zeroTimeout = stableBytes(16); // struct timespec {0, 0}

  /** Writes one kevent for `pid` into `change`. */
  function setChange(pid: number, flags: number): void {
    change.fill(0);
    changeView.setUint32(w.identOffset, pid, true); // ident is a uintptr_t: pid in the low word
    changeView.setInt16(w.filterOffset, w.EVFILT_PROC, true);
    changeView.setUint16(w.flagsOffset, flags, true);
    changeView.setUint32(w.fflagsOffset, w.NOTE_EXIT, true);
  }

  return {
    kind: "kqueue",
    add(pid) {
      if (kq === -1) {
        kq = libc.kqueue();
        if (kq === -1) return false; // EMFILE/ENFILE: this pid is looked at on every SIGCHLD instead
      }
      setChange(pid, w.EV_ADD | w.EV_ONESHOT);
      if (libc.kevent(kq, change, 1, null, 0, zeroTimeout) === -1) {
        if (errnoName(libc.errno()) !== "ESRCH") return false;
        zombies.push(pid); // already exited: report it on the next look
      }
      watched.add(pid);
      return true;
    },
    remove(pid) {
      if (!watched.delete(pid)) return;
      setChange(pid, w.EV_DELETE);
      libc.kevent(kq, change, 1, null, 0, zeroTimeout); // ENOENT after the one-shot fired: fine
    },
    exited() {
      const out = zombies.splice(0).filter((pid) => watched.has(pid));
      if (kq === -1 || watched.size === 0) return out;
      for (;;) {
        const n = libc.kevent(kq, null, 0, events, BATCH, zeroTimeout);
        if (n === -1) {
          const errnum = libc.errno();
          if (errnum === libc.abi.errnos.EINTR) continue;
          throw systemError("kevent", errnum);
        }
        for (let i = 0; i < n; i++) {
          const at = i * w.keventSize;
          if (eventsView.getUint16(at + w.flagsOffset, true) & w.EV_ERROR) continue;
          out.push(eventsView.getUint32(at + w.identOffset, true));
        }
        if (n < BATCH) return out;
      }
    },
  };
}
