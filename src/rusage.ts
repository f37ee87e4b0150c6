/** `struct rusage` as CPython's `resource.struct_rusage`: 16 fields, same names, same order. */
import type { Layouts } from "./abi/types.ts";

/**
 * Resource usage of a process, field for field as C's `struct rusage` and CPython's
 * `resource.getrusage()`. Times are float seconds; `ru_maxrss` is in the platform's own
 * unit (KiB on Linux and FreeBSD, bytes on macOS); the rest are counts. Fields the
 * platform does not maintain (Linux: ixrss, idrss, isrss, nswap, msgsnd, msgrcv,
 * nsignals) are 0.
 */
export interface Rusage {
  /** User CPU time, seconds. */
  ru_utime: number;
  /** System CPU time, seconds. */
  ru_stime: number;
  /** Peak resident set size: KiB on Linux and FreeBSD, bytes on macOS. */
  ru_maxrss: number;
  /** Integral shared memory size. */
  ru_ixrss: number;
  /** Integral unshared data size. */
  ru_idrss: number;
  /** Integral unshared stack size. */
  ru_isrss: number;
  /** Page faults served without I/O (minor). */
  ru_minflt: number;
  /** Page faults that needed I/O (major). */
  ru_majflt: number;
  /** Times swapped out. */
  ru_nswap: number;
  /** Block input operations. */
  ru_inblock: number;
  /** Block output operations. */
  ru_oublock: number;
  /** IPC messages sent. */
  ru_msgsnd: number;
  /** IPC messages received. */
  ru_msgrcv: number;
  /** Signals received. */
  ru_nsignals: number;
  /** Voluntary context switches. */
  ru_nvcsw: number;
  /** Involuntary context switches. */
  ru_nivcsw: number;
}

/** The 16 field names in CPython's order. */
export const RUSAGE_FIELDS = [
  "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
  "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
] as const satisfies readonly (keyof Rusage)[];

/** Every field zero: what `wait4(pid, WNOHANG)` reports when nothing was ready. */
export function zeroRusage(): Rusage {
  return {
    ru_utime: 0, ru_stime: 0, ru_maxrss: 0, ru_ixrss: 0, ru_idrss: 0, ru_isrss: 0, ru_minflt: 0, ru_majflt: 0,
    ru_nswap: 0, ru_inblock: 0, ru_oublock: 0, ru_msgsnd: 0, ru_msgrcv: 0, ru_nsignals: 0, ru_nvcsw: 0, ru_nivcsw: 0,
  };
}

const TWO_32 = 0x100000000;

/**
 * The C `long` whose low 32 bits are at 32-bit index `at`: `i32[at + 1] * 2^32 + u32[at]`,
 * with a fast path for the usual high word 0 that keeps the JIT on integers.
 * Little-endian (x64, arm64).
 */
function long(i32: Int32Array, u32: Uint32Array, at: number): number {
  const high = i32[at + 1]!;
  return high === 0 ? u32[at]! : high * TWO_32 + u32[at]!;
}

/**
 * Returns a reader of one platform's `struct rusage` from a buffer's signed and unsigned
 * 32-bit views. 64-bit `long`s are read as two halves: BigInt reads cost ~6x more (DESIGN §5.4).
 */
export function rusageReader(layout: Pick<Layouts, "timevalUsecBytes">): (i32: Int32Array, u32: Uint32Array) => Rusage {
  // struct timeval at byte 0 and 16: tv_sec (8 bytes) then tv_usec (8 bytes, or 4 on macOS).
  // CPython computes tv_sec + tv_usec * 0.000001; the same expression gives the same double.
  const usecHigh = layout.timevalUsecBytes === 8;
  return (i32, u32) => ({
    ru_utime: long(i32, u32, 0) + (usecHigh ? long(i32, u32, 2) : i32[2]!) * 0.000001,
    ru_stime: long(i32, u32, 4) + (usecHigh ? long(i32, u32, 6) : i32[6]!) * 0.000001,
    // 14 longs from byte 32, 8 bytes apart.
    ru_maxrss: long(i32, u32, 8),
    ru_ixrss: long(i32, u32, 10),
    ru_idrss: long(i32, u32, 12),
    ru_isrss: long(i32, u32, 14),
    ru_minflt: long(i32, u32, 16),
    ru_majflt: long(i32, u32, 18),
    ru_nswap: long(i32, u32, 20),
    ru_inblock: long(i32, u32, 22),
    ru_oublock: long(i32, u32, 24),
    ru_msgsnd: long(i32, u32, 26),
    ru_msgrcv: long(i32, u32, 28),
    ru_nsignals: long(i32, u32, 30),
    ru_nvcsw: long(i32, u32, 32),
    ru_nivcsw: long(i32, u32, 34),
  });
}
