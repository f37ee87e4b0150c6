/**
 * The one module that touches `bun:ffi`: loads the C library, declares the symbols we
 * call, reads errno, and packs strings for C. Everything else works on typed arrays.
 *
 * Buffers handed to C are typed arrays passed as the `ptr` argument itself (resolved at
 * each call), or views over an explicit `ArrayBuffer`: a pointer cached from a small
 * fresh typed array goes stale once JSC's JIT moves its storage (DESIGN §5.1).
 */
import { dlopen, ptr, read, FFIType } from "bun:ffi";
import type { Abi } from "./abi/types.ts";
import { selectAbi, UnsupportedPlatformError } from "./abi/select.ts";

const { i32, u32, i16, i64, ptr: pointer, cstring } = FFIType;

/** A buffer C may write through. */
type Buf = Int32Array | Uint8Array;
/** A C pointer as bun:ffi passes it: a typed array, an address, or NULL. */
type Ptr = Buf | number | null;

/** The C functions we call, with Bun's FFI types stripped to plain signatures. */
export interface Libc {
  readonly abi: Abi;
  wait4(pid: number, status: Int32Array, options: number, rusage: Int32Array | null): number;
  waitid(idtype: number, id: number, info: Int32Array, options: number): number;
  getrusage(who: number, rusage: Int32Array): number;
  /** -1 with errno set on failure, like the libc wrapper. */
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
  /** pipe2(2) (Linux): fills fds with [read end, write end]; -1 with errno on failure. */
  pipe2(fds: Int32Array, flags: number): number;
  /** prctl(PR_SET_CHILD_SUBREAPER, on) on Linux; -1 with errno on failure. */
  setChildSubreaper(on: boolean): number;
}

const spawnArgs = [pointer, pointer, pointer, pointer, pointer, pointer] as const;

function symbolsFor(abi: Abi) {
  return {
    wait4: { args: [i32, pointer, i32, pointer], returns: i32 },
    waitid: { args: [i32, abi.idBits === 64 ? i64 : u32, pointer, i32], returns: i32 },
    getrusage: { args: [i32, pointer], returns: i32 },
    [abi.errnoSymbol]: { args: [], returns: pointer },
    strerror: { args: [i32], returns: cstring },
    posix_spawn: { args: spawnArgs, returns: i32 },
    posix_spawnp: { args: spawnArgs, returns: i32 },
    posix_spawn_file_actions_init: { args: [pointer], returns: i32 },
    posix_spawn_file_actions_destroy: { args: [pointer], returns: i32 },
    posix_spawn_file_actions_addopen: { args: [pointer, i32, pointer, i32, u32], returns: i32 },
    posix_spawn_file_actions_addclose: { args: [pointer, i32], returns: i32 },
    posix_spawn_file_actions_adddup2: { args: [pointer, i32, i32], returns: i32 },
    posix_spawnattr_init: { args: [pointer], returns: i32 },
    posix_spawnattr_destroy: { args: [pointer], returns: i32 },
    posix_spawnattr_setflags: { args: [pointer, i16], returns: i32 },
    posix_spawnattr_setpgroup: { args: [pointer, i32], returns: i32 },
    posix_spawnattr_setsigmask: { args: [pointer, pointer], returns: i32 },
    posix_spawnattr_setsigdefault: { args: [pointer, pointer], returns: i32 },
    sigemptyset: { args: [pointer], returns: i32 },
    sigaddset: { args: [pointer, i32], returns: i32 },
  } as const;
}

