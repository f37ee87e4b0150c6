/**
 * The async waits: `wait4` from "bun-wait4/promises" against a C program's blocking wait4(-1)
 * (the floor, async-ref.c) and Bun's own `proc.exited`. Every sample is a fresh process
 * (workers/async.ts, or the C floor) that first runs untimed passes of 200 children through the
 * same contender (the C floor: 2 of 100; it has no JIT to warm). The children are async-child.c,
 * built static: each sleeps until an absolute CLOCK_MONOTONIC deadline, records its exit instant
 * and exits with code i % 7. A sample whose spawn and registration loops overran the first exit
 * is "late" and runs again (three times at most).
 *
 *   spread-100, spread-1000  N children exiting 500 µs (N = 100) or 200 µs (N = 1,000) apart:
 *     exit → resolve latency p50/p95 and parent CPU (getrusage RUSAGE_SELF, user + system, all
 *     threads, from the end of the spawn loop to the last resolve). At N = 100 also the scan
 *     fallback (BUN_WAIT4_EXIT_WATCH=scan).
 *   pending  200 children 500 µs apart with 0 or 2,000 other waits pending (children that
 *     would sleep two minutes; SIGKILLed and reaped afterwards): wait CPU per child, latency.
 *   idle  CPU and voluntary switches over 1 s: idle Bun, ours with none pending (after one
 *     completed wait), ours with 10 waits pending on `sleep 100` children.
 *
 * Diagnostics (not for published figures): BENCH_ASYNC_WARM=<passes> changes the warm-up,
 * BENCH_ASYNC_THREADS=1 adds per-thread CPU to every sample (workers/async.ts).
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { count, grouped, ms, signed, times, us } from "../format.ts";
import { compile, defineCase, goal, processSample, workerArgv, type Context, type GoalResult, type Samples, type Table } from "../harness.ts";
import { median, pairedDiff, pairedRatio } from "../stats.ts";

interface Programs {
  child: string;
  /** The C floor; absent when it could not be built. */
  ref: string | undefined;
  linkage: "static" | "dynamic";
}

let built: { dir: string; programs: Programs | string } | undefined;

/** Builds the child (static if the C library allows) and the C floor, once per run. */
function programs(ctx: Context): Programs | string {
  if (built?.dir === ctx.dir) return built.programs;
  let result: Programs | string;
  if (process.platform !== "linux") result = "the workers read /proc and the C floor is Linux's";
  else if (ctx.cc === undefined) result = "no C compiler for its child program";
  else {
    let linkage: Programs["linkage"] = "static";
    let child = compile(ctx, "async-child.c", "async-child", ["-static"]);
    if (child === undefined) {
      linkage = "dynamic";
      child = compile(ctx, "async-child.c", "async-child");
    }
    result = child === undefined ? "async-child.c could not be built" : { child, ref: compile(ctx, "async-ref.c", "async-ref"), linkage };
  }
  built = { dir: ctx.dir, programs: result };
  return result;
}

/** One exit sample, as the worker and the C floor print it. */
interface ExitSample {
  p50: number;
  p95: number;
  cpuRegister: number;
  cpuWait: number;
  cpuMain: number;
  nvcswWait: number;
  late: boolean;
  /** How many times the sample was run. */
  attempts: number;
}

interface IdleSample {
  cpuNsPerS: number;
  nvcswPerS: number;
}

const SHM = existsSync("/dev/shm") ? "/dev/shm" : undefined;
let serial = 0;

/** Runs `argv(file)` with a fresh scratch file for the children's exit instants; a late sample runs again. */
function sampleWith<S>(ctx: Context, argv: (file: string) => string[], env: Record<string, string | undefined> = {}): S & { attempts: number } {
  for (let attempts = 1; ; attempts++) {
    const file = join(SHM ?? ctx.dir, `bun-wait4-bench-${process.pid}-${serial++}.bin`);
    let s: S & { late?: boolean };
    try {
      s = processSample<S & { late?: boolean }>(argv(file), { BUN_WAIT4_EXIT_WATCH: undefined, ...env }, 180_000);
    } finally {
      for (const f of [file, `${file}.extra`]) rmSync(f, { force: true });
    }
    if (!s.late || attempts === 3) return { ...s, attempts };
  }
}

const warmPasses = (ctx: Context) => (process.env.BENCH_ASYNC_WARM !== undefined ? Number(process.env.BENCH_ASYNC_WARM) : ctx.quick ? 2 : 8);
const K = 2000;
const cpuOf = (s: ExitSample) => s.cpuRegister + s.cpuWait;

/** How many samples, and how many of them were run again or still late. */
const sampleNote = (samples: ExitSample[]) => {
  const reruns = samples.reduce((a, s) => a + s.attempts - 1, 0);
  const late = samples.filter((s) => s.late).length;
  return `${samples.length}${reruns ? ` (${count(reruns, "rerun")})` : ""}${late ? `, ${late} late` : ""}`;
};

