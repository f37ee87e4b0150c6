/**
 * Linux, x86_64 and aarch64, glibc and musl. Both architectures use the same numbers
 * for everything here except the raw `waitid` syscall.
 */
import type { Abi, LibcFlavor, StatusRules } from "./types.ts";

/**
 * glibc `bits/waitstatus.h` (__WEXITSTATUS, __WTERMSIG, __WIFEXITED, __WIFSIGNALED,
 * __WIFSTOPPED, __WIFCONTINUED with __W_CONTINUED 0xffff, __WCOREFLAG 0x80).
 */
export const glibcStatus: StatusRules = {
  WIFEXITED: (s) => (s & 0x7f) === 0,
  WEXITSTATUS: (s) => (s & 0xff00) >> 8,
  // (((signed char) (((status) & 0x7f) + 1) >> 1) > 0): the cast is the <<24>>24.
  WIFSIGNALED: (s) => ((((s & 0x7f) + 1) << 24) >> 25) > 0,
  WTERMSIG: (s) => s & 0x7f,
  WCOREDUMP: (s) => (s & 0x80) !== 0,
  WIFSTOPPED: (s) => (s & 0xff) === 0x7f,
  WSTOPSIG: (s) => (s & 0xff00) >> 8,
  WIFCONTINUED: (s) => s === 0xffff,
};

/** musl `include/sys/wait.h`. Differs from glibc on malformed words such as 0x7f and 0xff. */
export const muslStatus: StatusRules = {
  WIFEXITED: (s) => (s & 0x7f) === 0,
  WEXITSTATUS: (s) => (s & 0xff00) >> 8,
  // ((s)&0xffff)-1U < 0xffu
  WIFSIGNALED: (s) => ((s & 0xffff) - 1) >>> 0 < 0xff,
  WTERMSIG: (s) => s & 0x7f,
  WCOREDUMP: (s) => (s & 0x80) !== 0,
  // (short)((((s)&0xffff)*0x10001)>>8) > 0x7f00
  WIFSTOPPED: (s) => ((Math.imul(s & 0xffff, 0x10001) >> 8) << 16) >> 16 > 0x7f00,
  WSTOPSIG: (s) => (s & 0xff00) >> 8,
  WIFCONTINUED: (s) => s === 0xffff,
};

