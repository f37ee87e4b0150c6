/**
 * hyperfine 1.20's warnings that depend on the measured times: the statistical outliers
 * (modified Z-scores, src/outlier_detection.rs), the slow first run, and the run under 5 ms
 * through a shell (src/benchmark/mod.rs decides, src/output/warnings.rs words them).
 *
 * - The scores: computed here from outlier_detection.rs's formula and constants, and the
 *   outlier counts its own tests expect.
 * - The warning block: a Benchmark fed scripted run times, its stderr against hyperfine's
 *   texts (below, as warnings.rs writes them, its `\` line continuations joined).
 * - Real runs of bun-wait4-bench whose times make each warning certain, and, where hyperfine
 *   1.20 is built here (test/helpers/hyperfine.ts), its stderr for the same command lines.
 * - Where hyperfine's source is on the machine, the texts and conditions this file assumes are
 *   checked against it.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Benchmark, type Output } from "../../../src/cli/bench/benchmark.ts";
import { Command } from "../../../src/cli/bench/commands.ts";
import type { Executor, Iteration, Measurement } from "../../../src/cli/bench/executor.ts";
import { readOptions, validateAgainstCommands } from "../../../src/cli/bench/options.ts";
import { modifiedZScores, OUTLIER_THRESHOLD } from "../../../src/cli/bench/outliers.ts";
import { painter } from "../../../src/cli/bench/paint.ts";
import { parseArgs } from "../../../src/cli/bench/parse-args.ts";
import { HYPERFINE_1_20, hyperfineSourceGitDir, oursAsync, theirsAsync, type Ran } from "../../helpers/hyperfine.ts";
import { pooled } from "../../helpers/pool.ts";

// src/output/warnings.rs (1.20): the format strings and the hints they are filled with.
const FAST = "Command took less than {:.0} ms to complete. Note that the results might be inaccurate because hyperfine can not calibrate the shell startup time much more precise than this limit. You can try to use the `-N`/`--shell=none` option to disable the shell completely.";
const NON_ZERO = "Ignoring non-zero exit code.";
const SLOW_FIRST = "The first benchmarking run for this command was significantly slower than the rest ({time}). This could be caused by (filesystem) caches that were not filled until after the first run. {hints}";
const SLOW_FIRST_HINTS: Record<`${boolean},${boolean}`, string> = {
  "true,true": "You are already using both the '--warmup' option as well as the '--prepare' option. Consider re-running the benchmark on a quiet system. Maybe it was a random outlier. Alternatively, consider increasing the warmup count.",
  "true,false": "You are already using the '--warmup' option which helps to fill these caches before the actual benchmark. You can either try to increase the warmup count further or re-run this benchmark on a quiet system in case it was a random outlier. Alternatively, consider using the '--prepare' option to clear the caches before each timing run.",
  "false,true": "You are already using the '--prepare' option which can be used to clear caches. If you did not use a cache-clearing command with '--prepare', you can either try that or consider using the '--warmup' option to fill those caches before the actual benchmark.",
  "false,false": "You should consider using the '--warmup' option to fill those caches before the actual benchmark. Alternatively, use the '--prepare' option to clear the caches before each timing run.",
};
const OUTLIERS = "Statistical outliers were detected. Consider re-running this benchmark on a quiet system without any interferences from other programs.{hint}";
const OUTLIERS_HINT = " It might help to use the '--warmup' or '--prepare' options.";

// src/benchmark/mod.rs: MIN_EXECUTION_TIME = 5e-3 s, shown as `{:.0}` ms.
const fast = () => FAST.replace("{:.0}", "5");
/** `time`: the first run as format_duration writes it (e.g. "250.0 ms"). */
const slowFirst = (time: string, warmup: boolean, prepare: boolean) => SLOW_FIRST.replace("{time}", time).replace("{hints}", SLOW_FIRST_HINTS[`${warmup},${prepare}`]);
const outliers = (warmup: boolean, prepare: boolean) => OUTLIERS.replace("{hint}", warmup && prepare ? "" : OUTLIERS_HINT);

/** mod.rs: `eprintln!(" ")`, then `eprintln!("  {}: {}", "Warning".yellow(), warning)` for each; nothing when there are none. */
function block(warnings: readonly string[], colors = false): string {
  if (warnings.length === 0) return "";
  const label = colors ? "\x1b[33mWarning\x1b[0m" : "Warning";
  return ` \n${warnings.map((w) => `  ${label}: ${w}\n`).join("")}`;
}

// src/outlier_detection.rs: OUTLIER_THRESHOLD = 1.4826 * 10.0; a zero MAD becomes f64::EPSILON.
const THRESHOLD = 1.4826 * 10.0;
const F64_EPSILON = 2.220446049250313e-16;

