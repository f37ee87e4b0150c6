/**
 * `--baseline FILE` (bun-wait4-bench's answer to hyperfine issues #607 and #830): each
 * benchmark compared with the entry of the same name in an earlier JSON export, by mean time
 * and, where both measured it, by mean peak memory.
 * @module
 */
import { readFileSync } from "node:fs";
import { mean, standardDeviation } from "../stats.ts";
import { errorText } from "../strerror.ts";
import { BenchError } from "./errors.ts";
import type { Paint } from "./paint.ts";
import type { BenchmarkResult } from "./result.ts";
import { rustFixed, rustFixedWidth } from "./rust-format.ts";
import { formatDuration, type TimeUnit } from "./units.ts";

/** One benchmark of the baseline: what the comparison needs from its JSON entry. */
export interface BaselineEntry {
  command: string;
  mean: number;
  stddev: number | undefined;
  /** Mean and σ of the per-run peaks; undefined when the file has none (or only zeros, as hyperfine's debug mode). */
  memory: { mean: number; stddev: number | undefined } | undefined;
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");

/**
 * Reads a hyperfine JSON export.
 *
 * @throws BenchError naming the file when it cannot be read or is not such an export.
 */
export function readBaseline(path: string): BaselineEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new BenchError(`Could not read the baseline '${path}': ${error instanceof SyntaxError ? error.message : errorText(error)}`);
  }
  const results = (data as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new BenchError(`The baseline '${path}' is not a hyperfine JSON export (no "results" list)`);
  return results.map((r: unknown, i) => {
    const e = r as Record<string, unknown>;
    if (typeof e?.command !== "string" || typeof e.mean !== "number") throw new BenchError(`The baseline '${path}' has no command or mean in result ${i + 1}`);
    const peaks = e.memory_usage_byte;
    const memory =
      isNumberArray(peaks) && peaks.length > 0 && peaks.some((p) => p > 0)
        ? { mean: mean(peaks), stddev: peaks.length > 1 ? standardDeviation(peaks, mean(peaks)) : undefined }
        : undefined;
    return { command: e.command, mean: e.mean, stddev: typeof e.stddev === "number" ? e.stddev : undefined, memory };
  });
}

/** "x.xx ± y.yy times faster/slower than" for now against before. */
function ratioLine(now: number, nowStddev: number | undefined, before: number, beforeStddev: number | undefined, more: string, less: string, paint: Paint): string {
  const ordering = now < before ? -1 : now > before ? 1 : 0;
  const ratio = ordering < 0 ? before / now : ordering > 0 ? now / before : 1;
  const sd = nowStddev !== undefined && beforeStddev !== undefined ? ratio * Math.sqrt((nowStddev / now) ** 2 + (beforeStddev / before) ** 2) : undefined;
  const stddev = sd === undefined ? "" : ` ± ${paint(rustFixed(sd, 2), "green")}`;
  if (ordering === 0) return `    As before (${paint(rustFixed(1, 2), "bold", "green")}${stddev})`;
  return `${paint(rustFixedWidth(ratio, 8, 2), "bold", "green")}${stddev} ${ordering > 0 ? more : less}`;
}

/** The comparison printed after the summary. */
export function baselineText(
  path: string,
  baseline: readonly BaselineEntry[],
  results: readonly BenchmarkResult[],
  unit: TimeUnit | undefined,
  measuredMemory: boolean,
  paint: Paint,
): string {
  let text = `${paint(`Compared with ${path}`, "bold")}\n`;
  for (const r of results) {
    const name = r.commandWithUnusedParameters;
    const before = baseline.find((b) => b.command === r.command);
    if (before === undefined || before.mean <= 0 || r.mean <= 0) {
      text += `  ${paint(name, "cyan")}: ${before === undefined ? "not in the baseline" : "no comparison (a mean time of zero)"}\n`;
      continue;
    }
    text += `  ${paint(name, "cyan")} (${formatDuration(before.mean, unit)} before, ${formatDuration(r.mean, unit)} now)\n`;
    text += `${ratioLine(r.mean, r.stddev, before.mean, before.stddev, "times slower than before", "times faster than before", paint)}\n`;
    const peaks = r.memoryUsageBytes;
    if (measuredMemory && before.memory !== undefined && peaks.length > 0 && mean(peaks) > 0) {
      const m = mean(peaks);
      const sd = peaks.length > 1 ? standardDeviation(peaks, m) : undefined;
      text += `${ratioLine(m, sd, before.memory.mean, before.memory.stddev, "times more memory than before", "times less memory than before", paint)}\n`;
    }
  }
  return text;
}
