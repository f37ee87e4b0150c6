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
 * Returns a reader of one platform's `struct rusage` from a buffer's signed and unsigned
 * 32-bit views. 64-bit `long`s are read as two halves: BigInt reads cost ~6x more (DESIGN §5.4).
 */
export function rusageReader(layout: Pick<Layouts, "timevalUsecBytes">): (i32: Int32Array, u32: Uint32Array) => Rusage {
  // struct timeval at byte 0 and 16: tv_sec (8 bytes) then tv_usec (8 bytes, or 4 on macOS).
  // CPython computes tv_sec + tv_usec * 0.000001; the same expression gives the same double.
  const usecHigh = layout.timevalUsecBytes === 8;
  return (i32, u32) => {
    const utimeUsec = usecHigh ? i32[3]! * TWO_32 + u32[2]! : i32[2]!;
    const stimeUsec = usecHigh ? i32[7]! * TWO_32 + u32[6]! : i32[6]!;
    return {
      ru_utime: i32[1]! * TWO_32 + u32[0]! + utimeUsec * 0.000001,
      ru_stime: i32[5]! * TWO_32 + u32[4]! + stimeUsec * 0.000001,
      // 14 longs from byte 32, 8 bytes apart.
      ru_maxrss: i32[9]! * TWO_32 + u32[8]!,
      ru_ixrss: i32[11]! * TWO_32 + u32[10]!,
      ru_idrss: i32[13]! * TWO_32 + u32[12]!,
      ru_isrss: i32[15]! * TWO_32 + u32[14]!,
      ru_minflt: i32[17]! * TWO_32 + u32[16]!,
      ru_majflt: i32[19]! * TWO_32 + u32[18]!,
      ru_nswap: i32[21]! * TWO_32 + u32[20]!,
      ru_inblock: i32[23]! * TWO_32 + u32[22]!,
      ru_oublock: i32[25]! * TWO_32 + u32[24]!,
      ru_msgsnd: i32[27]! * TWO_32 + u32[26]!,
      ru_msgrcv: i32[29]! * TWO_32 + u32[28]!,
      ru_nsignals: i32[31]! * TWO_32 + u32[30]!,
      ru_nvcsw: i32[33]! * TWO_32 + u32[32]!,
      ru_nivcsw: i32[35]! * TWO_32 + u32[34]!,
    };
  };
}
