/**
 * The shape of one platform's ABI description. Each `src/abi/<os>.ts` file fills it
 * in with numbers read from that platform's headers; nothing here runs a syscall.
 */

/** A platform's `<sys/wait.h>` status macros, transcribed as functions of a C `int`. */
export interface StatusRules {
  WIFEXITED(status: number): boolean;
  WEXITSTATUS(status: number): number;
  WIFSIGNALED(status: number): boolean;
  WTERMSIG(status: number): number;
  WCOREDUMP(status: number): boolean;
  WIFSTOPPED(status: number): boolean;
  WSTOPSIG(status: number): number;
  WIFCONTINUED(status: number): boolean;
}

/** Constants a user passes to the wait functions; `undefined` where the platform lacks one. */
export interface WaitConstants {
  WNOHANG: number;
  WUNTRACED: number;
  WCONTINUED: number;
  WEXITED: number;
  WSTOPPED: number;
  WNOWAIT: number;
  P_ALL: number;
  P_PID: number;
  P_PGID: number;
  P_PIDFD: number | undefined;
  CLD_EXITED: number;
  CLD_KILLED: number;
  CLD_DUMPED: number;
  CLD_TRAPPED: number;
  CLD_STOPPED: number;
  CLD_CONTINUED: number;
  RUSAGE_SELF: number;
  RUSAGE_CHILDREN: number;
  RUSAGE_THREAD: number | undefined;
  PIDFD_NONBLOCK: number | undefined;
}

/** `posix_spawnattr_setflags` bits (`<spawn.h>`); `undefined` where the platform lacks one. */
export interface SpawnFlags {
  POSIX_SPAWN_RESETIDS: number;
  POSIX_SPAWN_SETPGROUP: number;
  POSIX_SPAWN_SETSIGDEF: number;
  POSIX_SPAWN_SETSIGMASK: number;
  POSIX_SPAWN_SETSID: number | undefined;
}

/** Byte offsets and sizes of the C structures we read or allocate. */
export interface Layouts {
  /** `sizeof(struct rusage)`; buffers get at least `RUSAGE_ALLOC` bytes regardless. */
  rusageSize: number;
  /** Width of `tv_usec` in `struct timeval`: 8 (Linux, FreeBSD) or 4 (macOS). */
  timevalUsecBytes: 4 | 8;
  /** `sizeof(siginfo_t)`. */
  siginfoSize: number;
  si_signo: number;
  si_errno: number;
  si_code: number;
  si_pid: number;
  si_uid: number;
  si_status: number;
  sigsetSize: number;
  spawnattrSize: number;
  spawnFileActionsSize: number;
  /** `sizeof(struct sigaction)`: its handler is the first field everywhere, SIG_DFL 0, SIG_IGN 1. */
  sigactionSize: number;
}

/** Linux: pidfds in an epoll set become readable when their process exits. */
export interface EpollWatch {
  kind: "epoll";
  EPOLL_CLOEXEC: number;
  EPOLL_CTL_ADD: number;
  EPOLL_CTL_DEL: number;
  EPOLLIN: number;
  EPOLLONESHOT: number;
  /** `sizeof(struct epoll_event)`: 12 on x86_64 (packed), 16 elsewhere. */
  eventSize: number;
  /** `offsetof(struct epoll_event, data)`: 4 on x86_64, 8 elsewhere. */
  eventDataOffset: number;
}

/** macOS and FreeBSD: an EVFILT_PROC/NOTE_EXIT knote per pid fires when the process exits. */
export interface KqueueWatch {
  kind: "kqueue";
  EVFILT_PROC: number;
  EV_ADD: number;
  EV_DELETE: number;
  EV_ONESHOT: number;
  EV_ERROR: number;
  NOTE_EXIT: number;
  /** `sizeof(struct kevent)`: 32 on macOS, 64 on FreeBSD ≥ 12 (`ext[4]`). */
  keventSize: number;
  /** Byte offsets in `struct kevent` (the same on both: ident 0, filter 8, flags 10, fflags 12, data 16, udata 24). */
  identOffset: number;
  filterOffset: number;
  flagsOffset: number;
  fflagsOffset: number;
  dataOffset: number;
}

