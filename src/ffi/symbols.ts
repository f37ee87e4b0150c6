/**
 * The C functions bun-wait4 calls, as data: name → argument and result types, in the type
 * names both bun:ffi and a future `node:ffi` binding understand. Nothing here loads anything.
 *
 * Each group is opened on the first call of one of its functions, and never mixes symbols of
 * different platforms; the optional ones are groups of their own (docs/DESIGN.md §4.5).
 */
import type { Abi } from "../abi/types.ts";

/** A C type as the FFI passes it. `ptr` takes a typed array, an address or null. */
export type CType = "i16" | "i32" | "u32" | "i64" | "ptr" | "cstring";

/** One C function's signature. */
export interface CSignature {
  readonly args: readonly CType[];
  readonly returns: CType;
}

/** Symbol name → signature. */
export type SymbolTable = Readonly<Record<string, CSignature>>;

const spawnArgs = ["ptr", "ptr", "ptr", "ptr", "ptr", "ptr"] as const;

/** The waits and the usage call. `waitid`'s `id_t` is 32 or 64 bits wide. */
export function waitSymbols(abi: Pick<Abi, "idBits">) {
  return {
    wait4: { args: ["i32", "ptr", "i32", "ptr"], returns: "i32" },
    waitid: { args: ["i32", abi.idBits === 64 ? "i64" : "u32", "ptr", "i32"], returns: "i32" },
    getrusage: { args: ["i32", "ptr"], returns: "i32" },
  } as const satisfies SymbolTable;
}

/** The function returning the address of the calling thread's errno. */
export function errnoSymbol(abi: Pick<Abi, "errnoSymbol">) {
  return { [abi.errnoSymbol]: { args: [], returns: "ptr" } } as const satisfies SymbolTable;
}

/** An errno's text, for the errnos the fixed message table lacks. */
export const STRERROR_SYMBOL = {
  strerror: { args: ["i32"], returns: "cstring" },
} as const satisfies SymbolTable;

/** posix_spawn, its attribute and file-action objects, and the signal sets it takes. */
export const SPAWN_SYMBOLS = {
  posix_spawn: { args: spawnArgs, returns: "i32" },
  posix_spawnp: { args: spawnArgs, returns: "i32" },
  posix_spawn_file_actions_init: { args: ["ptr"], returns: "i32" },
  posix_spawn_file_actions_destroy: { args: ["ptr"], returns: "i32" },
  posix_spawn_file_actions_addopen: { args: ["ptr", "i32", "ptr", "i32", "u32"], returns: "i32" },
  posix_spawn_file_actions_addclose: { args: ["ptr", "i32"], returns: "i32" },
  posix_spawn_file_actions_adddup2: { args: ["ptr", "i32", "i32"], returns: "i32" },
  posix_spawnattr_init: { args: ["ptr"], returns: "i32" },
  posix_spawnattr_destroy: { args: ["ptr"], returns: "i32" },
  posix_spawnattr_setflags: { args: ["ptr", "i16"], returns: "i32" },
  posix_spawnattr_setpgroup: { args: ["ptr", "i32"], returns: "i32" },
  posix_spawnattr_setsigmask: { args: ["ptr", "ptr"], returns: "i32" },
  posix_spawnattr_setsigdefault: { args: ["ptr", "ptr"], returns: "i32" },
  sigemptyset: { args: ["ptr"], returns: "i32" },
  sigaddset: { args: ["ptr", "i32"], returns: "i32" },
} as const satisfies SymbolTable;

/** A signal's disposition (the SIGCHLD reset of the async waits). */
export const SIGACTION_SYMBOL = {
  sigaction: { args: ["i32", "ptr", "ptr"], returns: "i32" },
} as const satisfies SymbolTable;

/** Closing and duplicating descriptors, and access(2) (the PATH search of a spawn). */
export const DESCRIPTOR_SYMBOLS = {
  close: { args: ["i32"], returns: "i32" },
  dup: { args: ["i32"], returns: "i32" },
  access: { args: ["ptr", "i32"], returns: "i32" },
} as const satisfies SymbolTable;

/**
 * Functions only Linux's C libraries export. syscall(2) is variadic, which an FFI cannot
 * call: it is declared with a fixed list of `long`s. The results used are -1, 0 or a small
 * fd, so the low 32 bits (i32) of the `long` are the whole value.
 */
export const LINUX_SYMBOLS = {
  syscall: { args: ["i64", "i64", "i64"], returns: "i32" },
  pipe2: { args: ["ptr", "i32"], returns: "i32" },
  socketpair: { args: ["i32", "i32", "i32", "ptr"], returns: "i32" },
  poll: { args: ["ptr", "i64", "i32"], returns: "i32" },
  // fcntl(2) is variadic too; its one int argument after `cmd` is passed as syscall's are.
  fcntl: { args: ["i32", "i32", "i32"], returns: "i32" },
} as const satisfies SymbolTable;

/** epoll(7): Linux's exit watch. */
export const EPOLL_SYMBOLS = {
  epoll_create1: { args: ["i32"], returns: "i32" },
  epoll_ctl: { args: ["i32", "i32", "i32", "ptr"], returns: "i32" },
  epoll_wait: { args: ["i32", "ptr", "i32", "i32"], returns: "i32" },
} as const satisfies SymbolTable;

/** Functions macOS and FreeBSD export for kqueue(2). */
export const KQUEUE_SYMBOLS = {
  kqueue: { args: [], returns: "i32" },
  kevent: { args: ["i32", "ptr", "i32", "ptr", "i32", "ptr"], returns: "i32" },
} as const satisfies SymbolTable;

/** glibc ≥ 2.36 exports `pidfd_open`; musl and older glibc do not (then: syscall(2)). */
export const PIDFD_OPEN_SYMBOL = {
  pidfd_open: { args: ["i32", "u32"], returns: "i32" },
} as const satisfies SymbolTable;

/** glibc ≥ 2.29, musl ≥ 1.1.24, macOS ≥ 10.15, FreeBSD ≥ 13.1: a chdir among posix_spawn's file actions. */
export const ADDCHDIR_SYMBOL = {
  posix_spawn_file_actions_addchdir_np: { args: ["ptr", "ptr"], returns: "i32" },
} as const satisfies SymbolTable;

/** Exported by glibc and not by musl: how the running C library is told apart. */
export const GLIBC_PROBE_SYMBOL = {
  gnu_get_libc_version: { args: [], returns: "cstring" },
} as const satisfies SymbolTable;