/** statistical 1.0's median: the middle of the sorted values, or the mean of the two middle ones. */
function referenceMedian(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid]! + s[mid - 1]!) / 2;
}

/** modified_zscores: (x - median) / MAD. */
function referenceScores(xs: readonly number[]): number[] {
  const m = referenceMedian(xs);
  const mad = referenceMedian(xs.map((x) => Math.abs(x - m)));
  return xs.map((x) => (x - m) / (mad > 0 ? mad : F64_EPSILON));
}

describe("modified Z-scores, as outlier_detection.rs computes them", () => {
  const normal = [2.33269488, 1.42195907, -0.57527698, -0.31293437, 2.2948158, 0.75813273, -1.0712388, -0.96394741, -1.15897446, 1.10976285];
  // Samples and outlier counts of outlier_detection.rs's own tests, then more of ours.
  const SAMPLES: { xs: number[]; outliers: number }[] = [
    { xs: [50.0], outliers: 0 },
    { xs: [1000.0, 0.0], outliers: 0 },
    { xs: [-0.2, 0.0, 0.2], outliers: 0 },
    { xs: [-0.2, 0.0, 0.2, 4.0], outliers: 1 },
    { xs: [0.5, 0.3, 0.29, 0.31, 0.3], outliers: 1 },
    { xs: normal, outliers: 0 },
    { xs: [...normal, 20.0, -500.0], outliers: 2 },
    { xs: [10, 10, 10, 10, 10, 10, 10, 100], outliers: 1 },
    { xs: [10, 10, 10, 10, 10, 10, 10, 100, 100], outliers: 2 },
    { xs: [0.005, 0.005, 0.005], outliers: 0 },
    { xs: [0.01, 0.01, 0.01, 0.0100001], outliers: 1 },
    { xs: [0.09, 0.1, 0.11, 0.1, 0.24], outliers: 0 },
    { xs: [0.09, 0.1, 0.11, 0.1, 0.25], outliers: 1 },
    { xs: [0.001, 0.1, 0.101, 0.102, 0.101, 0.1], outliers: 1 },
  ];

  test("the threshold is 1.4826 × 10", () => {
    expect(OUTLIER_THRESHOLD).toBe(THRESHOLD);
  });

  test.each(SAMPLES)("%j", ({ xs, outliers }) => {
    const scores = modifiedZScores(xs);
    expect(scores).toEqual(referenceScores(xs));
    expect(scores.filter((s) => Math.abs(s) > OUTLIER_THRESHOLD).length).toBe(outliers);
  });
});

/** Hands a Benchmark the given run times instead of running anything. */
class ScriptedExecutor implements Executor {
  constructor(
    private readonly times: readonly number[],
    private readonly exitCodes: readonly number[],
  ) {}

  async measure(_command: Command, iteration: Iteration): Promise<Measurement> {
    const timed = iteration.kind === "benchmark" ? iteration.index : undefined;
    const exitCode = timed === undefined ? 0 : (this.exitCodes[timed] ?? 0);
    const timeReal = timed === undefined ? 0.02 : this.times[timed]!;
    return { timeReal, timeUser: 0, timeSystem: 0, memoryBytes: 1 << 20, memoryIsOwn: true, exitCode, success: exitCode === 0 };
  }

  async calibrate(): Promise<void> {}

  overhead(): number {
    return 0;
  }
}

/** What one benchmark of `cmd` with these options and run times writes to stderr. */
async function warningsOf(args: readonly string[], times: readonly number[], exitCodes: readonly number[] = []): Promise<string> {
  const parsed = parseArgs([...args, "-r", String(times.length), "cmd"], "bun-wait4-bench");
  if (parsed.kind !== "matches") throw new Error(`bad arguments ${JSON.stringify(args)}: ${JSON.stringify(parsed)}`);
  const options = readOptions(parsed, { stdoutIsTerminal: false, env: {} });
  const command = new Command(undefined, "cmd");
  validateAgainstCommands(options, [command]);
  let stderr = "";
  const out: Output = { paint: painter(options.colors), stdout: () => {}, stderr: (t) => void (stderr += t), progress: false };
  const benchmark = new Benchmark(0, command, options, new ScriptedExecutor(times, exitCodes), out);
  await benchmark.setup();
  for (let i = 0; i < options.warmup; i++) await benchmark.warmup(i);
  await benchmark.first();
  expect(benchmark.count).toBe(times.length);
  for (let i = 1; i < benchmark.count; i++) await benchmark.next(i);
  await benchmark.finish();
  return stderr;
}

