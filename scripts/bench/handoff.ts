/**
 * The handoff case of scripts/bench.ts (issue 10): what run()'s hand-off (src/run/handoff.ts,
 * docs/DESIGN.md §6) buys and what it costs, side by side in one run.
 *
 *   peak   The peak RSS of `true` and of a program that writes 60 MiB (scripts/bench/handoff-alloc.c,
 *          built with the system compiler; `python3 -c` where there is none), run from a Bun
 *          parent that first wrote 300 MiB: run()'s `rusage.ru_maxrss` with the hand-off (the
 *          default, peak "auto") and with `peak: "plain"` (posix_spawn straight from the
 *          parent: its peak folded in), against GNU time's %M for the same command started
 *          from a small shell (`sh -c 'exec /usr/bin/time -f %M "$@"' sh CMD`).
 *   cost   Wall time and parent CPU per `await run(["/bin/true"])` with the hand-off, with
 *          `peak: "plain"`, and per synchronous posix_spawnp + wait4 (the raw floor, as the
 *          spawn case), after warm-up, median batch per process.
 *   phases Where the hand-off's time goes: a copy of handOver with a mark after each step,
 *          beside synchronous spawns of shell scripts that add its processes one at a time.
 *
 * Every sample is a fresh process (scripts/bench/handoff-worker.ts). Each round runs the peak
 * contenders once, the cost contenders once per pass (two passes in a full run) and one
 * phases process; the contenders rotate each round and every other pass reverses their order.
 * Figures are medians over samples; ratios and differences are medians of per-sample pairs
 * (same round and pass). Every worker checks that it has no child left, zombie or not, and
 * after the rounds no process may carry the case's environment marker (every process the
 * workers started inherits it).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { processesWhere } from "./processes.ts";
import { median, rotate } from "./stats.ts";

const BENCH_DIR = import.meta.dir;
const WORKER = join(BENCH_DIR, "handoff-worker.ts");

/** The Bun parent's ballast and the size of the "60 MiB program". */
export const PARENT_MIB = 300;
export const BIG_MIB = 60;
/** Accuracy goal: run()'s figure within this fraction of GNU time's. */
export const PEAK_TOLERANCE = 0.1;
/** Cost goals: extra wall time per spawn of the hand-off over the raw floor, in ms. */
export const COST_LIMIT_MS = 1;
export const COST_STRETCH_MS = 0.5;

export interface HandoffPrograms {
  /** The 60 MiB program's argv. */
  big: string[];
  /** How it is shown in the tables. */
  bigLabel: string;
  /** GNU time, if installed. */
  gnuTime: string | undefined;
}

