/**
 * The timing protocol every Bun worker shares with `ref.c` and `ref.py`:
 *
 *   bun scripts/bench/<worker>.ts <warmup> <iterations> <batches>
 *
 * runs `batch(warmup)` untimed (bun:ffi reaches full speed after ~30,000 calls, docs/DESIGN.md
 * §5.6), then `batches` timed calls of `batch(iterations)`, and prints one JSON line:
 * `{"ns": [wall-clock ns per operation of each batch], "cpu": [this thread's CPU time
 * (user + system) per operation of each batch], "sink": N}`. The loop lives in the
 * worker's own `batch` function, as in the C and Python references, so no closure call
 * is paid per operation.
 */
import { dlopen, FFIType } from "bun:ffi";

// The main thread's CPU clock, read through libc directly (not through the library under
// test). Linux's CLOCK_THREAD_CPUTIME_ID is 3; the buffer is over an explicit ArrayBuffer
// so its address never moves (docs/DESIGN.md §5.1).
const CLOCK_THREAD_CPUTIME_ID = 3;
const clockLib =
  process.platform === "linux"
    ? dlopen("libc.so.6", { clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } })
    : undefined;
const timespec = new BigInt64Array(new ArrayBuffer(16));

/** This thread's CPU time in ns (NaN where the clock is not available). */
function threadCpuNs(): number {
  if (clockLib === undefined || clockLib.symbols.clock_gettime(CLOCK_THREAD_CPUTIME_ID, timespec) !== 0) return NaN;
  return Number(timespec[0]!) * 1e9 + Number(timespec[1]!);
}

export interface Worker {
  /** Runs `n` iterations and returns something derived from every result (kept alive). */
  batch(n: number): number;
  /** Operations per iteration (8 when one iteration calls each of the 8 W* functions). */
  opsPerIteration?: number;
  /** Called once after the timed batches (reap children, close fds). */
  teardown?(): void;
}

function positiveInteger(text: string | undefined, name: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`worker: ${name} must be a non-negative integer, got ${text}`);
  return n;
}

/** Runs the protocol above for one worker and exits. */
export function runWorker(worker: Worker): void {
  const [, , a, b, c] = process.argv;
  const warmup = positiveInteger(a, "warmup");
  const iterations = positiveInteger(b, "iterations");
  const batches = positiveInteger(c, "batches");
  const ops = worker.opsPerIteration ?? 1;
  let sink = 0;
  const ns: number[] = [];
  const cpu: number[] = [];
  try {
    sink += worker.batch(warmup);
    for (let i = 0; i < batches; i++) {
      const w0 = Bun.nanoseconds();
      const c0 = threadCpuNs();
      sink += worker.batch(iterations);
      const c1 = threadCpuNs();
      const w1 = Bun.nanoseconds();
      ns.push((w1 - w0) / (iterations * ops));
      cpu.push((c1 - c0) / (iterations * ops));
    }
  } finally {
    worker.teardown?.();
  }
  console.log(JSON.stringify({ ns, cpu, sink }));
}

/** The status words every contender decodes: exits 0..127 and signals 1..31 (some +core). */
export const STATUSES: Int32Array = (() => {
  const out = new Int32Array(256);
  for (let i = 0; i < 256; i++) out[i] = i & 1 ? (i >> 1) << 8 : (1 + ((i >> 1) % 31)) | ((i & 2) << 6);
  return out;
})();
