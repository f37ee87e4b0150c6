/**
 * The async case of scripts/bench.ts (issue 9): `wait4` from "bun-wait4/promises" against a C
 * program's blocking wait4 (the floor) and Bun's own `proc.exited`.
 *
 * Every sample is a fresh process (scripts/bench/async-worker.ts, or the C floor
 * scripts/bench/async-ref.c), which first runs untimed warm-up passes of 200 children through
 * the same contender (the C floor: 2 passes of 100; it has no JIT to warm). The children are
 * scripts/bench/async-child.c, a static C program that sleeps until an absolute
 * CLOCK_MONOTONIC deadline, records its exit instant and exits with code i % 7. Each round
 * runs every scenario (the pending one twice); inside a scenario the contenders rotate and
 * every other pass reverses the order. Figures are medians over samples; ratios are medians
 * of per-sample paired ratios (differences, for the idle case).
 *
 * Scenarios:
 *   spread-100, spread-1000  N children exiting 500 us (N = 100) or 200 us (N = 1,000) apart:
 *     exit -> resolve latency p50/p95 and parent CPU (getrusage RUSAGE_SELF, user + system, all
 *     threads, from the end of the spawn loop to the last resolve). Contenders: C, ours,
 *     Bun's exited, and at N = 100 the scan fallback (BUN_WAIT4_EXIT_WATCH=scan).
 *   pending  200 children 500 us apart with 0 or K = 2,000 other waits pending (children that
 *     would sleep two minutes; SIGKILLed and reaped afterwards): wait CPU per child, latency.
 *   idle  CPU and voluntary context switches over 1 s: idle Bun, ours with none pending (after
 *     one completed wait), ours with 10 waits pending on `sleep 100` children.
 *
 * Every child's exit code is checked, every worker checks it has no child left (zombie or
 * not), and after the rounds no process may still run the child binary.
 *
 * Diagnostics (not for published figures): BENCH_ASYNC_WARM=<passes> changes the warm-up,
 * BENCH_ASYNC_THREADS=1 adds per-thread CPU to every sample (see async-worker.ts).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { processesWhere } from "./processes.ts";
import { median, rotate } from "./stats.ts";

const BENCH_DIR = import.meta.dir;

export interface AsyncPrograms {
  child: string;
  /** The C floor; absent when it could not be built. */
  ref: string | undefined;
  /** How the child was linked ("static", or "dynamic" when no static libc is installed). */
  linkage: "static" | "dynamic";
}

