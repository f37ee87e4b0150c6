/**
 * hyperfine's table exports (`src/export/markup.rs`, `markdown.rs`, `asciidoc.rs`,
 * `orgmode.rs`): Command, Mean ± σ, Min, Max and Relative (to the fastest) in one time unit,
 * sorted as `--sort` says; bun-wait4-bench adds a peak-memory column last when memory was
 * measured.
 * @module
 */
import { mean, standardDeviation } from "../../stats.ts";
import { relativeTo, smallestOf } from "../relative-speed.ts";
import type { BenchmarkResult } from "../result.ts";
import { rustFixed } from "../rust-format.ts";
import { durationValue, memoryUnitFor, memoryValue, unitFor, unitName, type TimeUnit } from "../units.ts";

type Align = "left" | "right";

/** How one markup language writes a table. */
interface Markup {
  header(aligns: readonly Align[]): string;
  row(cells: readonly string[]): string;
  divider(aligns: readonly Align[]): string;
  footer(): string;
  command(text: string): string;
}

const MARKDOWN: Markup = {
  header: () => "",
  row: (cells) => `| ${cells.join(" | ")} |\n`,
  divider: (aligns) => `|${aligns.map((a) => (a === "left" ? ":---|" : "---:|")).join("")}\n`,
  footer: () => "",
  command: (text) => `\`${text}\``,
};

const ASCIIDOC: Markup = {
  header: (aligns) => `[cols="${aligns.map((a) => (a === "left" ? "<" : ">")).join(",")}"]\n|===`,
  row: (cells) => `\n| ${cells.join(" \n| ")} \n`,
  divider: () => "",
  footer: () => "|===\n",
  command: (text) => `\`${text}\``,
};

const ORGMODE: Markup = {
  header: () => "",
  row: (cells) => `| ${cells[0]}  |  ${cells.slice(1).join(" |  ")} |\n`,
  divider: (aligns) => `|${"--+".repeat(aligns.length - 1)}--|\n`,
  footer: () => "",
  command: (text) => `=${text}=`,
};

/** The markup languages of `--export-markdown`, `--export-asciidoc`, `--export-orgmode`. */
export const MARKUPS = { markdown: MARKDOWN, asciidoc: ASCIIDOC, orgmode: ORGMODE } as const;

/** The table in `markup`; the unit is `--time-unit` or the first result's. */
export function markupExport(
  markup: Markup,
  results: readonly BenchmarkResult[],
  unit: TimeUnit | undefined,
  sort: "command" | "mean-time",
  measuredMemory: boolean,
): string {
  const timeUnit = unit ?? (results.length > 0 ? unitFor(results[0]!.mean, undefined) : "second");
  const memoryUnit = memoryUnitFor(results.length > 0 ? mean(results[0]!.memoryUsageBytes) : 0);
  const aligns: Align[] = ["left", "right", "right", "right", "right"];
  const titles = ["Command", `Mean [${unitName(timeUnit)}]`, `Min [${unitName(timeUnit)}]`, `Max [${unitName(timeUnit)}]`, "Relative"];
  if (measuredMemory) {
    aligns.push("right");
    titles.push(`Memory [${memoryUnit}]`);
  }
  let table = markup.header(aligns) + markup.row(titles) + markup.divider(aligns);
  const entries = results.length === 0 ? [] : relativeTo(results, smallestOf(results), sort);
  for (const e of entries) {
    const r = e.result;
    const v = (s: number) => durationValue(s, timeUnit);
    const stddev = r.stddev === undefined ? "" : ` ± ${v(r.stddev)}`;
    const relStddev = e.isReference || e.ratioStddev === undefined ? "" : ` ± ${rustFixed(e.ratioStddev, 2)}`;
    const cells = [markup.command(r.commandWithUnusedParameters.replaceAll("|", "\\|")), `${v(r.mean)}${stddev}`, v(r.min), v(r.max), `${rustFixed(e.ratio, 2)}${relStddev}`];
    if (measuredMemory) {
      const bytes = r.memoryUsageBytes;
      const m = mean(bytes);
      cells.push(bytes.length > 1 ? `${memoryValue(m, memoryUnit)} ± ${memoryValue(standardDeviation(bytes, m), memoryUnit)}` : memoryValue(m, memoryUnit));
    }
    table += markup.row(cells);
  }
  return table + markup.footer();
}