/** Opens the first of `paths` that loads with `symbols`, or throws the last error. */
function openFirst<S extends Record<string, { args: readonly FFIType[]; returns: FFIType }>>(
  paths: readonly string[],
  symbols: S,
) {
  let last: unknown;
  for (const path of paths) {
    try {
      return dlopen(path, symbols);
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

/** glibc exports `gnu_get_libc_version`; musl does not (and maps "libc.so.6" to itself). */
function detectLinuxLibc(): "glibc" | "musl" {
  try {
    const probe = dlopen("libc.so.6", { gnu_get_libc_version: { args: [], returns: cstring } });
    probe.close();
    return "glibc";
  } catch {
    return "musl";
  }
}

/** Loads the C library of the running process and binds its symbols. */
export function loadLibc(abi: Abi): Libc {
  const lib = openFirst(abi.libcPaths, symbolsFor(abi));
  const s = lib.symbols;
  const errnoLocation = (s[abi.errnoSymbol] as () => number | null)();
  if (!errnoLocation) throw new Error(`bun-wait4: ${abi.errnoSymbol}() returned NULL`);
  const errnoAddress = errnoLocation;
  const linux = bindLinuxOnly(abi);
  const pidfdOpen = bindPidfdOpen(abi, linux.syscall);
  return {
    abi,
    wait4: s.wait4,
    waitid: s.waitid,
    getrusage: s.getrusage,
    pidfd_open: pidfdOpen,
    errno: () => read.i32(errnoAddress, 0),
    strerror: (n) => String(s.strerror(n)),
    posix_spawn: s.posix_spawn,
    posix_spawnp: s.posix_spawnp,
    posix_spawn_file_actions_init: s.posix_spawn_file_actions_init,
    posix_spawn_file_actions_destroy: s.posix_spawn_file_actions_destroy,
    posix_spawn_file_actions_addopen: s.posix_spawn_file_actions_addopen,
    posix_spawn_file_actions_addclose: s.posix_spawn_file_actions_addclose,
    posix_spawn_file_actions_adddup2: s.posix_spawn_file_actions_adddup2,
    posix_spawnattr_init: s.posix_spawnattr_init,
    posix_spawnattr_destroy: s.posix_spawnattr_destroy,
    posix_spawnattr_setflags: s.posix_spawnattr_setflags,
    posix_spawnattr_setpgroup: s.posix_spawnattr_setpgroup,
    posix_spawnattr_setsigmask: s.posix_spawnattr_setsigmask,
    posix_spawnattr_setsigdefault: s.posix_spawnattr_setsigdefault,
    sigemptyset: s.sigemptyset,
    sigaddset: s.sigaddset,
    pipe2: linux.pipe2,
    setChildSubreaper: (on) => linux.syscall(abi.syscalls!.prctl, PR_SET_CHILD_SUBREAPER, on ? 1 : 0),
  } as Libc;
}

/** linux/prctl.h */
const PR_SET_CHILD_SUBREAPER = 36;

type Syscall2 = (nr: number, a: number, b: number) => number;

/**
 * Symbols only Linux has (declaring them elsewhere would fail the whole dlopen).
 * syscall(2) is variadic, which bun:ffi cannot call: it is declared with a fixed list of
 * longs. The results we use are -1, 0 or a small fd, so the low 32 bits (i32) of the
 * long are the whole value.
 */
function bindLinuxOnly(abi: Abi): { syscall: Syscall2; pipe2: (fds: Int32Array, flags: number) => number } {
  if (abi.os !== "linux") {
    const fail = (): never => {
      throw new Error(`bun-wait4: this call is Linux-only, not available on ${abi.os}`);
    };
    return { syscall: fail, pipe2: fail };
  }
  const lib = openFirst(abi.libcPaths, {
    syscall: { args: [i64, i64, i64], returns: i32 },
    pipe2: { args: [pointer, i32], returns: i32 },
  });
  return { syscall: lib.symbols.syscall, pipe2: lib.symbols.pipe2 };
}

/** glibc ≥ 2.36 exports pidfd_open; musl and older glibc need syscall(2). */
function bindPidfdOpen(abi: Abi, syscall: Syscall2): (pid: number, flags: number) => number {
  if (abi.syscalls === undefined) {
    return () => {
      throw new Error(`bun-wait4: pidfd_open is Linux-only; not available on ${abi.os}`);
    };
  }
  try {
    const lib = openFirst(abi.libcPaths, { pidfd_open: { args: [i32, u32], returns: i32 } });
    return lib.symbols.pidfd_open;
  } catch {
    const nr = abi.syscalls.pidfd_open;
    return (pid, flags) => syscall(nr, pid, flags);
  }
}

/** The NUL-terminated strings and NULL-terminated `char *` arrays of one C call. */
export interface PackedStrings {
  /** Keep this referenced until the C call returns. */
  readonly memory: ArrayBuffer;
  /** Address of each string, in the order given. */
  readonly strings: number[];
  /** Address of each `char *[]`, in the order given. */
  readonly arrays: number[];
}

const encoder = new TextEncoder();

/**
 * Packs `strings` and `arrays` (each becomes a NULL-terminated `char *[]`) into one
 * explicit ArrayBuffer, whose storage JSC never moves. Strings must hold no NUL.
 */
export function packStrings(strings: readonly string[], arrays: readonly (readonly string[])[]): PackedStrings {
  const all = [...strings, ...arrays.flat()];
  const bytes = all.map((s) => encoder.encode(s));
  const pointerSlots = arrays.reduce((n, a) => n + a.length + 1, 0);
  const textBytes = bytes.reduce((n, b) => n + b.length + 1, 0);
  const memory = new ArrayBuffer(pointerSlots * 8 + textBytes);
  const u8 = new Uint8Array(memory);
  const u32 = new Uint32Array(memory, 0, pointerSlots * 2);
  const base = ptr(u8);
  const addresses: number[] = [];
  let at = pointerSlots * 8;
  for (const b of bytes) {
    u8.set(b, at); // the byte after it is already 0
    addresses.push(base + at);
    at += b.length + 1;
  }
  const arrayAddresses: number[] = [];
  let slot = 0;
  let next = strings.length;
  for (const a of arrays) {
    arrayAddresses.push(base + slot * 8);
    for (let i = 0; i < a.length; i++, slot++) {
      const address = addresses[next++]!;
      u32[slot * 2] = address % 0x100000000; // little-endian on x64 and arm64
      u32[slot * 2 + 1] = Math.floor(address / 0x100000000);
    }
    slot++; // the NULL terminator, already zero
  }
  return { memory, strings: addresses.slice(0, strings.length), arrays: arrayAddresses };
}

/** A fresh zeroed buffer over its own ArrayBuffer (so its address is stable). */
export function stableBytes(size: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(size));
}

function unsupported(error: Error): Libc {
  const fail = (): never => {
    throw error;
  };
  return new Proxy({} as Libc, {
    get: (_target, name) => (name === "abi" ? fail() : fail),
  });
}

function loadRunning(): Libc {
  try {
    const linuxLibc = process.platform === "linux" ? detectLinuxLibc() : undefined;
    return loadLibc(selectAbi(process.platform, process.arch, linuxLibc));
  } catch (error) {
    // Importing must never crash (Windows, exotic hosts): every call throws instead.
    return unsupported(
      error instanceof UnsupportedPlatformError
        ? error
        : new UnsupportedPlatformError(`${process.platform}-${process.arch} (${String(error)})`),
    );
  }
}

/** The running process's C library, or a stand-in whose every call throws. */
export const libc: Libc = loadRunning();

/** The running platform's table, or undefined where nothing is supported. */
export const runningAbi: Abi | undefined = (() => {
  try {
    return libc.abi;
  } catch {
    return undefined;
  }
})();
