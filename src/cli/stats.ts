/** Summary statistics of repeated runs, as hyperfine prints its timings. */

/** min, median, mean, standard deviation (sample, n - 1) and max of some figures. */
export interface Stats {
  min: number;
  median: number;
  mean: number;
  stddev: number;
  max: number;
}

/** The statistics of `values` (at least one). */
export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  const variance = n < 2 ? 0 : sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const middle = n >> 1;
  return {
    min: sorted[0]!,
    median: n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2,
    mean,
    stddev: Math.sqrt(variance),
    max: sorted[n - 1]!,
  };
}
