/** macOS (XNU), x86_64 and arm64: the same numbers on both. */
import type { Abi, StatusRules } from "./types.ts";

/**
 * XNU `bsd/sys/wait.h`: _WSTATUS(x) = x & 0177, _WSTOPPED = 0177, and WSTOPSIG(x) = x >> 8
 * with no mask. SIGCONT (0x13) in the stop-signal byte means "continued".
 */
export const darwinStatus: StatusRules = {
  WIFEXITED: (s) => (s & 0x7f) === 0,
  WEXITSTATUS: (s) => (s >> 8) & 0xff,
  WIFSIGNALED: (s) => (s & 0x7f) !== 0x7f && (s & 0x7f) !== 0,
  WTERMSIG: (s) => s & 0x7f,
  WCOREDUMP: (s) => (s & 0x80) !== 0,
  WIFSTOPPED: (s) => (s & 0x7f) === 0x7f && s >> 8 !== 0x13,
  WSTOPSIG: (s) => s >> 8,
  WIFCONTINUED: (s) => (s & 0x7f) === 0x7f && s >> 8 === 0x13,
};

/** Builds the macOS table for one architecture. */
export function darwinAbi(arch: "x64" | "arm64"): Abi {
  return {
    id: `darwin-${arch}`,
    os: "darwin",
    arch,
    libc: "darwin",
    libcPaths: ["/usr/lib/libSystem.B.dylib"],
    errnoSymbol: "__error",
    // bsd/sys/_types/_id_t.h: id_t is __darwin_id_t = __uint32_t.
    idBits: 32,
    syscalls: undefined,
    // bsd/sys/signal.h
    // maxSignal: NSIG (__DARWIN_NSIG, 32) "counting 0".
    signals: { SIGCHLD: 20, SIGSTOP: 17, SIGCONT: 19, SIGKILL: 9, maxSignal: 31 },
    // bsd/sys/signal.h defines no SIGRTMIN/SIGRTMAX.
    realtimeSignals: undefined,
    // bsd/sys/errno.h
    errnos: { EINTR: 4, ECHILD: 10, EINVAL: 22 },
    // bsd/sys/fcntl.h: #define O_CLOEXEC 0x01000000
    fileFlags: { O_CLOEXEC: 0x01000000 },
    prctl: undefined,
    linuxFd: undefined,
    // bsd/kern/kern_resource.c: ru_maxrss is kept in bytes (man getrusage says "kilobytes", wrongly).
    maxrss: { unit: "bytes", bytesPerUnit: 1 },
    constants: {
      // bsd/sys/wait.h
      WNOHANG: 0x01,
      WUNTRACED: 0x02,
      WEXITED: 0x04,
      WSTOPPED: 0x08,
      WCONTINUED: 0x10,
      WNOWAIT: 0x20,
      P_ALL: 0,
      P_PID: 1,
      P_PGID: 2,
      P_PIDFD: undefined,
      // bsd/sys/signal.h
      CLD_EXITED: 1,
      CLD_KILLED: 2,
      CLD_DUMPED: 3,
      CLD_TRAPPED: 4,
      CLD_STOPPED: 5,
      CLD_CONTINUED: 6,
      // bsd/sys/resource.h: no RUSAGE_THREAD.
      RUSAGE_SELF: 0,
      RUSAGE_CHILDREN: -1,
      RUSAGE_THREAD: undefined,
      PIDFD_NONBLOCK: undefined,
    },
    // bsd/sys/spawn.h
    spawnFlags: {
      POSIX_SPAWN_RESETIDS: 0x0001,
      POSIX_SPAWN_SETPGROUP: 0x0002,
      POSIX_SPAWN_SETSIGDEF: 0x0004,
      POSIX_SPAWN_SETSIGMASK: 0x0008,
      POSIX_SPAWN_SETSID: 0x0400,
    },
    layouts: {
      // bsd/sys/resource.h; bsd/sys/_types/_timeval.h: tv_usec is __int32_t, padded to 16.
      rusageSize: 144,
      timevalUsecBytes: 4,
      // bsd/sys/signal.h __siginfo: 6 ints, void *si_addr, union sigval, long si_band, 7 longs.
      siginfoSize: 104,
      si_signo: 0,
      si_errno: 4,
      si_code: 8,
      si_pid: 12,
      si_uid: 16,
      si_status: 20,
      // bsd/sys/_types.h: __darwin_sigset_t is __uint32_t.
      sigsetSize: 4,
      // bsd/sys/spawn.h (libc spawn.h): both are opaque pointers.
      spawnattrSize: 8,
      spawnFileActionsSize: 8,
      // bsd/sys/signal.h struct sigaction: union __sigaction_u, sigset_t sa_mask, int sa_flags.
      sigactionSize: 16,
    },
    // bsd/sys/event.h: struct kevent (uintptr_t ident, int16_t filter, uint16_t flags,
    // uint32_t fflags, intptr_t data, void *udata) under #pragma pack(4): 32 bytes on LP64.
    exitWatch: {
      kind: "kqueue",
      EVFILT_PROC: -5,
      EV_ADD: 0x0001,
      EV_DELETE: 0x0002,
      EV_ONESHOT: 0x0010,
      EV_ERROR: 0x4000,
      NOTE_EXIT: 0x80000000,
      keventSize: 32,
      identOffset: 0,
      filterOffset: 8,
      flagsOffset: 10,
      fflagsOffset: 12,
      dataOffset: 16,
    },
    status: darwinStatus,
  };
}
