/**
 * The one harness every benchmark case runs on (scripts/bench.ts is its command line).
 *
 * A case (scripts/bench/cases/) is a small file: its contenders, each a way to take one
 * sample — almost always a fresh process (`processSample`, running a worker of
 * scripts/bench/workers/ through scripts/bench/sample.ts, or a C or CPython reference) so that
 * one's JIT or GC cannot disturb another — and how its samples read as tables and goals.
 *
 * The harness runs the selected cases round by round. In a round each case runs `passes`
 * passes, and a pass runs each of its contenders once, in the order `order()` gives the slot
 * (rotating, every other one reversed). So sample i of every contender of a case comes from the
 * same round and pass: a ratio or difference is the median over those pairs, each measured
 * moments apart on a shared, noisy machine. A case may ask for one untimed pass first.
 *
 * Every sample process carries BUN_WAIT4_BENCH=<our pid> in its environment. After the rounds
 * (or a failure) no process may still carry it, or run a program built into the run's
 * directory: one that does was left behind, and fails the run.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { median, order } from "./stats.ts";

/** What every case may use. */
export interface Context {
  quick: boolean;
  /** --wall: judge the in-process calls by wall-clock time instead of thread CPU. */
  wall: boolean;
  /** A temporary directory for built programs and scratch files. */
  dir: string;
  /** The C compiler ($CC, gcc or cc), if any. */
  cc: string | undefined;
  python: string | undefined;
}

/** One way of taking a sample. */
export interface Contender<S> {
  id: string;
  label: string;
  sample(): S;
}

/** A markdown table: adjacent tables with the same intro and head print as one. */
export interface Table {
  intro?: string;
  head: string[];
  rows: string[];
}

export interface GoalResult {
  text: string;
  shown: string;
  verdict: "PASS" | "MISS" | "n/a";
}

/** Each contender's samples, by id; index i of every list is the same round and pass. */
export type Samples<S> = (id: string) => S[];

export interface Prepared<S> {
  contenders: Contender<S>[];
  tables?(samples: Samples<S>): Table[];
  goals?(samples: Samples<S>): GoalResult[];
}

export interface Case<S> {
  /** What `--case` selects: "group/part" is selected by its group or its part too. */
  id: string;
  /** Rounds (full run, --quick) unless --rounds says otherwise; "once": one round whatever it says. */
  rounds: readonly [number, number] | "once";
  /** Samples per contender and round (full run, --quick). */
  passes?: readonly [number, number];
  /** One untimed pass of every contender before the first round. */
  warmUp?: boolean;
  /** Builds or finds what it needs; a string says why the case cannot run here. */
  prepare(ctx: Context): Prepared<S> | string;
}

/** A case of any sample type, as the list of cases holds it. */
export type AnyCase = Case<never>;
export const defineCase = <S>(c: Case<S>): AnyCase => c as unknown as AnyCase;

/** A goal: PASS when `pass`, n/a when `measured` could not be measured. */
export function goal(text: string, measured: number, pass: boolean, shown: string): GoalResult {
  return Number.isFinite(measured) ? { text, shown, verdict: pass ? "PASS" : "MISS" } : { text, shown: "–", verdict: "n/a" };
}

export const MARKER = "BUN_WAIT4_BENCH";

/**
 * Runs one sample process and returns the JSON of its last line of output; throws with
 * its output if it failed. `env` adds to this process's environment (undefined: removes).
 */
export function processSample<T>(argv: string[], env: Record<string, string | undefined> = {}, timeoutMs = 300_000): T {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...env, [MARKER]: String(process.pid) })) {
    if (value !== undefined) merged[name] = value;
  }
  let out = "";
  try {
    const r = Bun.spawnSync({ cmd: argv, env: merged, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
    out = `${r.stdout}${r.stderr}`;
    if (r.success) return JSON.parse(r.stdout.toString().trim().split("\n").pop() ?? "") as T;
    out += `(exit ${r.exitCode ?? r.signalCode})`;
  } catch (error) {
    out += String(error);
  }
  throw new Error(`${argv.join(" ")} failed:\n${out}`);
}

/**
 * A timed loop's sample (a worker loop run by sample.ts, or ref.c / ref.py): its median batch,
 * in ns per operation, by wall time, by this thread's CPU and by the whole process's CPU (NaN
 * where the contender does not report it).
 */
export interface Timing {
  wall: number;
  cpu: number;
  proc: number;
}

export function loopSample(argv: string[]): Timing {
  const { ns, cpu, proc } = processSample<{ ns: number[]; cpu: number[]; proc?: number[] }>(argv);
  return { wall: median(ns), cpu: median(cpu), proc: median(proc ?? []) };
}

/** A loop contender's samples by wall time, and by its process's CPU (all threads). */
export const walls = (samples: Samples<Timing>, id: string): number[] => samples(id).map((s) => s.wall);
export const cpus = (samples: Samples<Timing>, id: string): number[] => samples(id).map((s) => s.proc);

/** Processes a sample left behind: carrying our marker, or running a program from `dir`. */
function strays(dir: string): number[] {
  const needle = `${MARKER}=${process.pid}\0`;
  const left: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (`${readFileSync(`/proc/${entry}/environ`, "latin1")}\0`.includes(needle) || readlinkSync(`/proc/${entry}/exe`).startsWith(`${dir}/`)) left.push(Number(entry));
    } catch {} // gone, or not ours to read
  }
  return left;
}

