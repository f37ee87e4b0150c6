/**
 * One benchmark's result (hyperfine's `BenchmarkResult`), the record every report and export
 * is made from, and how it is computed from the runs.
 * @module
 */
import { mean, median, standardDeviation } from "../stats.ts";
import type { Command } from "./commands.ts";

/** One benchmark's figures, in the order hyperfine's JSON export lists them. */
export interface BenchmarkResult {
  /** The name (`-n`) or command line. */
  command: string;
  /** With the parameters its command line does not use: `echo (x = 1)`. */
  commandWithUnusedParameters: string;
  mean: number;
  /** Undefined after a single run. */
  stddev: number | undefined;
  median: number;
  /** Mean user and system seconds. */
  user: number;
  system: number;
  min: number;
  max: number;
  times: number[];
  /** Each run's own peak memory, bytes. */
  memoryUsageBytes: number[];
  /** Whether every peak is the command's own (not folded in with this tool's). */
  memoryIsOwn: boolean;
  /** Each run's exit code, or 128 + the signal. */
  exitCodes: number[];
  /** Parameter name → value, sorted by name. */
  parameters: [string, string][];
}

/** What the runs of one benchmark gave. */
export interface Runs {
  real: number[];
  user: number[];
  system: number[];
  memory: number[];
  memoryIsOwn: boolean;
  exitCodes: number[];
}

/** An empty record of runs. */
export function noRuns(): Runs {
  return { real: [], user: [], system: [], memory: [], memoryIsOwn: true, exitCodes: [] };
}

/** The result of `command` from its runs (at least one). */
export function resultOf(command: Command, runs: Runs): BenchmarkResult {
  const m = mean(runs.real);
  return {
    command: command.displayName(),
    commandWithUnusedParameters: command.nameWithUnusedParameters(),
    mean: m,
    stddev: runs.real.length > 1 ? standardDeviation(runs.real, m) : undefined,
    median: median(runs.real),
    user: mean(runs.user),
    system: mean(runs.system),
    min: runs.real.reduce((a, b) => Math.min(a, b)),
    max: runs.real.reduce((a, b) => Math.max(a, b)),
    times: runs.real,
    memoryUsageBytes: runs.memory,
    memoryIsOwn: runs.memoryIsOwn,
    exitCodes: runs.exitCodes,
    parameters: command.parameters.map(([n, v]) => [n, v] as [string, string]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

/** hyperfine compares results as whole values (derived `PartialEq`): every field equal. */
export function sameResult(a: BenchmarkResult, b: BenchmarkResult): boolean {
  const sameList = (x: readonly unknown[], y: readonly unknown[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.command === b.command &&
    a.commandWithUnusedParameters === b.commandWithUnusedParameters &&
    a.mean === b.mean &&
    a.stddev === b.stddev &&
    a.median === b.median &&
    a.user === b.user &&
    a.system === b.system &&
    a.min === b.min &&
    a.max === b.max &&
    sameList(a.times, b.times) &&
    sameList(a.memoryUsageBytes, b.memoryUsageBytes) &&
    sameList(a.exitCodes, b.exitCodes) &&
    sameList(a.parameters.flat(), b.parameters.flat())
  );
}