interface WarningCase {
  name: string;
  /** Options besides `-r N` and the command; through `sh` unless `-N`. */
  args: string[];
  /** Seconds, the first timed run first. */
  times: number[];
  exitCodes?: number[];
  want: string[];
  colors?: boolean;
}

const steady = [0.01, 0.011, 0.012, 0.011, 0.01];
const slowFirstRun = [0.25, 0.01, 0.011, 0.012, 0.011, 0.01];
const slowThirdRun = [0.01, 0.011, 0.25, 0.012, 0.011, 0.01];
const uses = { none: [], warmup: ["-w", "2"], prepare: ["-p", "sleep 0"], both: ["-w", "2", "-p", "sleep 0"] } as const;

const CASES: WarningCase[] = [
  { name: "steady runs through a shell, none under 5 ms: nothing", args: [], times: steady, want: [] },
  { name: "every run exactly 5 ms: not under 5 ms", args: [], times: [0.005, 0.005, 0.005], want: [] },
  { name: "a run under 5 ms through a shell", args: [], times: [0.006, 0.004, 0.005, 0.007, 0.003], want: [fast()] },
  { name: "runs under 5 ms without a shell (-N): nothing", args: ["-N"], times: [0.006, 0.004, 0.005, 0.007, 0.003], want: [] },
  { name: "one run under 5 ms through a shell", args: [], times: [0.003], want: [fast()] },
  { name: "one slow run alone is no outlier", args: ["-N"], times: [9.5], want: [] },
  ...(["none", "warmup", "prepare", "both"] as const).flatMap((u) => [
    { name: `a slow first run (in use: ${u})`, args: [...uses[u]], times: slowFirstRun, want: [slowFirst("250.0 ms", u === "warmup" || u === "both", u === "prepare" || u === "both")] },
    { name: `an outlier after the first run (in use: ${u})`, args: [...uses[u]], times: slowThirdRun, want: [outliers(u === "warmup" || u === "both", u === "prepare" || u === "both")] },
  ]),
  { name: "a slow first run in seconds", args: [], times: [1.5, 0.01, 0.011, 0.012, 0.011, 0.01], want: [slowFirst("1.500 s", false, false)] },
  { name: "a slow first run in µs, without a shell", args: ["-N"], times: [0.0009, 0.0001, 0.00011, 0.0001, 0.00012], want: [slowFirst("900.0 µs", false, false)] },
  { name: "a slow first run and a later outlier: only the first run is named", args: [], times: [0.25, 0.01, 0.011, 0.3, 0.011, 0.01, 0.012], want: [slowFirst("250.0 ms", false, false)] },
  { name: "a first run far faster than the rest: an outlier, not a slow first run", args: ["-N"], times: [0.001, 0.1, 0.101, 0.102, 0.101, 0.1], want: [outliers(false, false)] },
  { name: "just under the threshold (score 14)", args: ["-N"], times: [0.09, 0.1, 0.11, 0.1, 0.24], want: [] },
  { name: "just over the threshold (score 15)", args: ["-N"], times: [0.09, 0.1, 0.11, 0.1, 0.25], want: [outliers(false, false)] },
  { name: "a zero MAD: any other time is an outlier", args: ["-N"], times: [0.01, 0.01, 0.01, 0.0100001], want: [outliers(false, false)] },
  {
    name: "fast, an ignored failure and an outlier: in hyperfine's order",
    args: ["-i"],
    times: [0.003, 0.002, 0.004, 0.003, 0.2],
    exitCodes: [0, 1, 0, 0, 0],
    want: [fast(), NON_ZERO, outliers(false, false)],
  },
  { name: "coloured (--style color): a yellow Warning", args: ["--style", "color"], times: slowThirdRun, want: [outliers(false, false)], colors: true },
];

describe("the warning block after a benchmark", () => {
  test.each(CASES)("$name", async ({ args, times, exitCodes, want, colors }) => {
    expect(await warningsOf(args, times, exitCodes)).toBe(block(want, colors));
  });
});

