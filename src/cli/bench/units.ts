/**
 * How hyperfine writes a duration (`src/output/format.rs`, `src/util/units.rs`): seconds with
 * three decimals, milliseconds or microseconds with one, the unit chosen from the value unless
 * `--time-unit` fixes it; and how bun-wait4-bench writes a peak memory figure, the same way
 * with KiB, MiB and GiB.
 * @module
 */
import { rustFixed } from "./rust-format.ts";

/** A time unit of `--time-unit`. */
export type TimeUnit = "second" | "millisecond" | "microsecond";

const SHORT: Record<TimeUnit, string> = { second: "s", millisecond: "ms", microsecond: "µs" };

/** The unit's short name: `s`, `ms`, `µs`. */
export function unitName(unit: TimeUnit): string {
  return SHORT[unit];
}

/** The unit hyperfine picks for `seconds`: the given one, else µs under 1 ms, ms under 1 s, s otherwise. */
export function unitFor(seconds: number, unit: TimeUnit | undefined): TimeUnit {
  if (unit !== undefined) return unit;
  if (seconds < 0.001) return "microsecond";
  if (seconds < 1) return "millisecond";
  return "second";
}

/** The number alone in `unit` (`format_duration_value`): `"1.300"`, `"1300.0"`. */
export function durationValue(seconds: number, unit: TimeUnit): string {
  if (unit === "second") return rustFixed(seconds, 3);
  return rustFixed(seconds * (unit === "millisecond" ? 1e3 : 1e6), 1);
}

/** `format_duration`: the value and its unit, `"1.300 s"`, `"999.0 ms"`, `"500.0 µs"`. */
export function formatDuration(seconds: number, unit: TimeUnit | undefined): string {
  const chosen = unitFor(seconds, unit);
  return `${durationValue(seconds, chosen)} ${unitName(chosen)}`;
}

/** A memory unit, chosen from a figure in bytes. */
export type MemoryUnit = "KiB" | "MiB" | "GiB";

const MEMORY_BYTES: Record<MemoryUnit, number> = { KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** KiB under 1 MiB, MiB under 1 GiB, GiB otherwise. */
export function memoryUnitFor(bytes: number): MemoryUnit {
  if (bytes < MEMORY_BYTES.MiB) return "KiB";
  if (bytes < MEMORY_BYTES.GiB) return "MiB";
  return "GiB";
}

/** `bytes` in `unit` with one decimal and the unit: `"1.6 MiB"`. */
export function formatMemory(bytes: number, unit: MemoryUnit): string {
  return `${rustFixed(bytes / MEMORY_BYTES[unit], 1)} ${unit}`;
}

/** `bytes` in `unit` with one decimal, without the unit (for tables). */
export function memoryValue(bytes: number, unit: MemoryUnit): string {
  return rustFixed(bytes / MEMORY_BYTES[unit], 1);
}
