/**
 * `struct rusage` as CPython's `resource.struct_rusage` (16 fields, same names, same order),
 * and `getrusage`.
 */
import { RUSAGE_FIELDS, rusageOffset } from "../abi/rusage.ts";
import { RUSAGE_ALLOC, type Layouts } from "../abi/types.ts";
import { checkInt32 } from "../errors/arguments.ts";
import { libc, runningAbi } from "../ffi/load.ts";
import { systemError } from "./errno.ts";

export { RUSAGE_FIELDS };

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

/** Every field zero: what `wait4(pid, WNOHANG)` reports when nothing was ready. */
export function zeroRusage(): Rusage {
  // A literal, not a loop over RUSAGE_FIELDS: docs/DESIGN.md §5.7.
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

/** 32-bit index of each field's first word (`rusageOffset / 4`). */
const [UTIME, STIME, MAXRSS, IXRSS, IDRSS, ISRSS, MINFLT, MAJFLT, NSWAP, INBLOCK, OUBLOCK, MSGSND, MSGRCV, NSIGNALS, NVCSW, NIVCSW] =
  RUSAGE_FIELDS.map((_, i) => rusageOffset(i) / 4) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/**
 * Returns a reader of one platform's `struct rusage` from a buffer's signed and unsigned
 * 32-bit views. 64-bit `long`s are read as two 32-bit halves: BigInt reads cost ~6x more
 * (docs/DESIGN.md §5.4).
 */
export function rusageReader(layout: Pick<Layouts, "timevalUsecBytes">): (i32: Int32Array, u32: Uint32Array) => Rusage {
  // struct timeval: tv_sec (8 bytes) then tv_usec (8 bytes, or 4 on macOS) at +8.
  // CPython computes tv_sec + tv_usec * 0.000001; the same expression gives the same double.
  const usecHigh = layout.timevalUsecBytes === 8;
  return (i32, u32) => ({
    ru_utime: long(i32, u32, UTIME) + (usecHigh ? long(i32, u32, UTIME + 2) : i32[UTIME + 2]!) * 0.000001,
    ru_stime: long(i32, u32, STIME) + (usecHigh ? long(i32, u32, STIME + 2) : i32[STIME + 2]!) * 0.000001,
    ru_maxrss: long(i32, u32, MAXRSS),
    ru_ixrss: long(i32, u32, IXRSS),
    ru_idrss: long(i32, u32, IDRSS),
    ru_isrss: long(i32, u32, ISRSS),
    ru_minflt: long(i32, u32, MINFLT),
    ru_majflt: long(i32, u32, MAJFLT),
    ru_nswap: long(i32, u32, NSWAP),
    ru_inblock: long(i32, u32, INBLOCK),
    ru_oublock: long(i32, u32, OUBLOCK),
    ru_msgsnd: long(i32, u32, MSGSND),
    ru_msgrcv: long(i32, u32, MSGRCV),
    ru_nsignals: long(i32, u32, NSIGNALS),
    ru_nvcsw: long(i32, u32, NVCSW),
    ru_nivcsw: long(i32, u32, NIVCSW),
  });
}

/**
 * A `struct rusage` buffer C writes into (each over its own ArrayBuffer, passed to C as the
 * typed array itself) and the running platform's reader of it. Where nothing is supported the
 * reader is never reached: the C call before it throws.
 */
export class RusageBuffer {
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly read: () => Rusage;
  constructor(layout: Pick<Layouts, "timevalUsecBytes"> | undefined = runningAbi?.layouts) {
    const memory = new ArrayBuffer(RUSAGE_ALLOC);
    const i32 = new Int32Array(memory);
    const u32 = new Uint32Array(memory);
    const reader = layout === undefined ? zeroRusage : rusageReader(layout);
    this.i32 = i32;
    this.u32 = u32;
    this.read = () => reader(i32, u32);
  }
}

let usage: RusageBuffer | undefined;

/**
 * Resource usage of this process (`RUSAGE_SELF`), its reaped children (`RUSAGE_CHILDREN`)
 * or the calling thread (`RUSAGE_THREAD`, Linux and FreeBSD), as CPython's
 * `resource.getrusage`.
 *
 * @throws SystemError "EINVAL" for an unknown `who`.
 * @example
 * const { ru_utime, ru_maxrss } = getrusage(RUSAGE_SELF);
 */
export function getrusage(who: number): Rusage {
  checkInt32(who, "who");
  usage ??= new RusageBuffer();
  if (libc.getrusage(who, usage.i32) === -1) throw systemError("getrusage", libc.errno());
  return usage.read();
}
