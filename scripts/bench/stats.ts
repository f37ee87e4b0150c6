/** What every benchmark case shares: medians and the order contenders run in. */

/** The median of the finite values (NaN when there are none). */
export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median over pairs of a[i] − b[i]: each difference taken between samples measured moments apart. */
export function pairedDiff(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x - b[i]!));
}

/**
 * `items` starting from index `round` (mod length), reversed when `reverse`: rotating each
 * round and reversing every other pass makes each contender run first, last and between the
 * others about equally often.
 */
export function rotate<T>(items: readonly T[], round: number, reverse: boolean): T[] {
  const order = items.map((_, i) => items[(i + round) % items.length]!);
  return reverse ? order.reverse() : order;
}

/** The median over pairs of a[i] / b[i]: each pair measured moments apart. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x / b[i]!));
}
