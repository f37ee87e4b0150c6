/**
 * The values of the `peak` option (run(), spawn(), spawnSync()) and of the CLI's `--peak`:
 * how a command is started, which decides what its peak memory figure counts (docs/DESIGN.md §6).
 */

/** Every `peak` value, in the order messages list them. */
const PEAK_MODES = ["own", "plain", "auto"] as const;

/**
 * How the child is started, which decides what its peak memory figure counts:
 * - `"own"`: handed over from a small process (Linux), so `ru_maxrss` is the child's own;
 *   rejects where impossible;
 * - `"plain"`: spawned directly: on Linux `ru_maxrss` then includes this process's peak;
 * - `"auto"`: `own` where possible, else `plain`; `peakRssIsOwn` says which (the default).
 */
export type PeakMode = (typeof PEAK_MODES)[number];

/** The `peak` of a call that names none. */
export const DEFAULT_PEAK_MODE: PeakMode = "auto";

/** Whether `value` is one of the `peak` values. */
export function isPeakMode(value: unknown): value is PeakMode {
  return (PEAK_MODES as readonly unknown[]).includes(value);
}

/** The `peak` values as a message lists them, each in `quote`: `"own", "plain" or "auto"`. */
export function peakModeList(quote: string): string {
  const quoted = PEAK_MODES.map((mode) => `${quote}${mode}${quote}`);
  return `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}
