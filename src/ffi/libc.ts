/**
 * The C library as the rest of bun-wait4 sees it: plain functions of numbers and buffers.
 * `lazyLibc` builds it from an FFI binding and a platform table without opening anything: each
 * group of `symbols.ts` is opened the first time one of its functions is called, and its
 * functions then take the place of their stand-ins, so later calls go straight to C
 * (docs/DESIGN.md §4.5). Buffers handed to C never move (docs/DESIGN.md §5.1).
 */
import type { Abi, PlatformAbi } from "../abi/types.ts";
import { UnsupportedPlatformError } from "../errors/unsupported-platform.ts";
import type { CFunction, FfiBinding } from "./binding.ts";
import {
  ADDCHDIR_SYMBOL,
  DESCRIPTOR_SYMBOLS,
  EPOLL_SYMBOLS,
  errnoSymbol,
  KQUEUE_SYMBOLS,
  LINUX_SYMBOLS,
  PIDFD_OPEN_SYMBOL,
  SIGACTION_SYMBOL,
  SPAWN_SYMBOLS,
  STRERROR_SYMBOL,
  waitSymbols,
  type SymbolTable,
} from "./symbols.ts";

/** A buffer C may write through. */
export type Buf = Int32Array | Uint8Array;
/** A C pointer as the FFI passes it: a typed array, an address, or NULL. */
export type Ptr = Buf | number | null;

