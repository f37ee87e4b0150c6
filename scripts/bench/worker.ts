/**
 * What the workers (scripts/bench/workers/, run by scripts/bench/sample.ts in a fresh Bun per
 * sample) share: the timed loop's shape, the clocks, and the checks that a sample left nothing.
 */
import { dlopen, FFIType } from "bun:ffi";
import { readdirSync, readFileSync } from "node:fs";

/**
 * A timed loop. The loop lives in `batch`, written out as in the C and CPython references, so
 * no closure call is paid per operation. `batch` returns something derived from every result
 * (kept alive).
 */
export interface Loop {
  /** Before anything is timed, with the sample's extra arguments. */
  setup?(args: string[]): void | Promise<void>;
  batch(n: number): number | Promise<number>;
  /** Operations per iteration (8 when one iteration calls each of the 8 W* functions). */
  opsPerIteration?: number;
  teardown?(): void | Promise<void>;
}

/** A worker module: its loops and its one-off samples, by name. */
export interface WorkerModule {
  loops?: Record<string, Loop>;
  samples?: Record<string, (args: string[]) => unknown>;
}

// The clocks, read through libc directly (not through the library under test). Linux:
// CLOCK_MONOTONIC 1, CLOCK_THREAD_CPUTIME_ID 3; the buffer is over an explicit ArrayBuffer so
// its address never moves (docs/DESIGN.md §5.1).
const libc = process.platform === "linux" ? dlopen("libc.so.6", { clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } }) : undefined;
const timespec = new BigInt64Array(new ArrayBuffer(16));
function clockNs(clock: number): number {
  if (libc === undefined || libc.symbols.clock_gettime(clock, timespec) !== 0) return NaN;
  return Number(timespec[0]!) * 1e9 + Number(timespec[1]!);
}
/** CLOCK_MONOTONIC in ns (what the async case's C child records). */
export const monoNs = (): number => clockNs(1);
/** This thread's CPU time (user + system) in ns; NaN where the clock is not available. */
export const threadCpuNs = (): number => clockNs(3);
/** This process's CPU time (user + system, all threads) in ns. */
export function processCpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** Every child of this process still there, zombies included (/proc/self/task/<tid>/children). */
export function children(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync("/proc/self/task")) {
    const text = readFileSync(`/proc/self/task/${tid}/children`, "utf8").trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}

/** Ends the sample as failed: says why, kills every child (reaped once this process is gone), exits 3. */
export function fail(message: string): never {
  console.error(`bench worker: ${message}`);
  for (const pid of children()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  process.exit(3);
}

/** Fails unless this process has no child left; run()'s forker and its spares are ended first. */
export async function checkNoChildren(): Promise<void> {
  if (children().length > 0) (await import("../../src/run/handoff.ts")).closeHandoff();
  const left = children();
  if (left.length > 0) fail(`children left: ${left.slice(0, 5).join(" ")}`);
}

/** `text` as a non-negative integer, or the sample fails. */
export function int(text: string | undefined, name: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) fail(`${name} must be a non-negative integer, got ${text}`);
  return n;
}

/** A /proc/self/status figure in KiB (VmHWM, VmRSS). */
export function statusKiB(field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync("/proc/self/status", "utf8"));
  return m === null ? NaN : Number(m[1]);
}

/** Held by `hold` for the whole sample. */
let ballast: Uint8Array | undefined;

/** Makes this process hold `mib` MiB more: a Uint8Array with every byte written. */
export function hold(mib: number): void {
  ballast = new Uint8Array(mib * 1024 * 1024);
  ballast.fill(0x5a);
}

/**
 * Times `loop`: setup, `batch(warmup)` untimed (bun:ffi reaches full speed after ~30,000
 * calls, docs/DESIGN.md §5.6), then `batches` timed `batch(iterations)`. Per batch and
 * operation, in ns: wall time (`ns`), this thread's CPU (`cpu`) and the whole process's (`proc`).
 */
export async function timeLoop(loop: Loop, warmup: number, iterations: number, batches: number, args: string[]) {
  const ops = iterations * (loop.opsPerIteration ?? 1);
  const ns: number[] = [];
  const cpu: number[] = [];
  const proc: number[] = [];
  let sink = 0;
  try {
    await loop.setup?.(args);
    const first = loop.batch(warmup);
    sink += typeof first === "number" ? first : await first;
    for (let b = 0; b < batches; b++) {
      const p0 = processCpuNs();
      const w0 = Bun.nanoseconds();
      const c0 = threadCpuNs();
      const result = loop.batch(iterations);
      sink += typeof result === "number" ? result : await result;
      const c1 = threadCpuNs();
      const w1 = Bun.nanoseconds();
      const p1 = processCpuNs();
      ns.push((w1 - w0) / ops);
      cpu.push((c1 - c0) / ops);
      proc.push((p1 - p0) / ops);
    }
  } finally {
    await loop.teardown?.();
  }
  return { ns, cpu, proc, sink: sink + (ballast?.[0] ?? 0) };
}
