/**
 * The C library as the rest of bun-wait4 sees it: plain functions of numbers and buffers.
 * `bindLibc` builds it from an FFI binding and a platform table.
 *
 * Buffers handed to C are typed arrays passed as the `ptr` argument itself (the FFI resolves
 * the address at each call), or views over an explicit `ArrayBuffer`: a pointer cached from a
 * small fresh typed array goes stale once JSC's JIT moves its storage (docs/DESIGN.md §5.1).
 */
import type { Abi } from "../abi/types.ts";
import type { FfiBinding } from "./binding.ts";
import { ADDCHDIR_SYMBOL, coreSymbols, KQUEUE_SYMBOLS, LINUX_SYMBOLS, PIDFD_OPEN_SYMBOL } from "./symbols.ts";

/** A buffer C may write through. */
export type Buf = Int32Array | Uint8Array;
/** A C pointer as the FFI passes it: a typed array, an address, or NULL. */
export type Ptr = Buf | number | null;

/** The C functions bun-wait4 calls. Each returns what C returns; errno is read separately. */
export interface Libc {
  readonly abi: Abi;
  wait4(pid: number, status: Int32Array, options: number, rusage: Int32Array | null): number;
  waitid(idtype: number, id: number, info: Int32Array, options: number): number;
  getrusage(who: number, rusage: Int32Array): number;
  /** -1 with errno set on failure, like the libc wrapper (Linux). */
  pidfd_open(pid: number, flags: number): number;
  /** The calling thread's errno. */
  errno(): number;
  strerror(errnum: number): string;
  posix_spawn(pid: Int32Array, path: number, actions: Ptr, attr: Ptr, argv: number, envp: number): number;
  posix_spawnp(pid: Int32Array, file: number, actions: Ptr, attr: Ptr, argv: number, envp: number): number;
  posix_spawn_file_actions_init(actions: Uint8Array): number;
  posix_spawn_file_actions_destroy(actions: Uint8Array): number;
  posix_spawn_file_actions_addopen(actions: Uint8Array, fd: number, path: number, flags: number, mode: number): number;
  posix_spawn_file_actions_addclose(actions: Uint8Array, fd: number): number;
  posix_spawn_file_actions_adddup2(actions: Uint8Array, fd: number, newfd: number): number;
  posix_spawnattr_init(attr: Uint8Array): number;
  posix_spawnattr_destroy(attr: Uint8Array): number;
  posix_spawnattr_setflags(attr: Uint8Array, flags: number): number;
  posix_spawnattr_setpgroup(attr: Uint8Array, pgroup: number): number;
  posix_spawnattr_setsigmask(attr: Uint8Array, set: Uint8Array): number;
  posix_spawnattr_setsigdefault(attr: Uint8Array, set: Uint8Array): number;
  sigemptyset(set: Uint8Array): number;
  sigaddset(set: Uint8Array, signo: number): number;
  /** sigaction(2): `act` null to only read the current action into `old`. */
  sigaction(signo: number, act: Uint8Array | null, old: Uint8Array | null): number;
  close(fd: number): number;
  /** dup(2): the lowest free descriptor, a copy of `fd` (without FD_CLOEXEC). */
  dup(fd: number): number;
  /** posix_spawn_file_actions_addchdir_np (see ADDCHDIR_SYMBOL); throws where the C library lacks it. */
  posix_spawn_file_actions_addchdir_np(actions: Uint8Array, path: number): number;
  /** epoll(7) (Linux). */
  epoll_create1(flags: number): number;
  epoll_ctl(epfd: number, op: number, fd: number, event: Uint8Array | null): number;
  epoll_wait(epfd: number, events: Uint8Array, maxevents: number, timeout: number): number;
  /** kqueue(2) (macOS, FreeBSD). `timeout` points at a struct timespec (null blocks). */
  kqueue(): number;
  kevent(kq: number, changes: Uint8Array | null, nchanges: number, events: Uint8Array | null, nevents: number, timeout: Uint8Array | null): number;
  /** poll(2) (Linux): `fds` holds `struct pollfd`s as [fd, events | revents << 16] pairs. */
  poll(fds: Int32Array, nfds: number, timeout: number): number;
  /** fcntl(2) with an int argument (Linux): F_DUPFD_CLOEXEC. */
  fcntl(fd: number, cmd: number, arg: number): number;
  /** pipe2(2) (Linux): fills fds with [read end, write end]; -1 with errno on failure. */
  pipe2(fds: Int32Array, flags: number): number;
  /** prctl(PR_SET_CHILD_SUBREAPER, on) (Linux); -1 with errno on failure. */
  setChildSubreaper(on: boolean): number;
  /** prctl(PR_GET_CHILD_SUBREAPER) (Linux): 1 or 0, or -1 with errno on failure. */
  getChildSubreaper(): number;
}

