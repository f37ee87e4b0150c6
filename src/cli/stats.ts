/**
 * Summary statistics of repeated runs, computed as hyperfine's `statistical` crate does (sums
 * in run order, the sample standard deviation around that mean), so that the same figures
 * print the same digits.
 */

/** min, median, mean, standard deviation (sample, n - 1) and max of some figures. */
export interface Stats {
  min: number;
  median: number;
  mean: number;
  /** 0 for a single value (hyperfine then has none). */
  stddev: number;
  max: number;
}

/** The mean, summed in the given order (`statistical::mean`). */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The middle value, or the mean of the two middle values (`statistical::median`). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle]! + sorted[middle - 1]!) / 2;
}

/** The sample standard deviation around `center` (`statistical::standard_deviation`); needs two values. */
export function standardDeviation(values: readonly number[], center: number): number {
  let sum = 0;
  for (const v of values) sum += (v - center) * (v - center);
  return Math.sqrt(sum / (values.length - 1));
}

/** The statistics of `values` (at least one). */
export function stats(values: readonly number[]): Stats {
  const m = mean(values);
  return {
    min: values.reduce((a, b) => Math.min(a, b)),
    median: median(values),
    mean: m,
    stddev: values.length < 2 ? 0 : standardDeviation(values, m),
    max: values.reduce((a, b) => Math.max(a, b)),
  };
}