/** Kills what a sample left behind; throws if anything was. */
function checkStrays(dir: string): void {
  if (process.platform !== "linux") return;
  const left = strays(dir);
  for (const pid of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  if (left.length > 0) throw new Error(`${left.length} processes were left running by the samples (${left.slice(0, 5).join(" ")}); killed`);
}

/** One case as it ran. */
export interface CaseRun {
  id: string;
  rounds: number;
  /** Time spent in its samples. */
  seconds: number;
  contenders: { id: string; label: string; samples: unknown[] }[];
  tables: Table[];
  goals: GoalResult[];
}

export interface HarnessOptions {
  quick: boolean;
  /** --rounds: the same number for every case. */
  rounds: number | undefined;
}

/** Runs `cases` (prepared) round by round; see the file's comment. */
export function runCases(cases: { def: AnyCase; prepared: Prepared<unknown> }[], options: HarnessOptions, ctx: Context): CaseRun[] {
  const pick = ([full, quick]: readonly [number, number]) => (options.quick ? quick : full);
  const roundsOf = (c: AnyCase) => (c.rounds === "once" ? 1 : (options.rounds ?? pick(c.rounds)));
  const samples = cases.map(() => new Map<string, unknown[]>());
  const seconds = cases.map(() => 0);
  try {
    for (const { def, prepared } of cases) if (def.warmUp) for (const c of prepared.contenders) c.sample();
    const total = Math.max(0, ...cases.map((c) => roundsOf(c.def)));
    for (let round = 0; round < total; round++) {
      const started = performance.now();
      cases.forEach(({ def, prepared }, i) => {
        if (round >= roundsOf(def)) return;
        const passes = def.passes === undefined ? 1 : pick(def.passes);
        const t0 = performance.now();
        for (let pass = 0; pass < passes; pass++) {
          for (const c of order(prepared.contenders, round * passes + pass)) {
            const list = samples[i]!.get(c.id) ?? [];
            list.push(c.sample());
            samples[i]!.set(c.id, list);
          }
        }
        seconds[i]! += (performance.now() - t0) / 1000;
      });
      console.error(`bench: round ${round + 1}/${total} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    checkStrays(ctx.dir);
  }
  return cases.map(({ def, prepared }, i) => {
    const of: Samples<unknown> = (id) => samples[i]!.get(id) ?? [];
    return {
      id: def.id,
      rounds: roundsOf(def),
      seconds: seconds[i]!,
      contenders: prepared.contenders.map((c) => ({ id: c.id, label: c.label, samples: of(c.id) })),
      tables: prepared.tables?.(of) ?? [],
      goals: prepared.goals?.(of) ?? [],
    };
  });
}

/** The path of a file of scripts/bench/. */
export const benchFile = (...parts: string[]): string => join(import.meta.dir, ...parts);

/** The command that runs `loop` (or sample function) `name` of scripts/bench/workers/`worker`.ts in a fresh Bun. */
export const workerArgv = (worker: string, name: string, ...args: (string | number)[]): string[] => [
  process.execPath,
  benchFile("sample.ts"),
  worker,
  name,
  ...args.map(String),
];

/** Compiles `source` (a file of scripts/bench/) into ctx.dir/`name`; undefined (said why) if it cannot. */
export function compile(ctx: Context, source: string, name: string, flags: string[] = []): string | undefined {
  if (ctx.cc === undefined) return undefined;
  const out = join(ctx.dir, name);
  const r = Bun.spawnSync({ cmd: [ctx.cc, "-O2", ...flags, "-o", out, benchFile(source)], stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  if (r.success) return out;
  console.error(`bench: ${ctx.cc} ${flags.join(" ")} could not build scripts/bench/${source}:\n${r.stderr}`);
  return undefined;
}