/** The stand-in for a call the platform lacks: throws, naming the call and the platform. */
function absent(name: string, abi: Abi): () => never {
  return () => {
    throw new Error(`bun-wait4: ${name} is not available on ${abi.os}`);
  };
}

type Syscall = (nr: number, a: number, b: number) => number;

/** Loads every symbol of `abi`'s C library through `ffi` and wraps the few that need it. */
export function bindLibc(ffi: FfiBinding, abi: Abi): Libc {
  const core = ffi.open(abi.libcPaths, coreSymbols(abi));
  const errnoLocation = (core[abi.errnoSymbol] as () => number | null)();
  if (!errnoLocation) throw new Error(`bun-wait4: ${abi.errnoSymbol}() returned NULL`);
  const errnoAddress = errnoLocation;
  const strerror = core.strerror as (errnum: number) => unknown;

  const linux = abi.os === "linux" ? ffi.open(abi.libcPaths, LINUX_SYMBOLS) : undefined;
  const bsd = abi.exitWatch.kind === "kqueue" ? ffi.open(abi.libcPaths, KQUEUE_SYMBOLS) : undefined;
  const syscall = linux?.syscall as Syscall | undefined;
  let pidfdOpen: Libc["pidfd_open"] = absent("pidfd_open", abi);
  let setChildSubreaper: (on: boolean) => number = absent("prctl(PR_SET_CHILD_SUBREAPER)", abi);
  let getChildSubreaper: () => number = absent("prctl(PR_GET_CHILD_SUBREAPER)", abi);
  if (syscall !== undefined && abi.syscalls !== undefined && abi.prctl !== undefined) {
    const { pidfd_open: pidfdNr, prctl: prctlNr } = abi.syscalls;
    const { PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER } = abi.prctl;
    try {
      pidfdOpen = ffi.open(abi.libcPaths, PIDFD_OPEN_SYMBOL).pidfd_open as Libc["pidfd_open"];
    } catch {
      pidfdOpen = (pid, flags) => syscall(pidfdNr, pid, flags);
    }
    setChildSubreaper = (on) => syscall(prctlNr, PR_SET_CHILD_SUBREAPER, on ? 1 : 0);
    // PR_GET_CHILD_SUBREAPER stores an int through its second argument.
    const flag = new Int32Array(new ArrayBuffer(8));
    getChildSubreaper = () => (syscall(prctlNr, PR_GET_CHILD_SUBREAPER, ffi.addressOf(flag)) === -1 ? -1 : flag[0]!);
  }

  type Bound<K extends keyof Libc> = Libc[K] | undefined;
  let addchdir: Bound<"posix_spawn_file_actions_addchdir_np">;
  try {
    addchdir = ffi.open(abi.libcPaths, ADDCHDIR_SYMBOL).posix_spawn_file_actions_addchdir_np as Bound<"posix_spawn_file_actions_addchdir_np">;
  } catch {
    addchdir = undefined;
  }
  return {
    ...(core as unknown as Omit<Libc, "abi" | "errno" | "strerror" | "pidfd_open" | "pipe2" | "setChildSubreaper" | "getChildSubreaper" | "epoll_create1" | "epoll_ctl" | "epoll_wait" | "poll" | "fcntl" | "kqueue" | "kevent" | "posix_spawn_file_actions_addchdir_np">),
    abi,
    posix_spawn_file_actions_addchdir_np: addchdir ?? absent("posix_spawn_file_actions_addchdir_np", abi),
    epoll_create1: (linux?.epoll_create1 as Bound<"epoll_create1">) ?? absent("epoll_create1", abi),
    epoll_ctl: (linux?.epoll_ctl as Bound<"epoll_ctl">) ?? absent("epoll_ctl", abi),
    epoll_wait: (linux?.epoll_wait as Bound<"epoll_wait">) ?? absent("epoll_wait", abi),
    poll: (linux?.poll as Bound<"poll">) ?? absent("poll", abi),
    fcntl: (linux?.fcntl as Bound<"fcntl">) ?? absent("fcntl", abi),
    kqueue: (bsd?.kqueue as Bound<"kqueue">) ?? absent("kqueue", abi),
    kevent: (bsd?.kevent as Bound<"kevent">) ?? absent("kevent", abi),
    errno: () => ffi.readI32(errnoAddress, 0),
    strerror: (errnum) => String(strerror(errnum)),
    pidfd_open: pidfdOpen,
    pipe2: (linux?.pipe2 as Bound<"pipe2">) ?? absent("pipe2", abi),
    setChildSubreaper,
    getChildSubreaper,
  };
}