function compile(argv: string[]): { ok: boolean; stderr: string } {
  const r = Bun.spawnSync({ cmd: argv, stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  return { ok: r.success, stderr: r.stderr.toString() };
}

/** Builds the child (static if the C library allows) and the C floor into `dir`. */
export function buildAsyncPrograms(cc: string | undefined, dir: string): AsyncPrograms | undefined {
  if (process.platform !== "linux") {
    // The workers read /proc (thread CPU, children left, open fds) and the C floor is Linux's.
    console.error("bench: the async case runs on Linux only; skipped");
    return undefined;
  }
  if (cc === undefined) {
    console.error("bench: no C compiler; the async case (which needs its C child) is skipped");
    return undefined;
  }
  const child = join(dir, "async-child");
  const src = join(BENCH_DIR, "async-child.c");
  let linkage: AsyncPrograms["linkage"] = "static";
  let r = compile([cc, "-O2", "-static", "-o", child, src]);
  if (!r.ok) {
    console.error(`bench: ${cc} -static failed for async-child.c (no static libc?); linking it dynamically:\n${r.stderr}`);
    linkage = "dynamic";
    r = compile([cc, "-O2", "-o", child, src]);
    if (!r.ok) {
      console.error(`bench: ${cc} could not build scripts/bench/async-child.c; the async case is skipped:\n${r.stderr}`);
      return undefined;
    }
  }
  const ref = join(dir, "async-ref");
  const rr = compile([cc, "-O2", "-o", ref, join(BENCH_DIR, "async-ref.c")]);
  if (!rr.ok) console.error(`bench: ${cc} could not build scripts/bench/async-ref.c; the C floor is skipped:\n${rr.stderr}`);
  return { child, ref: rr.ok ? ref : undefined, linkage };
}

// ---------------------------------------------------------------------------------------
// What is run

type ContenderId = "c" | "ours" | "exited" | "scan" | "ours-k0" | "ours-k" | "bun-idle" | "ours-none" | "ours-10";

interface AsyncSizes {
  /** Untimed passes of 200 children in each Bun process before the timed one (C: 2 of 100). */
  warm: number;
  /** Waits pending besides the 200 in the pending scenario. */
  k: number;
}

const FULL: AsyncSizes = { warm: 8, k: 2000 };
const QUICK: AsyncSizes = { warm: 2, k: 2000 };

interface Contender {
  id: ContenderId;
  label: string;
  argv(file: string): string[];
  env?: Record<string, string>;
}

interface Scenario {
  id: "spread-100" | "spread-1000" | "pending" | "idle";
  title: string;
  n: number;
  gap: number;
  /** Samples per round: each pass runs every contender once, alternating order. */
  passes: number;
  contenders: Contender[];
}

function scenarios(programs: AsyncPrograms, sizes: AsyncSizes): Scenario[] {
  const bun = process.execPath;
  const worker = join(BENCH_DIR, "async-worker.ts");
  const exit = (id: ContenderId, label: string, run: string, n: number, gap: number, k: number, env?: Record<string, string>): Contender => ({
    id,
    label,
    env,
    argv: (file) => [bun, worker, "exit", run, String(n), String(gap), String(k), programs.child, file, String(sizes.warm)],
  });
  const c = (n: number, gap: number): Contender[] =>
    programs.ref === undefined
      ? []
      : // C has no JIT to warm: two passes bring its caches and the child's page cache up.
        [{ id: "c", label: "C blocking wait4(-1) (floor)", argv: (file) => [programs.ref!, String(n), String(gap), programs.child, file, String(Math.min(2, sizes.warm))] }];
  const idle = (id: ContenderId, label: string): Contender => ({ id, label, argv: (file) => [bun, worker, "idle", id, programs.child, file] });
  const spread = (n: number, gap: number, scan: boolean): Contender[] => [
    ...c(n, gap),
    exit("ours", "bun-wait4/promises wait4", "ours", n, gap, 0),
    exit("exited", "Bun.spawn + proc.exited", "exited", n, gap, 0),
    ...(scan ? [exit("scan", "bun-wait4/promises, BUN_WAIT4_EXIT_WATCH=scan", "scan", n, gap, 0, { BUN_WAIT4_EXIT_WATCH: "scan" })] : []),
  ];
  return [
    { id: "spread-100", title: "100 children, exits 500 µs apart", n: 100, gap: 500_000, passes: 1, contenders: spread(100, 500_000, true) },
    { id: "spread-1000", title: "1,000 children, exits 200 µs apart", n: 1000, gap: 200_000, passes: 1, contenders: spread(1000, 200_000, false) },
    {
      id: "pending",
      title: `200 children, exits 500 µs apart, with 0 or ${sizes.k.toLocaleString("en-US")} other waits pending`,
      n: 200,
      gap: 500_000,
      // Two contenders and a ratio between them: twice the samples, for little time.
      passes: 2,
      contenders: [
        exit("ours-k0", "bun-wait4/promises, 0 other waits pending", "ours", 200, 500_000, 0),
        exit("ours-k", `bun-wait4/promises, ${sizes.k.toLocaleString("en-US")} other waits pending`, "ours", 200, 500_000, sizes.k),
      ],
    },
    {
      id: "idle",
      title: "idle for 1 s",
      n: 0,
      gap: 0,
      passes: 1,
      contenders: [
        idle("bun-idle", "idle Bun (nothing pending, bun-wait4/promises not loaded)"),
        idle("ours-none", "bun-wait4/promises loaded, one wait done, none pending"),
        idle("ours-10", "bun-wait4/promises, 10 waits pending on `sleep 100`"),
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------
// Running

/** One exit-mode sample, as the worker and the C floor print it. */
export interface ExitSample {
  contender: string;
  n: number;
  gap: number;
  k: number;
  perSpawnNs: number;
  late: boolean;
  bad: number;
  leftover: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpuRegister: number;
  cpuWait: number;
  cpuMain: number;
  nvcswWait: number;
  nivcswWait: number;
  watch: string;
  /** How many times the sample was run (a late one is run again, up to 3 times). */
  attempts?: number;
}

export interface IdleSample {
  contender: string;
  pending: number;
  seconds: number;
  cpuNsPerS: number;
  nvcswPerS: number;
  nivcswPerS: number;
}

type AnySample = (ExitSample | IdleSample) & {
  /** Wall time of the sample's process(es), for keeping the case within its time budget. */
  sampleSeconds?: number;
};

const SHM = existsSync("/dev/shm") ? "/dev/shm" : undefined;

let serial = 0;
function runSample(contender: Contender, scratch: string): AnySample {
  const file = join(SHM ?? scratch, `bun-wait4-bench-${process.pid}-${serial++}.bin`);
  const env: Record<string, string | undefined> = { ...process.env, ...contender.env };
  if (contender.env?.BUN_WAIT4_EXIT_WATCH === undefined) delete env.BUN_WAIT4_EXIT_WATCH;
  const argv = contender.argv(file);
  let result: { ok: boolean; stdout: string; stderr: string };
  try {
    const r = Bun.spawnSync({ cmd: argv, env, stdout: "pipe", stderr: "pipe", timeout: 180_000 });
    result = { ok: r.success, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  } catch (error) {
    result = { ok: false, stdout: "", stderr: String(error) };
  } finally {
    for (const f of [file, `${file}.extra`]) rmSync(f, { force: true });
  }
  const line = result.stdout.trim().split("\n").pop() ?? "";
  let parsed: AnySample | undefined;
  try {
    parsed = JSON.parse(line) as AnySample;
  } catch {
    parsed = undefined;
  }
  if (!result.ok || parsed === undefined) throw new Error(`${argv.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  if ("bad" in parsed && (parsed.bad !== 0 || parsed.leftover !== 0)) throw new Error(`${argv.join(" ")}: ${parsed.bad} bad exits, ${parsed.leftover} children left`);
  return parsed;
}

/** A sample whose registration overran the first exit is not clean: run it again (twice at most). */
function measure(contender: Contender, scratch: string): AnySample {
  const t0 = performance.now();
  let sample = runSample(contender, scratch);
  let attempts = 1;
  while ("late" in sample && sample.late && attempts < 3) {
    sample = runSample(contender, scratch);
    attempts++;
  }
  if ("late" in sample) sample.attempts = attempts;
  sample.sampleSeconds = (performance.now() - t0) / 1000;
  return sample;
}

/** Processes still running our child binary: a worker that died would leave them behind. */
function strays(child: string): number[] {
  return processesWhere((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === child);
}

// ---------------------------------------------------------------------------------------
// Results

const pairedRatio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
const pairedDiff = (a: number[], b: number[]) => median(a.map((x, i) => x - b[i]!));

export interface AsyncRow {
  id: ContenderId;
  label: string;
  samples: AnySample[];
}

export interface AsyncScenarioResult {
  id: Scenario["id"];
  title: string;
  n: number;
  gap: number;
  rows: AsyncRow[];
}

export interface AsyncResult {
  rounds: number;
  sizes: AsyncSizes;
  linkage: AsyncPrograms["linkage"];
  seconds: number;
  scenarios: AsyncScenarioResult[];
}

export interface AsyncOptions {
  rounds: number;
  quick: boolean;
  /** Scenario ids to run (all when empty); for debugging only. */
  only?: string[];
}

/** Runs the async case: `rounds` rounds of every scenario. */
export function runAsync(programs: AsyncPrograms, scratch: string, options: AsyncOptions): AsyncResult {
  const sizes = { ...(options.quick ? QUICK : FULL) };
  // Diagnostics only: another number of warm-up passes.
  if (process.env.BENCH_ASYNC_WARM !== undefined) sizes.warm = Number(process.env.BENCH_ASYNC_WARM);
  const started = performance.now();
  let defs = scenarios(programs, sizes);
  if (options.only && options.only.length > 0) defs = defs.filter((d) => options.only!.includes(d.id));
  const samples = new Map<string, AnySample[]>();
  for (let round = 0; round < options.rounds; round++) {
    const t0 = performance.now();
    for (const def of defs) {
      for (let pass = 0; pass < def.passes; pass++) {
        for (const contender of rotate(def.contenders, round, (round * def.passes + pass) % 2 === 1)) {
          const key = `${def.id}/${contender.id}`;
          const list = samples.get(key) ?? [];
          list.push(measure(contender, scratch));
          samples.set(key, list);
        }
      }
    }
    console.error(`bench: async round ${round + 1}/${options.rounds} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const left = strays(programs.child);
  if (left.length > 0) {
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    throw new Error(`async case: ${left.length} children of ${programs.child} were left running (${left.slice(0, 5).join(" ")})`);
  }
  return {
    rounds: options.rounds,
    sizes,
    linkage: programs.linkage,
    seconds: (performance.now() - started) / 1000,
    scenarios: defs.map((def) => ({
      id: def.id,
      title: def.title,
      n: def.n,
      gap: def.gap,
      rows: def.contenders.map((k) => ({ id: k.id, label: k.label, samples: samples.get(`${def.id}/${k.id}`) ?? [] })),
    })),
  };
}

const exitSamples = (row: AsyncRow | undefined) => (row?.samples ?? []) as ExitSample[];
const idleSamples = (row: AsyncRow | undefined) => (row?.samples ?? []) as IdleSample[];
const cpuOf = (s: ExitSample) => s.cpuRegister + s.cpuWait;

function rowOf(r: AsyncResult, scenario: Scenario["id"], id: ContenderId): AsyncRow | undefined {
  return r.scenarios.find((s) => s.id === scenario)?.rows.find((k) => k.id === id);
}

// ---------------------------------------------------------------------------------------
// Goals

export interface AsyncGoal {
  id: string;
  text: string;
  /** The figure, as printed in the goal table. */
  shown: string;
  /** The figure the verdict compares (a ratio, or a difference for the idle goals). */
  measured: number | undefined;
  verdict: "PASS" | "MISS" | "n/a";
}

/** Idle criterion: at most this much more than idle Bun, per second (median of paired differences). */
export const IDLE_CPU_MS = 1;
export const IDLE_SWITCHES = 10;

const signed = (x: number, digits: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;

export function asyncGoals(r: AsyncResult): AsyncGoal[] {
  const goals: AsyncGoal[] = [];
  const ratioGoal = (id: string, text: string, a: number[], b: number[], limit: number, meaning: string) => {
    if (a.length === 0 || b.length === 0) {
      goals.push({ id, text, shown: "–", measured: undefined, verdict: "n/a" });
      return;
    }
    const m = pairedRatio(a, b);
    goals.push({ id, text, shown: `${m.toFixed(3)}x ${meaning}`, measured: m, verdict: m <= limit ? "PASS" : "MISS" });
  };
  for (const [scenario, n] of [["spread-100", "100"], ["spread-1000", "1,000"]] as const) {
    const ours = exitSamples(rowOf(r, scenario, "ours"));
    const c = exitSamples(rowOf(r, scenario, "c"));
    ratioGoal(`async-latency-${scenario}`, `async wait4 exit→resolve p50 ≤ 1.2x the C floor, ${n} children (spread)`,
      ours.map((s) => s.p50), c.map((s) => s.p50), 1.2, "of C's p50");
  }
  for (const [scenario, n] of [["spread-100", "100"], ["spread-1000", "1,000"]] as const) {
    const ours = exitSamples(rowOf(r, scenario, "ours"));
    const exited = exitSamples(rowOf(r, scenario, "exited"));
    ratioGoal(`async-cpu-${scenario}`, `async wait4 parent CPU ≤ Bun's proc.exited, ${n} children (spread)`,
      ours.map(cpuOf), exited.map(cpuOf), 1, "of exited's CPU");
  }
  const idle = idleSamples(rowOf(r, "idle", "bun-idle"));
  for (const [id, what] of [["ours-10", "10 waits pending"], ["ours-none", "none pending (after a wait)"]] as const) {
    const ours = idleSamples(rowOf(r, "idle", id));
    const text = `idle, ${what}: ≤ idle Bun + ${IDLE_CPU_MS} ms/s CPU and + ${IDLE_SWITCHES} voluntary switches/s`;
    if (ours.length === 0 || idle.length === 0) {
      goals.push({ id: `async-idle-${id}`, text, shown: "–", measured: undefined, verdict: "n/a" });
      continue;
    }
    const cpu = pairedDiff(ours.map((s) => s.cpuNsPerS), idle.map((s) => s.cpuNsPerS)) / 1e6;
    const sw = pairedDiff(ours.map((s) => s.nvcswPerS), idle.map((s) => s.nvcswPerS));
    goals.push({
      id: `async-idle-${id}`,
      text,
      shown: `${signed(cpu, 2)} ms/s, ${signed(sw, 1)} switches/s vs idle Bun`,
      measured: cpu,
      verdict: cpu <= IDLE_CPU_MS && sw <= IDLE_SWITCHES ? "PASS" : "MISS",
    });
  }
  const k0 = exitSamples(rowOf(r, "pending", "ours-k0"));
  const kk = exitSamples(rowOf(r, "pending", "ours-k"));
  const k = r.sizes.k.toLocaleString("en-US");
  ratioGoal("async-pending-cpu", `wait CPU per child with ${k} other waits pending ≤ 1.2x with none`,
    kk.map((s) => s.cpuWait), k0.map((s) => s.cpuWait), 1.2, "of none pending");
  ratioGoal("async-pending-latency", `exit→resolve p50 with ${k} other waits pending ≤ 1.2x with none`,
    kk.map((s) => s.p50), k0.map((s) => s.p50), 1.2, "of none pending");
  return goals;
}

// ---------------------------------------------------------------------------------------
// Tables

const us = (ns: number) => (Number.isFinite(ns) ? `${Math.round(ns / 1000).toLocaleString("en-US")} µs` : "–");
const ms = (ns: number) => (Number.isFinite(ns) ? `${(ns / 1e6).toFixed(2)} ms` : "–");
const usPer = (ns: number) => (Number.isFinite(ns) ? `${(ns / 1000).toFixed(1)} µs` : "–");
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : "–");
const lateNote = (samples: ExitSample[]) => {
  const reruns = samples.reduce((a, s) => a + (s.attempts ?? 1) - 1, 0);
  const late = samples.filter((s) => s.late).length;
  return `${samples.length}${reruns ? ` (${reruns} rerun${reruns === 1 ? "" : "s"})` : ""}${late ? `, ${late} late` : ""}`;
};

export function asyncTables(r: AsyncResult): string[] {
  const lines: string[] = [];
  const spread = r.scenarios.filter((s) => s.id === "spread-100" || s.id === "spread-1000");
  if (spread.length > 0) {
    lines.push(
      `Async waits (\`--case async\`): exit → resolve latency and parent CPU (getrusage RUSAGE_SELF, user + system, all threads, from the end of the spawn loop to the last resolve); medians of ${r.rounds} round${r.rounds === 1 ? "" : "s"} (the pending case: 2 samples per round), one process per sample, after ${r.sizes.warm} untimed passes of 200 children in each (C: ${Math.min(2, r.sizes.warm)} of 100); ${r.linkage} C child.`,
      "",
      "| children (exits) | contender | p50 | p95 | p50 vs C | p50 vs exited | parent CPU | per child | CPU vs exited | main thread / others | vol. switches | samples |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const sc of spread) {
      const c = exitSamples(sc.rows.find((k) => k.id === "c"));
      const exited = exitSamples(sc.rows.find((k) => k.id === "exited"));
      sc.rows.forEach((row, i) => {
        const s = exitSamples(row);
        if (s.length === 0) return;
        const name = i === 0 ? sc.title : "";
        const main = median(s.map((v) => v.cpuMain));
        const total = median(s.map(cpuOf));
        const others = median(s.map((v) => cpuOf(v) - v.cpuMain));
        lines.push(
          `| ${name} | ${row.label} | ${us(median(s.map((v) => v.p50)))} | ${us(median(s.map((v) => v.p95)))} | ` +
            `${c.length ? x(pairedRatio(s.map((v) => v.p50), c.map((v) => v.p50))) : "–"} | ` +
            `${exited.length ? x(pairedRatio(s.map((v) => v.p50), exited.map((v) => v.p50))) : "–"} | ` +
            `${ms(total)} | ${usPer(total / sc.n)} | ${exited.length ? x(pairedRatio(s.map(cpuOf), exited.map(cpuOf))) : "–"} | ` +
            `${row.id === "c" ? "–" : `${ms(main)} / ${ms(others)}`} | ${Math.round(median(s.map((v) => v.nvcswWait)))} | ${lateNote(s)} |`,
        );
      });
    }
    lines.push("");
  }
  const pending = r.scenarios.find((s) => s.id === "pending");
  if (pending) {
    lines.push(
      `Cost per child against the number of waits pending: ${pending.title}.`,
      "",
      "| contender | wait CPU per child | register CPU per child | p50 | p95 | samples |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const row of pending.rows) {
      const s = exitSamples(row);
      if (s.length === 0) continue;
      lines.push(
        `| ${row.label} | ${usPer(median(s.map((v) => v.cpuWait)) / pending.n)} | ${usPer(median(s.map((v) => v.cpuRegister)) / pending.n)} | ` +
          `${us(median(s.map((v) => v.p50)))} | ${us(median(s.map((v) => v.p95)))} | ${lateNote(s)} |`,
      );
    }
    lines.push("");
  }
  const idle = r.scenarios.find((s) => s.id === "idle");
  if (idle) {
    lines.push(
      `Idle: CPU and voluntary context switches of the whole process (getrusage RUSAGE_SELF) over one second, from 2.5 s after its start (at least 0.5 s after its setup, which ends with \`Bun.gc(true)\` in every contender). Goal criterion: the median over rounds of (contender − idle Bun of the same round) at most +${IDLE_CPU_MS} ms/s of CPU and +${IDLE_SWITCHES} switches/s.`,
      "",
      "| contender | CPU per s | spread | vol. switches per s | spread | vs idle Bun (paired) |",
      "|---|---:|---:|---:|---:|---:|",
    );
    const base = idleSamples(idle.rows.find((k) => k.id === "bun-idle"));
    for (const row of idle.rows) {
      const s = idleSamples(row);
      if (s.length === 0) continue;
      const cpu = s.map((v) => v.cpuNsPerS / 1e6);
      const sw = s.map((v) => v.nvcswPerS);
      const vs =
        row.id === "bun-idle" || base.length === 0
          ? "–"
          : `${signed(pairedDiff(cpu, base.map((v) => v.cpuNsPerS / 1e6)), 2)} ms, ${signed(pairedDiff(sw, base.map((v) => v.nvcswPerS)), 1)} switches`;
      lines.push(
        `| ${row.label} | ${median(cpu).toFixed(2)} ms | ${Math.min(...cpu).toFixed(2)} – ${Math.max(...cpu).toFixed(2)} ms | ` +
          `${median(sw).toFixed(1)} | ${Math.min(...sw).toFixed(0)} – ${Math.max(...sw).toFixed(0)} | ${vs} |`,
      );
    }
    lines.push("");
  }
  while (lines.at(-1) === "") lines.pop();
  return lines;
}
