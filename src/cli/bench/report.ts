/**
 * The texts hyperfine prints on the terminal (`src/benchmark/mod.rs`, `scheduler.rs`,
 * `src/output/warnings.rs`), character for character, and bun-wait4-bench's peak-memory line
 * and memory comparison, which hyperfine does not have.
 * @module
 */
import { mean, standardDeviation } from "../stats.ts";
import type { Paint } from "./paint.ts";
import { relativeChecked, smallestOf, type Figure, type Relative } from "./relative-speed.ts";
import type { BenchmarkResult } from "./result.ts";
import { rustFixed, rustFixedWidth } from "./rust-format.ts";
import { formatDuration, formatMemory, memoryUnitFor, unitFor, type TimeUnit } from "./units.ts";

/** Below this a run through a shell is too short to measure well (hyperfine's MIN_EXECUTION_TIME). */
export const MIN_EXECUTION_TIME = 5e-3;

/** `Benchmark N: name`. */
export function header(number: number, name: string, paint: Paint): string {
  return `${paint("Benchmark ", "bold")}${paint(String(number), "bold")}: ${name}\n`;
}

/** The peak memory over the runs: mean, σ (none for one run), min and max. */
function memoryStats(r: BenchmarkResult) {
  const bytes = r.memoryUsageBytes;
  const m = mean(bytes);
  return {
    mean: m,
    stddev: bytes.length > 1 ? standardDeviation(bytes, m) : undefined,
    min: bytes.reduce((a, b) => Math.min(a, b)),
    max: bytes.reduce((a, b) => Math.max(a, b)),
  };
}

/**
 * The lines under the header: time (mean ± σ, user and system), range and run count, as
 * hyperfine prints them, then bun-wait4-bench's peak memory line (none when nothing ran).
 */
export function resultBlock(r: BenchmarkResult, unit: TimeUnit | undefined, paint: Paint, measuredMemory: boolean): string {
  const timeUnit = unitFor(r.mean, unit);
  const f = (s: number) => formatDuration(s, timeUnit);
  const pad = (s: string) => s.padStart(8);
  const userSystem = `[User: ${paint(f(r.user), "blue")}, System: ${paint(f(r.system), "blue")}]`;
  let text: string;
  if (r.stddev === undefined) {
    text = `  Time (${paint("abs", "green", "bold")} ≡):        ${paint(pad(f(r.mean)), "green", "bold")}  ${" ".repeat(8)}     ${userSystem}\n`;
  } else {
    text =
      `  Time (${paint("mean", "green", "bold")} ± ${paint("σ", "green")}):     ${paint(pad(f(r.mean)), "green", "bold")} ± ${paint(pad(f(r.stddev)), "green")}    ${userSystem}\n` +
      `  Range (${paint("min", "cyan")} … ${paint("max", "magenta")}):   ${paint(pad(f(r.min)), "cyan")} … ${paint(pad(f(r.max)), "magenta")}    ${paint(`${r.times.length} runs`, "dimmed")}\n`;
  }
  if (!measuredMemory) return text;
  const m = memoryStats(r);
  const memoryUnit = memoryUnitFor(m.mean);
  const g = (bytes: number) => formatMemory(bytes, memoryUnit);
  if (m.stddev === undefined) return `${text}  Memory (${paint("abs", "green", "bold")} ≡):      ${paint(pad(g(m.mean)), "green", "bold")}\n`;
  return (
    `${text}  Memory (${paint("mean", "green", "bold")} ± ${paint("σ", "green")}):   ${paint(pad(g(m.mean)), "green", "bold")} ± ${paint(pad(g(m.stddev)), "green")}` +
    `    [Range: ${paint(g(m.min), "cyan")} … ${paint(g(m.max), "magenta")}]\n`
  );
}

/** What the outlier warnings suggest depends on what is already in use. */
export interface WarningContext {
  warmup: boolean;
  prepare: boolean;
}

/** hyperfine's warnings, in its order of checks. */
export type Warning =
  | { kind: "fast" }
  | { kind: "non-zero" }
  | { kind: "slow-first"; seconds: number; context: WarningContext }
  | { kind: "outliers"; context: WarningContext }
  | { kind: "memory-not-own"; why: string };

/** The text of one warning. */
function warningText(w: Warning): string {
  switch (w.kind) {
    case "fast":
      return (
        `Command took less than ${rustFixed(MIN_EXECUTION_TIME * 1e3, 0)} ms to complete. Note that the results might be inaccurate because hyperfine can not ` +
        "calibrate the shell startup time much more precise than this limit. You can try to use the `-N`/`--shell=none` option to disable the shell completely."
      );
    case "non-zero":
      return "Ignoring non-zero exit code.";
    case "slow-first": {
      const { warmup, prepare } = w.context;
      const hints =
        warmup && prepare
          ? "You are already using both the '--warmup' option as well as the '--prepare' option. Consider re-running the benchmark on a quiet system. Maybe it was a random outlier. Alternatively, consider increasing the warmup count."
          : warmup
            ? "You are already using the '--warmup' option which helps to fill these caches before the actual benchmark. You can either try to increase the warmup count further or re-run this benchmark on a quiet system in case it was a random outlier. Alternatively, consider using the '--prepare' option to clear the caches before each timing run."
            : prepare
              ? "You are already using the '--prepare' option which can be used to clear caches. If you did not use a cache-clearing command with '--prepare', you can either try that or consider using the '--warmup' option to fill those caches before the actual benchmark."
              : "You should consider using the '--warmup' option to fill those caches before the actual benchmark. Alternatively, use the '--prepare' option to clear the caches before each timing run.";
      return (
        `The first benchmarking run for this command was significantly slower than the rest (${formatDuration(w.seconds, undefined)}). ` +
        `This could be caused by (filesystem) caches that were not filled until after the first run. ${hints}`
      );
    }
    case "outliers":
      return (
        "Statistical outliers were detected. Consider re-running this benchmark on a quiet system without any interferences from other programs." +
        (w.context.warmup && w.context.prepare ? "" : " It might help to use the '--warmup' or '--prepare' options.")
      );
    case "memory-not-own":
      return `The peak memory includes bun-wait4-bench's own: ${w.why}.`;
  }
}