/** Builds the Linux table for one architecture and C library. */
export function linuxAbi(arch: "x64" | "arm64", libc: Extract<LibcFlavor, "glibc" | "musl">): Abi {
  const musl = libc === "musl";
  return {
    id: `linux-${arch}-${libc}`,
    os: "linux",
    arch,
    libc,
    // musl's loader answers any "libc.*" name with itself; its own path is the fallback.
    libcPaths: musl
      ? ["libc.so.6", arch === "x64" ? "/lib/ld-musl-x86_64.so.1" : "/lib/ld-musl-aarch64.so.1"]
      : ["libc.so.6"],
    errnoSymbol: "__errno_location",
    // id_t is unsigned int (bits/types.h __ID_T_TYPE __U32_TYPE; musl alltypes.h).
    idBits: 32,
    // arch/x86/entry/syscalls/syscall_64.tbl; include/uapi/asm-generic/unistd.h (aarch64).
    syscalls: { pidfd_open: 434, waitid: arch === "x64" ? 247 : 95, prctl: arch === "x64" ? 157 : 167 },
    // arch/x86/include/uapi/asm/signal.h = include/uapi/asm-generic/signal.h for these.
    // maxSignal: the kernel's _NSIG (64); glibc's and musl's NSIG is one more.
    signals: { SIGCHLD: 17, SIGSTOP: 19, SIGCONT: 18, SIGKILL: 9, maxSignal: 64 },
    // SIGRTMIN is the kernel's 32 plus the signals the C library keeps for itself: glibc 2
    // (nptl/pthreadP.h SIGCANCEL, SIGSETXID), musl 3 (src/signal/sigaddset.c: sig-32U < 3).
    realtimeSignals: { min: musl ? 35 : 34, max: 64 },
    // include/uapi/asm-generic/errno-base.h
    errnos: { EINTR: 4, ECHILD: 10, EINVAL: 22 },
    // include/uapi/asm-generic/fcntl.h: O_CLOEXEC 02000000 (x86 and arm64 keep the generic value).
    fileFlags: { O_CLOEXEC: 0o2000000 },
    // include/uapi/linux/prctl.h
    prctl: { PR_SET_CHILD_SUBREAPER: 36, PR_GET_CHILD_SUBREAPER: 37 },
    // include/uapi/linux/fcntl.h: F_DUPFD_CLOEXEC = F_LINUX_SPECIFIC_BASE (1024) + 6;
    // include/uapi/asm-generic/poll.h: POLLIN 0x0001.
    linuxFd: { F_DUPFD_CLOEXEC: 1030, POLLIN: 0x0001 },
    // man 2 getrusage: "ru_maxrss ... in kilobytes" (kernel/sys.c getrusage: maxrss * (PAGE_SIZE / 1024)).
    maxrss: { unit: "KiB", bytesPerUnit: 1024 },
    constants: {
      // include/uapi/linux/wait.h; glibc bits/waitflags.h; musl include/sys/wait.h.
      WNOHANG: 1,
      WUNTRACED: 2,
      WSTOPPED: 2,
      WEXITED: 4,
      WCONTINUED: 8,
      WNOWAIT: 0x1000000,
      P_ALL: 0,
      P_PID: 1,
      P_PGID: 2,
      P_PIDFD: 3,
      // include/uapi/asm-generic/siginfo.h
      CLD_EXITED: 1,
      CLD_KILLED: 2,
      CLD_DUMPED: 3,
      CLD_TRAPPED: 4,
      CLD_STOPPED: 5,
      CLD_CONTINUED: 6,
      // include/uapi/linux/resource.h (its RUSAGE_BOTH, -2, is not for getrusage: EINVAL)
      RUSAGE_SELF: 0,
      RUSAGE_CHILDREN: -1,
      RUSAGE_THREAD: 1,
      // include/uapi/linux/pidfd.h: PIDFD_NONBLOCK = O_NONBLOCK = 04000 on x86 and arm64.
      PIDFD_NONBLOCK: 0o4000,
    },
    // glibc posix/spawn.h; musl include/spawn.h (same values).
    spawnFlags: {
      POSIX_SPAWN_RESETIDS: 0x01,
      POSIX_SPAWN_SETPGROUP: 0x02,
      POSIX_SPAWN_SETSIGDEF: 0x04,
      POSIX_SPAWN_SETSIGMASK: 0x08,
      POSIX_SPAWN_SETSID: 0x80,
    },
    layouts: {
      // glibc bits/types/struct_rusage.h: 2 timevals + 14 longs = 144;
      // musl include/sys/resource.h adds long __reserved[16] = 272.
      rusageSize: musl ? 272 : 144,
      timevalUsecBytes: 8,
      // include/uapi/asm-generic/siginfo.h: SI_MAX_SIZE 128; _sigchld after 3 ints + pad.
      siginfoSize: 128,
      si_signo: 0,
      si_errno: 4,
      si_code: 8,
      si_pid: 16,
      si_uid: 20,
      si_status: 24,
      // glibc bits/types/__sigset_t.h and musl: 1024 bits.
      sigsetSize: 128,
      // glibc posix/spawn.h and musl include/spawn.h: 336 and 80 bytes on LP64.
      spawnattrSize: 336,
      spawnFileActionsSize: 80,
      // glibc bits/sigaction.h, musl include/signal.h: handler union, 128-byte mask, int flags, restorer.
      sigactionSize: 152,
    },
    // include/uapi/linux/eventpoll.h: EPOLL_CLOEXEC = O_CLOEXEC; struct epoll_event is
    // __attribute__((packed)) only on x86_64 (EPOLL_PACKED), so data sits at 4 there, at 8 on arm64.
    exitWatch: {
      kind: "epoll",
      EPOLL_CLOEXEC: 0o2000000,
      EPOLL_CTL_ADD: 1,
      EPOLL_CTL_DEL: 2,
      EPOLLIN: 0x001,
      EPOLLONESHOT: 1 << 30,
      eventSize: arch === "x64" ? 12 : 16,
      eventDataOffset: arch === "x64" ? 4 : 8,
    },
    status: musl ? muslStatus : glibcStatus,
  };
}