/** Builds the 60 MiB program into `dir` (or falls back to python3); undefined where the case cannot run. */
export function buildHandoffPrograms(cc: string | undefined, dir: string, python: string | undefined): HandoffPrograms | undefined {
  if (process.platform !== "linux") {
    console.error("bench: the handoff case runs on Linux only (elsewhere a child's peak is its own); skipped");
    return undefined;
  }
  const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
  if (gnuTime === undefined) console.error("bench: no /usr/bin/time (apt-get install -y time); the handoff case's GNU time figures and accuracy goals are n/a");
  if (cc !== undefined) {
    const out = join(dir, "handoff-alloc");
    const r = Bun.spawnSync({ cmd: [cc, "-O2", "-o", out, join(BENCH_DIR, "handoff-alloc.c")], stdout: "pipe", stderr: "pipe", timeout: 60_000 });
    if (r.success) return { big: [out, String(BIG_MIB)], bigLabel: `\`handoff-alloc ${BIG_MIB}\` (C, ${cc} -O2: malloc + memset ${BIG_MIB} MiB)`, gnuTime };
    console.error(`bench: ${cc} could not build scripts/bench/handoff-alloc.c:\n${r.stderr.toString()}`);
  }
  if (python !== undefined) {
    const code = `b = b"Z" * (${BIG_MIB} << 20)`;
    console.error("bench: the handoff case's 60 MiB program is python3 (no C compiler)");
    return { big: [python, "-c", code], bigLabel: `\`python3 -c '${code}'\``, gnuTime };
  }
  console.error("bench: neither a C compiler nor python3; the handoff case is skipped");
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Sizes and contenders

interface HandoffSizes {
  /** Runs of each command per peak process (its median is the sample). */
  reps: number;
  /** Cost: untimed spawns, then batches of iterations. */
  warmup: number;
  iterations: number;
  batches: number;
  /** Cost samples per contender and round. */
  passes: number;
  /** Phases: untimed runs of every variant, then timed runs of each. */
  phaseWarmup: number;
  phaseN: number;
}

// The hand-off's parent CPU keeps falling for ~1,000 spawns (the JIT), its wall time settles
// after ~100; 200 untimed spawns are a compromise with the time budget.
const FULL: HandoffSizes = { reps: 3, warmup: 200, iterations: 40, batches: 7, passes: 2, phaseWarmup: 20, phaseN: 40 };
const QUICK: HandoffSizes = { reps: 2, warmup: 100, iterations: 30, batches: 5, passes: 2, phaseWarmup: 10, phaseN: 20 };

type PeakId = "gnu" | "auto" | "plain";
type CostId = "handoff" | "plain" | "raw";

const PEAK_LABELS: Record<PeakId, string> = {
  gnu: "GNU time %M",
  auto: "run() (hand-off)",
  plain: 'run(), peak: "plain"',
};
const COST_LABELS: Record<CostId, string> = {
  handoff: '`await run(["/bin/true"])` (hand-off, the default)',
  plain: '`await run(["/bin/true"], { peak: "plain" })`',
  raw: "`posix_spawnp` + `wait4(pid, 0)`, synchronous (raw floor)",
};

// ---------------------------------------------------------------------------------------
// Samples

export interface PeakSample {
  contender: PeakId;
  hwmBareKiB: number;
  hwmParentKiB: number;
  hwmEndKiB: number;
  shape: string;
  trueKiB: number[];
  bigKiB: number[];
}

export interface CostSample {
  contender: CostId;
  shape: string;
  /** Per batch, per spawn. */
  wallNs: number[];
  cpuNs: number[];
}

type Step = "prepare" | "pipes" | "spawnShell" | "pidArrives" | "killReap" | "go" | "commandDone";
export interface PhasesSample {
  n: number;
  /** The copy's shell script is still the one in src/run/handoff.ts. */
  inStep?: boolean;
  steps: { async: Record<Step, number>; sync: Record<Step, number> };
  totals: Record<string, number>;
  /** Parent CPU (user + system, all threads) of each variant as a whole, ms. */
  cpuTotals?: Record<string, number>;
}

const MARKER = "BUN_WAIT4_BENCH_HANDOFF";

function runWorker(args: string[]): { code: number; stdout: string; stderr: string } {
  const env = { ...process.env, [MARKER]: String(process.pid) };
  try {
    const r = Bun.spawnSync({ cmd: [process.execPath, WORKER, ...args], env, stdout: "pipe", stderr: "pipe", timeout: 120_000 });
    return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  } catch (error) {
    return { code: -1, stdout: "", stderr: String(error) };
  }
}

function sample<T>(args: string[]): T {
  const r = runWorker(args);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    if (r.code === 0) return JSON.parse(line) as T;
  } catch {}
  throw new Error(`handoff-worker ${args.join(" ")} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
}

/** Processes still carrying this run's marker: a worker's descendant left behind. */
function strays(): number[] {
  const needle = `${MARKER}=${process.pid}\0`;
  return processesWhere((pid) => `${readFileSync(`/proc/${pid}/environ`, "latin1")}\0`.includes(needle));
}

// ---------------------------------------------------------------------------------------
// Running

export interface HandoffResult {
  rounds: number;
  sizes: HandoffSizes;
  parentMiB: number;
  bigLabel: string;
  gnu: boolean;
  seconds: number;
  peak: Partial<Record<PeakId, PeakSample[]>>;
  /** Per contender, in sample order; samples of the same index ran in the same round and pass. */
  cost: Record<CostId, CostSample[]>;
  phases: PhasesSample[];
  /** Why there is no phase breakdown, if there is none. */
  phasesMissing?: string;
}

export interface HandoffOptions {
  rounds: number;
  quick: boolean;
}

export function runHandoff(programs: HandoffPrograms, options: HandoffOptions): HandoffResult {
  const sizes = options.quick ? QUICK : FULL;
  const started = performance.now();
  const peakIds: PeakId[] = programs.gnuTime === undefined ? ["auto", "plain"] : ["gnu", "auto", "plain"];
  const peak: Partial<Record<PeakId, PeakSample[]>> = {};
  const cost: Record<CostId, CostSample[]> = { handoff: [], plain: [], raw: [] };
  const phases: PhasesSample[] = [];
  let phasesMissing: string | undefined;
  try {
    for (let round = 0; round < options.rounds; round++) {
      const t0 = performance.now();
      for (const id of rotate(peakIds, round, round % 2 === 1)) {
        (peak[id] ??= []).push(sample<PeakSample>(["peak", id, String(PARENT_MIB), String(sizes.reps), ...programs.big]));
      }
      for (let pass = 0; pass < sizes.passes; pass++) {
        for (const id of rotate<CostId>(["handoff", "plain", "raw"], round, (round * sizes.passes + pass) % 2 === 1)) {
          cost[id].push(sample<CostSample>(["cost", id, String(sizes.warmup), String(sizes.iterations), String(sizes.batches)]));
        }
      }
      if (phasesMissing === undefined) {
        const r = runWorker(["phases", String(sizes.phaseWarmup), String(sizes.phaseN)]);
        if (r.code === 4) {
          phasesMissing = r.stderr.trim();
          console.error(`bench: ${phasesMissing}`);
        } else {
          try {
            if (r.code !== 0) throw new Error();
            phases.push(JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as PhasesSample);
          } catch {
            throw new Error(`handoff-worker phases failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
          }
        }
      }
      console.error(`bench: handoff round ${round + 1}/${options.rounds} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    const left = strays();
    if (left.length > 0) {
      for (const pid of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {}
      }
      // Not thrown from inside a finally that is already unwinding another error.
      console.error(`bench: handoff case: ${left.length} processes were left running (${left.slice(0, 5).join(" ")}); killed`);
      process.exitCode = 1;
    }
  }
  return {
    rounds: options.rounds,
    sizes,
    parentMiB: PARENT_MIB,
    bigLabel: programs.bigLabel,
    gnu: programs.gnuTime !== undefined,
    seconds: (performance.now() - started) / 1000,
    peak,
    cost,
    phases,
    phasesMissing,
  };
}

// ---------------------------------------------------------------------------------------
// Results

const pairedRatio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
const pairedDiff = (a: number[], b: number[]) => median(a.map((x, i) => x - b[i]!));

/** One figure per peak sample: the median of its runs of the command. */
function peakFigures(r: HandoffResult, id: PeakId, command: "true" | "big"): number[] {
  return (r.peak[id] ?? []).map((s) => median(command === "true" ? s.trueKiB : s.bigKiB));
}
/** One figure per cost sample: its median batch, in ns per spawn. */
function costFigures(r: HandoffResult, id: CostId, clock: "wall" | "cpu"): number[] {
  return r.cost[id].map((s) => median(clock === "wall" ? s.wallNs : s.cpuNs));
}

export interface HandoffGoal {
  id: string;
  text: string;
  shown: string;
  measured: number | undefined;
  verdict: "PASS" | "MISS" | "n/a";
}

const kib = (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString("en-US")} KiB` : "–");
const msOf = (ns: number, digits = 2) => (Number.isFinite(ns) ? `${(ns / 1e6).toFixed(digits)} ms` : "–");
const signedMs = (ns: number) => (Number.isFinite(ns) ? `${ns >= 0 ? "+" : "−"}${Math.abs(ns / 1e6).toFixed(2)} ms` : "–");
const pct = (ratio: number) => {
  const text = Math.abs((ratio - 1) * 100).toFixed(1);
  return `${text === "0.0" ? "±" : ratio > 1 ? "+" : "−"}${text}%`;
};
const times = (v: number) => (!Number.isFinite(v) ? "–" : v >= 100 ? `${v.toFixed(0)}x` : v >= 10 ? `${v.toFixed(1)}x` : `${v.toFixed(3)}x`);