/** The C functions bun-wait4 calls. Each returns what C returns; errno is read separately. */
export interface Libc {
  /** The running platform's whole table; the first read asks the C library which it is (Linux). */
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
  /** access(2): 0 if `path` (a NUL-terminated C string) allows `mode` (X_OK 1); -1 with errno. */
  access(path: Uint8Array, mode: number): number;
  /** posix_spawn_file_actions_addchdir_np (see ADDCHDIR_SYMBOL); throws where the C library lacks it. */
  posix_spawn_file_actions_addchdir_np(actions: Uint8Array, path: number): number;
  /** epoll(7) (Linux). */
  epoll_create1(flags: number): number;
  epoll_ctl(epfd: number, op: number, fd: number, event: Uint8Array | null): number;
  epoll_wait(epfd: number, events: Uint8Array, maxevents: number, timeout: number): number;
  /** kqueue(2) (macOS, FreeBSD). `timeout` points at a struct timespec (null blocks). */
  kqueue(): number;
  kevent(kq: number, changes: Uint8Array | null, nchanges: number, events: Uint8Array | null, nevents: number, timeout: Uint8Array | null): number;
  /** socketpair(2) (Linux): fills fds with the two ends; -1 with errno on failure. */
  socketpair(domain: number, type: number, protocol: number, fds: Int32Array): number;
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

type Fn = keyof Omit<Libc, "abi">;
type Syscall = (nr: number, a: number, b: number) => number;

/** The stand-in for a call the platform lacks: throws, naming the call and the platform. */
function absent(name: string, os: string): () => never {
  return () => {
    throw new Error(`bun-wait4: ${name} is not available on ${os}`);
  };
}

/**
 * The C library of `platform`, opened group by group on first use. `ffi` gives the FFI and
 * `abi` the whole table (which C library, where it is); both are first called when a group is
 * opened.
 */
export function lazyLibc(ffi: () => FfiBinding, platform: PlatformAbi, abi: () => Abi): Libc {
  const lib = {} as Record<Fn, CFunction>;
  const whole = once(abi);
  Object.defineProperty(lib, "abi", { enumerable: true, get: whole });
  fill(lib, ffi, platform, whole);
  return lib as unknown as Libc;
}

/** Every function of Libc, by name. */
const LIBC_FUNCTIONS = [
  "wait4", "waitid", "getrusage", "pidfd_open", "errno", "strerror", "posix_spawn", "posix_spawnp",
  "posix_spawn_file_actions_init", "posix_spawn_file_actions_destroy", "posix_spawn_file_actions_addopen",
  "posix_spawn_file_actions_addclose", "posix_spawn_file_actions_adddup2", "posix_spawnattr_init",
  "posix_spawnattr_destroy", "posix_spawnattr_setflags", "posix_spawnattr_setpgroup", "posix_spawnattr_setsigmask",
  "posix_spawnattr_setsigdefault", "sigemptyset", "sigaddset", "sigaction", "close", "dup", "access",
  "posix_spawn_file_actions_addchdir_np", "epoll_create1", "epoll_ctl", "epoll_wait", "kqueue", "kevent",
  "socketpair", "poll", "fcntl", "pipe2", "setChildSubreaper", "getChildSubreaper",
] as const satisfies readonly Fn[];
/** A compile error names any function of Libc the list above lacks. */
const everyFunctionListed: [Exclude<Fn, (typeof LIBC_FUNCTIONS)[number]>] extends [never] ? true : never = true;
void everyFunctionListed;

/**
 * `lazyLibc`, itself set up on the first call of any of its functions: its groups' tables and
 * stand-ins cost ~0.35 ms, which an import would otherwise pay (docs/DESIGN.md §3.1). After that
 * first call the object holds what `lazyLibc`'s does, so later calls are the same.
 */
export function deferredLibc(ffi: () => FfiBinding, platform: PlatformAbi, abi: () => Abi): Libc {
  const lib = {} as Record<Fn, CFunction>;
  const whole = once(abi);
  Object.defineProperty(lib, "abi", { enumerable: true, get: whole });
  let filled = false;
  for (const name of LIBC_FUNCTIONS) {
    lib[name] = (...args: never[]) => {
      // A caller may hold a stand-in from before the first call (a function read into a variable): it fills nothing twice.
      if (!filled) {
        fill(lib, ffi, platform, whole);
        filled = true;
      }
      return lib[name](...args);
    };
  }
  return lib as unknown as Libc;
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** Sets `lib`'s functions to stand-ins that open their group on first call (see lazyLibc). */
function fill(lib: Record<Fn, CFunction>, ffi: () => FfiBinding, platform: PlatformAbi, whole: () => Abi): void {
  const paths = () => whole().libcPaths;
  /** Opens `symbols`; a library that lacks one makes its calls throw UnsupportedPlatformError. */
  const open = (symbols: SymbolTable): Readonly<Record<string, CFunction>> => {
    try {
      return ffi().open(paths(), symbols);
    } catch (error) {
      throw new UnsupportedPlatformError(`${platform.os}-${platform.arch} (${String(error)})`);
    }
  };
  /**
   * Gives each of `names` a stand-in that runs `bind` (which sets the real functions on `lib`)
   * once, then calls the real function. A `bind` that throws is tried again on the next call.
   */
  const onFirstCall = (names: readonly Fn[], bind: () => void) => {
    let bound = false;
    for (const name of names) {
      lib[name] = (...args: never[]) => {
        if (!bound) {
          bind();
          bound = true;
        }
        return lib[name](...args);
      };
    }
  };
  /** A group whose functions are C's own, taken as they are. */
  const plain = (symbols: SymbolTable) => onFirstCall(Object.keys(symbols) as Fn[], () => Object.assign(lib, open(symbols)));
  const missing = (names: readonly Fn[]) => {
    for (const name of names) lib[name] = absent(name, platform.os);
  };

  plain(waitSymbols(platform));
  plain(SPAWN_SYMBOLS);
  plain(SIGACTION_SYMBOL);
  plain(DESCRIPTOR_SYMBOLS);
  onFirstCall(["errno"], () => {
    const location = open(errnoSymbol(platform))[platform.errnoSymbol] as () => number | null;
    const address = location();
    if (!address) throw new UnsupportedPlatformError(`${platform.os}-${platform.arch} (${platform.errnoSymbol}() returned NULL)`);
    const { readI32 } = ffi();
    lib.errno = () => readI32(address, 0);
  });
  onFirstCall(["strerror"], () => {
    const strerror = open(STRERROR_SYMBOL).strerror as (errnum: number) => unknown;
    lib.strerror = (errnum: number) => String(strerror(errnum));
  });
  onFirstCall(["posix_spawn_file_actions_addchdir_np"], () => {
    try {
      Object.assign(lib, ffi().open(paths(), ADDCHDIR_SYMBOL));
    } catch {
      missing(["posix_spawn_file_actions_addchdir_np"]);
    }
  });
  if (platform.os === "linux") plain(EPOLL_SYMBOLS);
  else missing(Object.keys(EPOLL_SYMBOLS) as Fn[]);
  if (platform.exitWatch.kind === "kqueue") plain(KQUEUE_SYMBOLS);
  else missing(Object.keys(KQUEUE_SYMBOLS) as Fn[]);

  const linuxCalls: Fn[] = ["pipe2", "socketpair", "poll", "fcntl", "pidfd_open", "setChildSubreaper", "getChildSubreaper"];
  const { syscalls, prctl } = platform;
  if (platform.os !== "linux" || syscalls === undefined || prctl === undefined) missing(linuxCalls);
  else {
    onFirstCall(linuxCalls, () => {
      const linux = open(LINUX_SYMBOLS);
      const syscall = linux.syscall as Syscall;
      let pidfdOpen: CFunction;
      try {
        pidfdOpen = ffi().open(paths(), PIDFD_OPEN_SYMBOL).pidfd_open!;
      } catch {
        pidfdOpen = (pid: number, flags: number) => syscall(syscalls.pidfd_open, pid, flags);
      }
      // PR_GET_CHILD_SUBREAPER stores an int through its second argument.
      const flag = new Int32Array(new ArrayBuffer(8));
      const { addressOf } = ffi();
      Object.assign(lib, {
        pipe2: linux.pipe2,
        socketpair: linux.socketpair,
        poll: linux.poll,
        fcntl: linux.fcntl,
        pidfd_open: pidfdOpen,
        setChildSubreaper: (on: boolean) => syscall(syscalls.prctl, prctl.PR_SET_CHILD_SUBREAPER, on ? 1 : 0),
        getChildSubreaper: () => (syscall(syscalls.prctl, prctl.PR_GET_CHILD_SUBREAPER, addressOf(flag)) === -1 ? -1 : flag[0]!),
      });
    });
  }
}