const dir = mkdtempSync(join(tmpdir(), "bench-warnings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first run's time in a slow-first warning, which differs from run to run. */
const FIRST_RUN_TIME = /(?<=significantly slower than the rest \()[^)]+(?=\))/;

/** Command lines whose run times make one warning certain on a loaded machine too. */
const REAL: { name: string; args: string[]; want: string[] }[] = [
  {
    // Runs 0, 3, 6 and 9 only test a number (~0 ms once the shell's start is subtracted);
    // the others sleep 20 or 40 ms, so the MAD is 20 ms and no run is an outlier.
    name: "through sh, some runs under 5 ms",
    args: ["-r", "10", "[ $((HYPERFINE_ITERATION % 3)) = 0 ] || sleep 0.0$((HYPERFINE_ITERATION % 3 * 2))"],
    want: [fast()],
  },
  {
    // The first run sleeps 0.3 s, the others start a shell only (~1-3 ms, and -N: no fast warning).
    name: "a slow first run",
    args: ["-N", "-r", "10", `sh -c '[ "$HYPERFINE_ITERATION" != 0 ] || sleep 0.3'`],
    want: [slowFirst("T", false, false)],
  },
  {
    // Runs sleep 0, 10 or 20 ms (a MAD of 10 ms, a threshold near 150 ms) and run 5 sleeps 0.4 s.
    name: "a later outlier",
    args: ["-N", "-r", "10", "sh -c 'case $HYPERFINE_ITERATION in 5) sleep 0.4 ;; *) sleep 0.0$((HYPERFINE_ITERATION % 3)) ;; esac'"],
    want: [outliers(false, false)],
  },
];

describe("real runs", () => {
  test("each warning from real run times, with hyperfine's text (and 1.20's stderr where it is built here)", async () => {
    const jobs = REAL.flatMap(({ args }, i) => {
      const common = ["--style", "none", ...args];
      const mine = () => oursAsync([...common, "--export-json", join(dir, `${i}.json`)]);
      return HYPERFINE_1_20 === undefined ? [mine] : [mine, () => theirsAsync(HYPERFINE_1_20!, common)];
    });
    const ran: Ran[] = await pooled(jobs, 2);
    const perCase = HYPERFINE_1_20 === undefined ? 1 : 2;
    REAL.forEach(({ name, want }, i) => {
      const mine = ran[i * perCase]!;
      const first = (JSON.parse(readFileSync(join(dir, `${i}.json`), "utf8")).results[0].times as number[])[0]!;
      const shown = mine.stderr.match(FIRST_RUN_TIME)?.[0];
      if (shown !== undefined) expect({ name, shown }).toEqual({ name, shown: `${(first * 1e3).toFixed(1)} ms` });
      const masked = (r: Ran) => ({ name, status: r.status, stderr: r.stderr.replace(FIRST_RUN_TIME, "T") });
      expect(masked(mine)).toEqual({ name, status: 0, stderr: block(want) });
      if (HYPERFINE_1_20 !== undefined) expect(masked(mine)).toEqual(masked(ran[i * perCase + 1]!));
    });
  }, 120_000);
});

const source = hyperfineSourceGitDir();

// Only where hyperfine's source is on the machine: the texts and rules above must still be its.
describe.skipIf(source === undefined)(`the texts and rules above are hyperfine's (${source ?? "no source here"})`, () => {
  const show = (path: string) => Bun.spawnSync(["git", `--git-dir=${source}`, "show", `HEAD:${path}`], { stdout: "pipe" }).stdout.toString();
  const oneLine = (text: string) => text.replace(/\s+/g, " ");

  test("warnings.rs's format strings and hints", () => {
    // Rust string literals; a `\` at a line's end drops the line break and the next line's indentation.
    const literals = [...show("src/output/warnings.rs").matchAll(/"((?:[^"\\]|\\.)*)"/gs)].map((m) => m[1]!.replace(/\\\n\s*/g, ""));
    for (const text of [FAST, NON_ZERO, SLOW_FIRST, ...Object.values(SLOW_FIRST_HINTS), OUTLIERS, OUTLIERS_HINT]) expect(literals).toContain(text);
  });

  test("mod.rs's conditions and constants, outlier_detection.rs's formula", () => {
    const benchmark = oneLine(show("src/benchmark/mod.rs"));
    for (const line of [
      "pub const MIN_EXECUTION_TIME: Second = 5e-3;",
      "if matches!(self.options.executor_kind, ExecutorKind::Shell(_)) && times_real.iter().any(|&t| t < MIN_EXECUTION_TIME)",
      "warmup_in_use: self.options.warmup_count > 0,",
      "if scores[0] > OUTLIER_THRESHOLD {",
      "} else if scores.iter().any(|&s| s.abs() > OUTLIER_THRESHOLD) {",
      'eprintln!(" "); for warning in &warnings { eprintln!(" {}: {}", "Warning".yellow(), warning); }',
    ])
      expect(benchmark).toContain(line);
    const outliers = oneLine(show("src/outlier_detection.rs"));
    for (const line of [
      "pub const OUTLIER_THRESHOLD: f64 = 1.4826 * 10.0;",
      "let mad = if mad > 0.0 { mad } else { f64::EPSILON };",
      "xs.iter().map(|&x| (x - x_median) / mad).collect()",
    ])
      expect(outliers).toContain(line);
  });
});
