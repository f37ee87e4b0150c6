/**
 * How much faster or slower each benchmark is than a reference (hyperfine's
 * `src/benchmark/relative_speed.rs`): the ratio of the means, its standard deviation by
 * propagation of uncertainty (independent errors), and which side of the reference it is on.
 * The same arithmetic gives bun-wait4-bench's peak-memory ratios.
 * @module
 */
import { sameResult, type BenchmarkResult } from "./result.ts";

/** A result with its ratio to the reference. */
export interface Relative {
  result: BenchmarkResult;
  /** Always ≥ 1: the larger mean over the smaller. */
  ratio: number;
  ratioStddev: number | undefined;
  isReference: boolean;
  /** -1 if this one's figure is smaller than the reference's, 1 if larger, 0 if equal. */
  ordering: number;
}

/** One figure of a result, with its standard deviation. */
export interface Figure {
  mean: (r: BenchmarkResult) => number;
  stddev: (r: BenchmarkResult) => number | undefined;
}

/** The run time. */
export const TIME: Figure = { mean: (r) => r.mean, stddev: (r) => r.stddev };

const compare = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

/** The first result with the smallest figure (Rust's `min_by`). */
export function smallestOf(results: readonly BenchmarkResult[], figure: Figure = TIME): BenchmarkResult {
  return results.reduce((best, r) => (figure.mean(r) < figure.mean(best) ? r : best));
}

/** Every result relative to `reference`, sorted by the figure or left in order. */
export function relativeTo(
  results: readonly BenchmarkResult[],
  reference: BenchmarkResult,
  sort: "command" | "mean-time",
  figure: Figure = TIME,
): Relative[] {
  const ref = figure.mean(reference);
  const refStddev = figure.stddev(reference);
  const out = results.map((result): Relative => {
    const isReference = sameResult(result, reference);
    const value = figure.mean(result);
    const ordering = compare(value, ref);
    if (value === 0) return { result, ratio: isReference ? 1 : Infinity, ratioStddev: undefined, isReference, ordering };
    const ratio = ordering < 0 ? ref / value : ordering > 0 ? value / ref : 1;
    const stddev = figure.stddev(result);
    const ratioStddev = stddev !== undefined && refStddev !== undefined ? ratio * Math.sqrt((stddev / value) ** 2 + (refStddev / ref) ** 2) : undefined;
    return { result, ratio, ratioStddev, isReference, ordering };
  });
  if (sort === "mean-time") out.sort((a, b) => compare(figure.mean(a.result), figure.mean(b.result)));
  return out;
}

/** {@link relativeTo}, or undefined when the smallest or the reference figure is zero (hyperfine then prints a note). */
export function relativeChecked(
  results: readonly BenchmarkResult[],
  reference: BenchmarkResult,
  sort: "command" | "mean-time",
  figure: Figure = TIME,
): Relative[] | undefined {
  if (figure.mean(smallestOf(results, figure)) === 0 || figure.mean(reference) === 0) return undefined;
  return relativeTo(results, reference, sort, figure);
}