/** The warnings block (stderr): a line holding one space, then each warning. */
export function warningsBlock(warnings: readonly Warning[], paint: Paint): string {
  if (warnings.length === 0) return "";
  return ` \n${warnings.map((w) => `  ${paint("Warning", "yellow")}: ${warningText(w)}\n`).join("")}`;
}

/** hyperfine's note when a ratio cannot be computed (a zero mean). */
function zeroTimesNote(paint: Paint): string {
  return (
    `${paint("Note", "bold", "red")}: The benchmark comparison could not be computed as some benchmark times are zero. This could be caused by background ` +
    "interference during the initial calibration phase of hyperfine, in combination with very fast commands (faster than a few milliseconds). Try to re-run " +
    "the benchmark on a quiet system. If you did not do so already, try the --shell=none/-N option. If it does not help either, you command is most likely " +
    "too fast to be accurately benchmarked by hyperfine.\n"
  );
}

/** Words for a comparison: hyperfine's for time, bun-wait4-bench's for memory. */
interface Wording {
  smaller: string;
  larger: string;
  equal: string;
}

const TIME_WORDS: Wording = { smaller: "times slower than", larger: "times faster than", equal: "As fast" };
const MEMORY_WORDS: Wording = { smaller: "times more memory than", larger: "times less memory than", equal: "As much memory" };

/** The lines under "<reference> ran": one per other result. */
function comparisonLines(relative: readonly Relative[], words: Wording, paint: Paint): string {
  let text = "";
  for (const item of relative) {
    if (item.isReference) continue;
    const stddev = item.ratioStddev === undefined ? "" : ` ± ${paint(rustFixed(item.ratioStddev, 2), "green")}`;
    const name = paint(item.result.commandWithUnusedParameters, "magenta");
    if (item.ordering === 0) text += `    ${words.equal} (${paint(rustFixed(item.ratio, 2), "bold", "green")}${stddev}) as ${name}\n`;
    else text += `${paint(rustFixedWidth(item.ratio, 8, 2), "bold", "green")}${stddev} ${item.ordering < 0 ? words.smaller : words.larger} ${name}\n`;
  }
  return text;
}

/** The peak memory as a comparison figure (mean and σ over the runs). */
const MEMORY: Figure = { mean: (r) => memoryStats(r).mean, stddev: (r) => memoryStats(r).stddev };

/**
 * The summary after several benchmarks: hyperfine's "Summary" (by mean time) or "Relative
 * speed comparison" (`--sort command`), then, when memory was measured, the same comparison of
 * peak memory. Empty for a single benchmark; hyperfine's note (stderr) when a mean is zero.
 */
export function summary(
  results: readonly BenchmarkResult[],
  reference: BenchmarkResult | undefined,
  sort: "command" | "mean-time",
  paint: Paint,
  measuredMemory: boolean,
): { stdout: string; stderr: string } {
  if (results.length < 2) return { stdout: "", stderr: "" };
  const ref = reference ?? smallestOf(results);
  const relative = relativeChecked(results, ref, sort);
  if (relative === undefined) return { stdout: "", stderr: zeroTimesNote(paint) };
  let text: string;
  if (sort === "mean-time") {
    const refItem = relative.find((r) => r.isReference)!;
    text = `${paint("Summary", "bold")}\n  ${paint(refItem.result.commandWithUnusedParameters, "cyan")} ran\n${comparisonLines(relative, TIME_WORDS, paint)}`;
  } else {
    text = `${paint("Relative speed comparison", "bold")}\n`;
    for (const item of relative) {
      const stddev = item.isReference || item.ratioStddev === undefined ? " ".repeat(8) : ` ± ${paint(rustFixedWidth(item.ratioStddev, 5, 2), "green")}`;
      text += `  ${paint(rustFixedWidth(item.ratio, 10, 2), "bold", "green")}${stddev}  ${item.result.commandWithUnusedParameters}\n`;
    }
  }
  if (measuredMemory) {
    const memory = relativeChecked(results, ref, sort, MEMORY);
    const refItem = memory?.find((r) => r.isReference);
    if (memory !== undefined && refItem !== undefined) {
      text += `  ${paint(refItem.result.commandWithUnusedParameters, "cyan")} used (peak memory, ${formatMemory(MEMORY.mean(ref), memoryUnitFor(MEMORY.mean(ref)))})\n`;
      text += comparisonLines(memory, MEMORY_WORDS, paint);
    }
  }
  return { stdout: text, stderr: "" };
}
