/**
 * Reports beyond GNU time's: `--json` (one run, or every run of `--repeat` with a summary)
 * and the `--repeat` summary table.
 */
import { RU_MAXRSS_UNIT, type RunResult } from "../index.ts";
import { stats, type Stats } from "./stats.ts";

/** One run as `--json` shows it: every figure, plain numbers only. */
export function runJson(r: RunResult) {
  return {
    pid: r.pid,
    exitCode: r.exitCode,
    signal: r.signal,
    signalName: r.signalName,
    status: r.status,
    state: r.state,
    shellExitCode: r.shellExitCode,
    wallSeconds: r.wallSeconds,
    userSeconds: r.rusage.ru_utime,
    systemSeconds: r.rusage.ru_stime,
    peakRssBytes: r.peakRssBytes,
    peakRssIsOwn: r.peakRssIsOwn,
    peakNote: r.peakNote,
    maxrssUnit: RU_MAXRSS_UNIT,
    rusage: r.rusage,
  };
}

/** The figures summarised over repeated runs, each as [label, unit, value of a run]. */
const FIGURES: readonly [key: string, label: string, unit: string, of: (r: RunResult) => number][] = [
  ["wallSeconds", "Wall", "s", (r) => r.wallSeconds],
  ["userSeconds", "User", "s", (r) => r.rusage.ru_utime],
  ["systemSeconds", "System", "s", (r) => r.rusage.ru_stime],
  ["peakRssBytes", "Peak RSS", "MiB", (r) => r.peakRssBytes],
];

/** The summary of every figure over `runs`. */
function summary(runs: readonly RunResult[]): Record<string, Stats> {
  return Object.fromEntries(FIGURES.map(([key, , , of]) => [key, stats(runs.map(of))]));
}

/** `--repeat --json`: every run's figures and exit status, the failed runs named, and the summary. */
export function repeatJson(command: readonly string[], warmup: number, runs: readonly RunResult[]) {
  return {
    command,
    warmup,
    runs: runs.map(runJson),
    failed: runs.flatMap((r, i) => (r.shellExitCode === 0 ? [] : [{ run: i + 1, exitCode: r.exitCode, signalName: r.signalName }])),
    peakRssIsOwn: runs.every((r) => r.peakRssIsOwn),
    summary: summary(runs),
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function show(value: number, unit: string): string {
  if (unit === "MiB") return `${(value / 1048576).toFixed(1)} MiB`;
  if (value >= 1) return `${value.toFixed(3)} s`;
  return `${(value * 1000).toFixed(1)} ms`;
}

/** How a run ended, in words: "exited 1", "killed by SIGKILL". */
function ending(r: RunResult): string {
  return r.signal === null ? `exited ${r.exitCode}` : `killed by ${r.signalName ?? `signal ${r.signal}`}`;
}

/** The `--repeat` report: hyperfine's "mean ± σ" and "min … max" for each figure. */
export function repeatText(command: readonly string[], warmup: number, runs: readonly RunResult[]): string {
  const lines = [`Command: ${command.join(" ")}`];
  const failed = runs.map((r, i) => [r, i + 1] as const).filter(([r]) => r.shellExitCode !== 0);
  const counted = `${plural(runs.length, "run", "runs")}${warmup > 0 ? ` after ${plural(warmup, "warm-up run", "warm-up runs")}` : ""}`;
  lines.push(failed.length === 0 ? `${counted}, all exited 0` : `${counted}; ${failed.length} failed: ${failed.map(([r, i]) => `run ${i} ${ending(r)}`).join(", ")}`);
  const s = summary(runs);
  for (const [key, label, unit] of FIGURES) {
    const f = s[key]!;
    lines.push(
      `  ${`${label}:`.padEnd(10)} ${show(f.mean, unit)} ± ${show(f.stddev, unit)} (mean ± σ)   median ${show(f.median, unit)}   min … max ${show(f.min, unit)} … ${show(f.max, unit)}`,
    );
  }
  if (!runs.every((r) => r.peakRssIsOwn)) lines.push(`  note: ${runs.find((r) => !r.peakRssIsOwn)?.peakNote ?? "peak RSS includes this tool's own peak"}`);
  return `${lines.join("\n")}\n`;
}
