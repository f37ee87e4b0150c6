/**
 * hyperfine's CSV export (`src/export/csv.rs`, the `csv` crate's writer): the summary per
 * benchmark in seconds as Rust prints floats, a field quoted only when it holds `,` `"` CR or
 * LF, a `parameter_<name>` column per parameter; bun-wait4-bench adds `mean_memory_usage_byte`
 * last, when memory was measured.
 * @module
 */
import type { BenchmarkResult } from "../result.ts";
import { rustDisplay } from "../rust-format.ts";
import { mean } from "../../stats.ts";

/** One field as the csv crate writes it (QuoteStyle::Necessary). */
function field(text: string): string {
  return /[,"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The `--export-csv` text. */
export function csvExport(results: readonly BenchmarkResult[], measuredMemory: boolean): string {
  const header = ["command", "mean", "stddev", "median", "user", "system", "min", "max"];
  for (const [name] of results[0]?.parameters ?? []) header.push(`parameter_${name}`);
  if (measuredMemory) header.push("mean_memory_usage_byte");
  const rows = [header.map(field).join(",")];
  for (const r of results) {
    const cells = [r.command, ...[r.mean, r.stddev ?? 0, r.median, r.user, r.system, r.min, r.max].map(rustDisplay), ...r.parameters.map(([, v]) => v)];
    if (measuredMemory) cells.push(rustDisplay(mean(r.memoryUsageBytes)));
    rows.push(cells.map(field).join(","));
  }
  return `${rows.join("\n")}\n`;
}