export function handoffGoals(r: HandoffResult): HandoffGoal[] {
  const goals: HandoffGoal[] = [];
  const within = `${Math.round(PEAK_TOLERANCE * 100)}%`;
  for (const [command, what] of [["true", "`true`"], ["big", `the ${BIG_MIB} MiB program`]] as const) {
    const id = `handoff-peak-${command === "true" ? "true" : `${BIG_MIB}mib`}`;
    const text = `run() peak RSS of ${what} from a ${r.parentMiB} MiB Bun parent within ${within} of GNU time's %M`;
    const ours = peakFigures(r, "auto", command);
    const gnu = peakFigures(r, "gnu", command);
    if (ours.length === 0 || gnu.length === 0 || ours.length !== gnu.length) {
      goals.push({ id, text, shown: "–", measured: undefined, verdict: "n/a" });
      continue;
    }
    const ratio = pairedRatio(ours, gnu);
    const off = Math.abs(ratio - 1);
    goals.push({
      id,
      text,
      shown: `${ratio.toFixed(3)}x GNU's (${pct(ratio)}; ${kib(median(ours))} vs ${kib(median(gnu))})`,
      measured: off,
      verdict: off <= PEAK_TOLERANCE ? "PASS" : "MISS",
    });
  }
  const hand = costFigures(r, "handoff", "wall");
  const raw = costFigures(r, "raw", "wall");
  for (const [id, limit, label] of [["handoff-cost", COST_LIMIT_MS, ""], ["handoff-cost-stretch", COST_STRETCH_MS, " (stretch)"]] as const) {
    const text = `hand-off extra wall time per spawn ≤ ${limit} ms${label} (await run() − sync posix_spawnp + wait4, /bin/true)`;
    if (hand.length === 0 || hand.length !== raw.length) {
      goals.push({ id, text, shown: "–", measured: undefined, verdict: "n/a" });
      continue;
    }
    const d = pairedDiff(hand, raw);
    goals.push({
      id,
      text,
      shown: `${signedMs(d)} per spawn (${msOf(median(hand))} vs ${msOf(median(raw))})`,
      measured: d / 1e6,
      verdict: d / 1e6 <= limit ? "PASS" : "MISS",
    });
  }
  return goals;
}

