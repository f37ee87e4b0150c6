/** FreeBSD, amd64 and arm64: the same numbers on both. */
import type { Abi, StatusRules } from "./types.ts";

/**
 * FreeBSD `sys/sys/wait.h`: _WSTATUS(x) = x & 0177; WEXITSTATUS and WSTOPSIG are x >> 8
 * with no mask; WIFCONTINUED(x) is x == 0x13 (SIGCONT).
 */
export const freebsdStatus: StatusRules = {
  WIFEXITED: (s) => (s & 0x7f) === 0,
  WEXITSTATUS: (s) => s >> 8,
  WIFSIGNALED: (s) => (s & 0x7f) !== 0x7f && (s & 0x7f) !== 0 && s !== 0x13,
  WTERMSIG: (s) => s & 0x7f,
  WCOREDUMP: (s) => (s & 0x80) !== 0,
  WIFSTOPPED: (s) => (s & 0x7f) === 0x7f,
  WSTOPSIG: (s) => s >> 8,
  WIFCONTINUED: (s) => s === 0x13,
};

/** Builds the FreeBSD table for one architecture. */
export function freebsdAbi(arch: "x64" | "arm64"): Abi {
  return {
    id: `freebsd-${arch}`,
    os: "freebsd",
    arch,
    libc: "freebsd",
    libcPaths: ["libc.so.7", "/lib/libc.so.7"],
    errnoSymbol: "__error",
    // sys/sys/_types.h: __id_t is __int64_t.
    idBits: 64,
    syscalls: undefined,
    // sys/sys/signal.h
    // maxSignal: sys/sys/_sigset.h _SIG_MAXSIG (NSIG, 32, counts only the old signals).
    signals: { SIGCHLD: 20, SIGSTOP: 17, SIGCONT: 19, SIGKILL: 9, maxSignal: 128 },
    // sys/sys/signal.h: #define SIGRTMIN 65, #define SIGRTMAX 126
    realtimeSignals: { min: 65, max: 126 },
    // sys/sys/errno.h
    errnos: { EINTR: 4, ECHILD: 10, EINVAL: 22 },
    // sys/sys/fcntl.h: #define O_CLOEXEC 0x00100000
    fileFlags: { O_CLOEXEC: 0x00100000 },
    prctl: undefined,
    linuxFd: undefined,
    // man 2 getrusage: ru_maxrss "the maximum resident set size utilized (in kilobytes)".
    maxrss: { unit: "KiB", bytesPerUnit: 1024 },
    constants: {
      // sys/sys/wait.h
      WNOHANG: 1,
      WUNTRACED: 2,
      WSTOPPED: 2,
      WCONTINUED: 4,
      WNOWAIT: 8,
      WEXITED: 16,
      // sys/sys/wait.h idtype_t: P_PID 0, P_PPID 1, P_PGID 2, ... P_ALL 7.
      P_ALL: 7,
      P_PID: 0,
      P_PGID: 2,
      P_PIDFD: undefined,
      // sys/sys/signal.h
      CLD_EXITED: 1,
      CLD_KILLED: 2,
      CLD_DUMPED: 3,
      CLD_TRAPPED: 4,
      CLD_STOPPED: 5,
      CLD_CONTINUED: 6,
      // sys/sys/resource.h
      RUSAGE_SELF: 0,
      RUSAGE_CHILDREN: -1,
      RUSAGE_THREAD: 1,
      PIDFD_NONBLOCK: undefined,
    },
    // include/spawn.h
    spawnFlags: {
      POSIX_SPAWN_RESETIDS: 0x01,
      POSIX_SPAWN_SETPGROUP: 0x02,
      POSIX_SPAWN_SETSIGDEF: 0x10,
      POSIX_SPAWN_SETSIGMASK: 0x20,
      POSIX_SPAWN_SETSID: undefined,
    },
    layouts: {
      // sys/sys/resource.h: two struct timeval (time_t, long suseconds_t) + 14 longs.
      rusageSize: 144,
      timevalUsecBytes: 8,
      // sys/sys/signal.h struct __siginfo: 6 ints, void *si_addr, union sigval, union _reason.
      siginfoSize: 80,
      si_signo: 0,
      si_errno: 4,
      si_code: 8,
      si_pid: 12,
      si_uid: 16,
      si_status: 20,
      // sys/sys/_sigset.h: __uint32_t __bits[4].
      sigsetSize: 16,
      // include/spawn.h: both are pointers to private structs.
      spawnattrSize: 8,
      spawnFileActionsSize: 8,
      // sys/sys/signal.h struct sigaction: union __sigaction_u, int sa_flags, sigset_t sa_mask.
      sigactionSize: 32,
    },
    // sys/sys/event.h: struct kevent of FreeBSD >= 12 (ident, filter, flags, fflags, int64_t
    // data, udata, uint64_t ext[4]): 64 bytes; libc's default `kevent` symbol takes it.
    exitWatch: {
      kind: "kqueue",
      EVFILT_PROC: -5,
      EV_ADD: 0x0001,
      EV_DELETE: 0x0002,
      EV_ONESHOT: 0x0010,
      EV_ERROR: 0x4000,
      NOTE_EXIT: 0x80000000,
      keventSize: 64,
      identOffset: 0,
      filterOffset: 8,
      flagsOffset: 10,
      fflagsOffset: 12,
      dataOffset: 16,
    },
    status: freebsdStatus,
  };
}
