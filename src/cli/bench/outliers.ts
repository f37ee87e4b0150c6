/**
 * hyperfine's outlier test (`src/outlier_detection.rs`, after Iglewicz and Hoaglin): modified
 * Z-scores, (x - median) / MAD, with a run counted as an outlier above 1.4826 × 10.
 * @module
 */
import { median } from "../stats.ts";

/** A modified Z-score above this is an outlier. */
export const OUTLIER_THRESHOLD = 1.4826 * 10;

/** The modified Z-score of each value (a zero MAD is taken as the smallest double step). */
export function modifiedZScores(values: readonly number[]): number[] {
  const m = median(values);
  const mad = median(values.map((x) => Math.abs(x - m)));
  const scale = mad > 0 ? mad : Number.EPSILON;
  return values.map((x) => (x - m) / scale);
}