// ---------------------------------------------------------------------------------------
// Tables

const STEP_ROWS: [Step[], string][] = [
  [["prepare"], "read the environment, build sh's argv (direct form)"],
  [["pipes"], "two pipes (pipe2, moved above fd 2)"],
  [["spawnShell"], 'posix_spawn("/bin/sh", …) returns (file actions, 64 signals to default)'],
  [["pidArrives"], "sh execs and starts, forks `( … )`, which reads /proc/self/stat and writes its pid; we read it"],
  [["killReap"], "subreaper flag on, SIGKILL the shell, waitpid it, flag off"],
  [["go", "commandDone"], 'write "go"; the subshell execs /bin/true, which exits; reaped (wait4)'],
];

const FLOOR_ROWS: [string, string][] = [
  ["raw", "`/bin/true` (posix_spawnp, the raw floor)"],
  ["shColon", "`sh -c ':'`: one exec of dash instead"],
  ["shSubshell", "`sh -c '(:)'`: + the fork of a subshell"],
  ["shSubshellExec", "`sh -c '(exec /bin/true)'`: + the exec of the command in it"],
  ["shPrologue", "`sh -c '(read pid rest < /proc/self/stat; echo $pid >/dev/null; exec /bin/true)'`: + the prologue's read and echo"],
];