/** An exit-mode contender: `run` ("ours", "exited", "scan") with N children `gap` ns apart and K pending. */
function exitContender(ctx: Context, p: Programs, id: string, label: string, run: string, n: number, gap: number, k: number) {
  const env = run === "scan" ? { BUN_WAIT4_EXIT_WATCH: "scan" } : {};
  return { id, label, sample: () => sampleWith<ExitSample>(ctx, (file) => workerArgv("async", "exit", run, n, gap, k, p.child, file, warmPasses(ctx)), env) };
}

const ROUNDS = [5, 3] as const;

function spread(n: number, gap: number, scan: boolean) {
  const title = `${grouped(n)} children, exits ${gap / 1000} µs apart`;
  return defineCase<ExitSample>({
    id: `async/spread-${n}`,
    rounds: ROUNDS,
    prepare(ctx) {
      const p = programs(ctx);
      if (typeof p === "string") return p;
      const c = p.ref;
      const contenders = [
        // C has no JIT to warm: two passes bring its caches and the child's page cache up.
        ...(c === undefined ? [] : [{ id: "c", label: "C blocking wait4(-1) (floor)", sample: () => sampleWith<ExitSample>(ctx, (file) => [c, String(n), String(gap), p.child, file, String(Math.min(2, warmPasses(ctx)))]) }]),
        exitContender(ctx, p, "ours", "bun-wait4/promises wait4", "ours", n, gap, 0),
        exitContender(ctx, p, "exited", "Bun.spawn + proc.exited", "exited", n, gap, 0),
        ...(scan ? [exitContender(ctx, p, "scan", "bun-wait4/promises, BUN_WAIT4_EXIT_WATCH=scan", "scan", n, gap, 0)] : []),
      ];
      const warm = warmPasses(ctx);
      return {
        contenders,
        tables: (samples): Table[] => [
          {
            intro: `Async waits (\`--case async\`): exit → resolve latency and parent CPU (getrusage RUSAGE_SELF, user + system, all threads, from the end of the spawn loop to the last resolve); medians over samples, one process per sample, after ${warm} untimed passes of 200 children in each (C: ${Math.min(2, warm)} of 100); ${p.linkage} C child.`,
            head: [
              "| children (exits) | contender | p50 | p95 | p50 vs C | p50 vs exited | parent CPU | per child | CPU vs exited | main thread / others | vol. switches | samples |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            ],
            rows: contenders.map((k, i) => {
              const s = samples(k.id);
              const p50 = s.map((v) => v.p50);
              const cpu = s.map(cpuOf);
              const vs = (ref: string, f: (v: ExitSample) => number, mine: number[]) => times(pairedRatio(mine, samples(ref).map(f)));
              return (
                `| ${i === 0 ? title : ""} | ${k.label} | ${us(median(p50))} | ${us(median(s.map((v) => v.p95)))} | ${vs("c", (v) => v.p50, p50)} | ` +
                `${vs("exited", (v) => v.p50, p50)} | ${ms(median(cpu))} | ${us(median(cpu) / n, 1)} | ${vs("exited", cpuOf, cpu)} | ` +
                `${k.id === "c" ? "–" : `${ms(median(s.map((v) => v.cpuMain)))} / ${ms(median(s.map((v) => cpuOf(v) - v.cpuMain)))}`} | ${Math.round(median(s.map((v) => v.nvcswWait)))} | ${sampleNote(s)} |`
              );
            }),
          },
        ],
        goals: (samples): GoalResult[] => {
          const ours = samples("ours");
          const latency = pairedRatio(ours.map((s) => s.p50), samples("c").map((s) => s.p50));
          const cpu = pairedRatio(ours.map(cpuOf), samples("exited").map(cpuOf));
          const what = `${grouped(n)} children (spread)`;
          return [
            goal(`async wait4 exit→resolve p50 ≤ 1.2x the C floor, ${what}`, latency, latency <= 1.2, `${times(latency, 3)} of C's p50`),
            goal(`async wait4 parent CPU ≤ Bun's proc.exited, ${what}`, cpu, cpu <= 1, `${times(cpu, 3)} of exited's CPU`),
          ];
        },
      };
    },
  });
}

const pending = defineCase<ExitSample>({
  id: "async/pending",
  rounds: ROUNDS,
  // Two contenders and a ratio between them: twice the samples, for little time.
  passes: [2, 2],
  prepare(ctx) {
    const p = programs(ctx);
    if (typeof p === "string") return p;
    const contenders = [
      exitContender(ctx, p, "k0", "bun-wait4/promises, 0 other waits pending", "ours", 200, 500_000, 0),
      exitContender(ctx, p, "k", `bun-wait4/promises, ${grouped(K)} other waits pending`, "ours", 200, 500_000, K),
    ];
    return {
      contenders,
      tables: (samples) => [
        {
          intro: `Cost per child against the number of waits pending: 200 children, exits 500 µs apart, with 0 or ${grouped(K)} other waits pending.`,
          head: ["| contender | wait CPU per child | register CPU per child | p50 | p95 | samples |", "|---|---:|---:|---:|---:|---:|"],
          rows: contenders.map((k) => {
            const s = samples(k.id);
            return `| ${k.label} | ${us(median(s.map((v) => v.cpuWait)) / 200, 1)} | ${us(median(s.map((v) => v.cpuRegister)) / 200, 1)} | ${us(median(s.map((v) => v.p50)))} | ${us(median(s.map((v) => v.p95)))} | ${sampleNote(s)} |`;
          }),
        },
      ],
      goals: (samples) => {
        const [k0, k] = [samples("k0"), samples("k")];
        const cpu = pairedRatio(k.map((s) => s.cpuWait), k0.map((s) => s.cpuWait));
        const latency = pairedRatio(k.map((s) => s.p50), k0.map((s) => s.p50));
        const others = `${grouped(K)} other waits pending`;
        return [
          goal(`wait CPU per child with ${others} ≤ 1.2x with none`, cpu, cpu <= 1.2, `${times(cpu, 3)} of none pending`),
          goal(`exit→resolve p50 with ${others} ≤ 1.2x with none`, latency, latency <= 1.2, `${times(latency, 3)} of none pending`),
        ];
      },
    };
  },
});

/** Idle criterion: at most this much more than idle Bun, per second (median of paired differences). */
const IDLE_CPU_MS = 1;
const IDLE_SWITCHES = 10;

const idle = defineCase<IdleSample>({
  id: "async/idle",
  rounds: ROUNDS,
  prepare(ctx) {
    const p = programs(ctx);
    if (typeof p === "string") return p;
    const contender = (id: string, label: string) => ({ id, label, sample: () => sampleWith<IdleSample>(ctx, (file) => workerArgv("async", "idle", id, p.child, file)) });
    const contenders = [
      contender("bun-idle", "idle Bun (nothing pending, bun-wait4/promises not loaded)"),
      contender("ours-none", "bun-wait4/promises loaded, one wait done, none pending"),
      contender("ours-10", "bun-wait4/promises, 10 waits pending on `sleep 100`"),
    ];
    const overIdle = (samples: Samples<IdleSample>, id: string) => ({
      cpu: pairedDiff(samples(id).map((v) => v.cpuNsPerS / 1e6), samples("bun-idle").map((v) => v.cpuNsPerS / 1e6)),
      switches: pairedDiff(samples(id).map((v) => v.nvcswPerS), samples("bun-idle").map((v) => v.nvcswPerS)),
    });
    return {
      contenders,
      tables: (samples) => [
        {
          intro: `Idle: CPU and voluntary context switches of the whole process (getrusage RUSAGE_SELF) over one second, from 2.5 s after its start (at least 0.5 s after its setup, which ends with \`Bun.gc(true)\` in every contender). Goal criterion: the median over rounds of (contender − idle Bun of the same round) at most +${IDLE_CPU_MS} ms/s of CPU and +${IDLE_SWITCHES} switches/s.`,
          head: ["| contender | CPU per s | spread | vol. switches per s | spread | vs idle Bun (paired) |", "|---|---:|---:|---:|---:|---:|"],
          rows: contenders.map((k) => {
            const cpu = samples(k.id).map((v) => v.cpuNsPerS);
            const sw = samples(k.id).map((v) => v.nvcswPerS);
            const d = overIdle(samples, k.id);
            const vs = k.id === "bun-idle" ? "–" : `${signed(d.cpu, 2, " ms")}, ${signed(d.switches, 1, " switches")}`;
            return `| ${k.label} | ${ms(median(cpu))} | ${grouped(Math.min(...cpu) / 1e6, 2)} – ${ms(Math.max(...cpu))} | ${median(sw).toFixed(1)} | ${Math.min(...sw).toFixed(0)} – ${Math.max(...sw).toFixed(0)} | ${vs} |`;
          }),
        },
      ],
      goals: (samples) =>
        ([["ours-10", "10 waits pending"], ["ours-none", "none pending (after a wait)"]] as const).map(([id, what]) => {
          const d = overIdle(samples, id);
          return goal(
            `idle, ${what}: ≤ idle Bun + ${IDLE_CPU_MS} ms/s CPU and + ${IDLE_SWITCHES} voluntary switches/s`,
            d.cpu + d.switches,
            d.cpu <= IDLE_CPU_MS && d.switches <= IDLE_SWITCHES,
            `${signed(d.cpu, 2, " ms/s")}, ${signed(d.switches, 1, " switches/s")} vs idle Bun`,
          );
        }),
    };
  },
});

export const asyncCases = [spread(100, 500_000, true), spread(1000, 200_000, false), pending, idle];
