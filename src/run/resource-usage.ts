/**
 * Bun's `ResourceUsage` made from a child's `struct rusage`, field for field as Bun's
 * `Subprocess.resourceUsage()` gives it: CPU time in microseconds as BigInts, maxRSS in bytes.
 * The figures are the command's own (the hand-off); the JSON-safe ones are in `result`.
 */
import { RU_MAXRSS_BYTES } from "../sys/constants.ts";
import type { Rusage } from "../sys/rusage.ts";

/** Microseconds in a float of seconds, as the kernel counted them (tv_sec + tv_usec). */
function micros(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1e6));
}

/** A child's resources as Bun reports them (bun-types `ResourceUsage`). */
export class ResourceUsage {
  readonly contextSwitches: { voluntary: number; involuntary: number };
  readonly cpuTime: { user: bigint; system: bigint; total: bigint };
  /** Peak resident set size in bytes. */
  readonly maxRSS: number;
  readonly messages: { sent: number; received: number };
  readonly ops: { in: number; out: number };
  readonly shmSize: number;
  readonly signalCount: number;
  readonly swapCount: number;

  constructor(rusage: Rusage) {
    const user = micros(rusage.ru_utime);
    const system = micros(rusage.ru_stime);
    this.contextSwitches = { voluntary: rusage.ru_nvcsw, involuntary: rusage.ru_nivcsw };
    this.cpuTime = { user, system, total: user + system };
    this.maxRSS = rusage.ru_maxrss * RU_MAXRSS_BYTES;
    this.messages = { sent: rusage.ru_msgsnd, received: rusage.ru_msgrcv };
    this.ops = { in: rusage.ru_inblock, out: rusage.ru_oublock };
    this.shmSize = rusage.ru_ixrss;
    this.signalCount = rusage.ru_nsignals;
    this.swapCount = rusage.ru_nswap;
  }
}