export type OsFamily = "linux" | "darwin" | "freebsd";
export type LibcFlavor = "glibc" | "musl" | "darwin" | "freebsd";

/** Everything that differs between the platforms Bun ships on. */
export interface Abi {
  /** e.g. `"linux-x64-glibc"`. */
  id: string;
  os: OsFamily;
  arch: "x64" | "arm64";
  libc: LibcFlavor;
  /** Names tried in order with `dlopen`. */
  libcPaths: readonly string[];
  /** The function returning `int *` to the calling thread's errno. */
  errnoSymbol: "__errno_location" | "__error";
  /** Width of `id_t`, waitid's second argument, in bits. */
  idBits: 32 | 64;
  /** `syscall(2)` numbers used where libc lacks a wrapper; Linux only. */
  syscalls: { pidfd_open: number; waitid: number; prctl: number } | undefined;
  /** Signal numbers used, and `maxSignal`: the highest signal number (signals are 1 … maxSignal). */
  signals: { SIGCHLD: number; SIGSTOP: number; SIGCONT: number; SIGKILL: number; maxSignal: number };
  /**
   * The real-time signals the C library leaves to programs (SIGRTMIN … SIGRTMAX); undefined
   * where there are none. Both are function calls in glibc and musl, so a compiled C program
   * checks them (test/abi/realtime-signals.test.ts), not the static asserts.
   */
  realtimeSignals: { min: number; max: number } | undefined;
  /** errno values the code compares against. */
  errnos: { EINTR: number; ECHILD: number; EINVAL: number };
  /** `open(2)`/`pipe2(2)` flags. */
  fileFlags: { O_CLOEXEC: number };
  /** `prctl(2)` options (Linux only): the child-subreaper flag the peak-memory hand-off uses. */
  prctl: { PR_SET_CHILD_SUBREAPER: number; PR_GET_CHILD_SUBREAPER: number } | undefined;
  /**
   * Linux only: `fcntl(2)`'s F_DUPFD_CLOEXEC (pipes kept above fd 2 and close-on-exec) and
   * `poll(2)`'s POLLIN (waiting for a pidfd during the hand-off, docs/DESIGN.md §6).
   */
  linuxFd: { F_DUPFD_CLOEXEC: number; POLLIN: number } | undefined;
  /** The unit of `ru_maxrss` (getrusage(2) of each OS): KiB on Linux and FreeBSD, bytes on macOS. */
  maxrss: { unit: "KiB" | "bytes"; bytesPerUnit: 1024 | 1 };
  constants: WaitConstants;
  spawnFlags: SpawnFlags;
  /** How `bun-wait4/promises` learns that a child has exited without polling every pid. */
  exitWatch: EpollWatch | KqueueWatch;
  layouts: Layouts;
  status: StatusRules;
}

/** What the running C library decides in a table (on Linux: glibc or musl); the rest is the OS's. */
export type LibcFacts = "id" | "libc" | "libcPaths" | "realtimeSignals" | "status";

/**
 * A table without what the C library decides: everything that is known from the OS and the
 * CPU alone, before the C library is asked which it is. `rusageSize` (the C library's
 * `sizeof(struct rusage)`, checked by the asserts) is left out too: buffers get `RUSAGE_ALLOC`.
 */
export interface PlatformAbi extends Omit<Abi, LibcFacts | "layouts"> {
  layouts: Omit<Layouts, "rusageSize">;
}

/** Bytes every rusage buffer gets: musl's `struct rusage` is 272 bytes (`long __reserved[16]`). */
export const RUSAGE_ALLOC = 272;
/** Bytes every siginfo buffer gets: at least every platform's `sizeof(siginfo_t)`. */
export const SIGINFO_ALLOC = 128;