export function handoffTables(r: HandoffResult): string[] {
  const lines: string[] = [];
  const samples = (n: number) => `${n} sample${n === 1 ? "" : "s"}`;
  const anyPeak = r.peak.auto?.[0] ?? r.peak.plain?.[0];
  if (anyPeak !== undefined) {
    const hwm = median(Object.values(r.peak).flatMap((list) => list.map((s) => s.hwmParentKiB)));
    const bare = median(Object.values(r.peak).flatMap((list) => list.map((s) => s.hwmBareKiB)));
    const shape = r.peak.auto?.[0]?.shape ?? "–";
    lines.push(
      `Hand-off (\`--case handoff\`), peak RSS: \`rusage.ru_maxrss\` of a command run from a Bun parent that first wrote a ${r.parentMiB} MiB Uint8Array (its VmHWM ${kib(hwm)}; ${kib(bare)} before), next to GNU time's %M for the same command (\`sh -c 'exec /usr/bin/time -f %M "$@"' sh CMD\`, from the same parent${r.gnu ? "" : ": not installed"}). One process per contender and sample, each running every command ${r.sizes.reps} times (its median is the sample); medians of ${samples(r.rounds)}; "vs GNU" is the median of per-sample ratios. The hand-off ran in its ${shape} form.`,
      "",
      `| command | ${PEAK_LABELS.gnu} | ${PEAK_LABELS.auto} | vs GNU | ${PEAK_LABELS.plain} | vs GNU |`,
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const [command, label] of [["true", "`true`"], ["big", r.bigLabel]] as const) {
      const gnu = peakFigures(r, "gnu", command);
      const auto = peakFigures(r, "auto", command);
      const plain = peakFigures(r, "plain", command);
      const vs = (a: number[]) => (a.length && gnu.length === a.length ? times(pairedRatio(a, gnu)) : "–");
      lines.push(`| ${label} | ${kib(median(gnu))} | ${kib(median(auto))} | ${vs(auto)} | ${kib(median(plain))} | ${vs(plain)} |`);
    }
    lines.push("");
  }
  const raw = r.cost.raw;
  if (raw.length > 0) {
    const s = r.sizes;
    lines.push(
      `Hand-off, cost per spawn of \`/bin/true\`: wall time and this process's CPU (user + system, all threads: \`process.cpuUsage()\`). One process per contender and sample: ${s.warmup} untimed spawns, then ${s.batches} batches of ${s.iterations}, its median batch; medians of ${samples(raw.length)} (${s.passes} per round); the differences are medians of per-sample differences against the raw floor measured in the same round and pass.`,
      "",
      "| contender | wall per spawn | spread of samples | parent CPU per spawn | wall − raw | CPU − raw |",
      "|---|---:|---:|---:|---:|---:|",
    );
    const rawWall = costFigures(r, "raw", "wall");
    const rawCpu = costFigures(r, "raw", "cpu");
    for (const id of ["handoff", "plain", "raw"] as const) {
      const wall = costFigures(r, id, "wall");
      const cpu = costFigures(r, id, "cpu");
      if (wall.length === 0) continue;
      const dw = id === "raw" ? "–" : signedMs(pairedDiff(wall, rawWall));
      const dc = id === "raw" ? "–" : signedMs(pairedDiff(cpu, rawCpu));
      lines.push(
        `| ${COST_LABELS[id]} | ${msOf(median(wall))} | ${msOf(Math.min(...wall))} – ${msOf(Math.max(...wall))} | ${msOf(median(cpu), 3)} | ${dw} | ${dc} |`,
      );
    }
    lines.push("");
  }
  if (r.phases.length > 0) {
    const p = r.phases;
    const step = (kind: "async" | "sync", keys: Step[]) => median(p.map((x) => keys.reduce((a, k) => a + x.steps[kind][k], 0))) * 1e6;
    const total = (name: string) => median(p.map((x) => x.totals[name] ?? NaN)) * 1e6;
    const cpu = (name: string) => median(p.map((x) => x.cpuTotals?.[name] ?? NaN)) * 1e6;
    const all = STEP_ROWS.flatMap(([keys]) => keys);
    lines.push(
      `Hand-off, where the time goes: a copy of \`handOver\` (scripts/bench/handoff-worker.ts \`phases\`) with a mark after each step, run as run() runs it (pid read through a stream, the command awaited with bun-wait4/promises' \`wait4\`) and all synchronously (blocking read and \`wait4\`), interleaved in one process with the real run() and with synchronous spawns of shell scripts; each process runs every variant ${r.sizes.phaseWarmup} times untimed, then ${r.sizes.phaseN} times in turn; medians per process, then the median of ${samples(p.length)}.${p.some((x) => x.inStep === false) ? " **The copy's shell script no longer matches src/run/handoff.ts: these steps describe the old hand-off.**" : ""}`,
      "",
      "| step of the hand-off | as run() | all synchronous |",
      "|---|---:|---:|",
    );
    for (const [keys, label] of STEP_ROWS) lines.push(`| ${label} | ${msOf(step("async", keys), 3)} | ${msOf(step("sync", keys), 3)} |`);
    lines.push(
      `| sum of the steps | ${msOf(step("async", all), 3)} | ${msOf(step("sync", all), 3)} |`,
      "",
      "| whole, in the same processes | wall | parent CPU |",
      "|---|---:|---:|",
      `| the copy, as run() | ${msOf(total("copyAsync"), 3)} | ${msOf(cpu("copyAsync"), 3)} |`,
      `| the copy, all synchronous | ${msOf(total("copySync"), 3)} | ${msOf(cpu("copySync"), 3)} |`,
      `| the real \`await run(["/bin/true"])\` | ${msOf(total("runHandoff"), 3)} | ${msOf(cpu("runHandoff"), 3)} |`,
      `| \`await run(["/bin/true"], { peak: "plain" })\` | ${msOf(total("runPlain"), 3)} | ${msOf(cpu("runPlain"), 3)} |`,
      "",
      "| synchronous posix_spawn + wait4 of (same processes) | wall per spawn | − `/bin/true` | parent CPU |",
      "|---|---:|---:|---:|",
    );
    const base = total("raw");
    for (const [name, label] of FLOOR_ROWS) {
      const t = total(name);
      lines.push(`| ${label} | ${msOf(t, 3)} | ${name === "raw" ? "–" : signedMs(t - base)} | ${msOf(cpu(name), 3)} |`);
    }
    // What one more command costs a shell that is already running: a fork of dash, an exec, a wait.
    const more = median(p.map((x) => ((x.totals.shSubshellExec4 ?? NaN) - (x.totals.shSubshellExec ?? NaN)) / 3)) * 1e6;
    if (Number.isFinite(more)) {
      lines.push(`| one more \`(exec /bin/true)\` in a shell already running (\`sh -c\` with 4 of them − with 1, ÷ 3) | ${msOf(more, 3)} | ${signedMs(more - base)} | |`);
    }
    lines.push("");
  } else if (r.phasesMissing !== undefined) {
    lines.push(`Hand-off, where the time goes: not measured (${r.phasesMissing}).`, "");
  }
  while (lines.at(-1) === "") lines.pop();
  return lines;
}
