/** Medians, paired comparisons and the order contenders run in: what every benchmark case shares. */

/** The median of the finite values (NaN when there are none). */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median over pairs of a[i] / b[i]: each pair measured moments apart (NaN without pairs). */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x / b[i]!));
}

/** The median over pairs of a[i] − b[i]: each difference taken between samples measured moments apart. */
export function pairedDiff(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x - b[i]!));
}

/**
 * The order of `items` for sample slot `slot` (round × passes + pass): rotated by one every
 * second slot and reversed in every odd one, so that each contender runs first, last and
 * between the others about equally often, and (with two) each runs first in half the slots.
 */
export function order<T>(items: readonly T[], slot: number): T[] {
  const turn = slot >> 1;
  const rotated = items.map((_, i) => items[(i + turn) % items.length]!);
  return slot % 2 === 1 ? rotated.reverse() : rotated;
}
