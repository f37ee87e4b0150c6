/**
 * What hyperfine's options mean (`src/options.rs`, `Options::from_cli_arguments` and
 * `validate_against_command_list`), with its error texts, checked in its order.
 * @module
 */
import { existsSync } from "node:fs";
import type { Command } from "./commands.ts";
import { BenchError } from "./errors.ts";
import type { Matches } from "./parse-args.ts";
import { splitWords, MISSING_CLOSING_QUOTE } from "./shell-words.ts";
import { parseRustFloat } from "./rust-format.ts";
import type { TimeUnit } from "./units.ts";

/** Where a command's output goes (`--output`, `--show-output`). */
export type OutputPolicy = { kind: "null" } | { kind: "pipe" } | { kind: "inherit" } | { kind: "file"; path: string };

/** Where a command's input comes from (`--input`). */
export type InputPolicy = { kind: "null" } | { kind: "file"; path: string };

/** What a failing command does to the benchmark (`-i`). */
export type FailureAction = { kind: "raise" } | { kind: "ignore-all" } | { kind: "ignore-codes"; codes: readonly number[] };

/** `--style` after `auto` is resolved. */
export type Style = "basic" | "full" | "nocolor" | "color" | "none";

/** How commands are run. */
export type ExecutorKind = { kind: "raw" } | { kind: "shell"; argv: readonly string[] } | { kind: "mock"; shell: string | undefined };

/** Everything the options say, after hyperfine's checks. */
export interface BenchOptions {
  minRuns: number;
  maxRuns: number | undefined;
  warmup: number;
  minBenchmarkingTime: number;
  failure: FailureAction;
  reference: string | undefined;
  referenceName: string | undefined;
  prepare: readonly string[] | undefined;
  conclude: readonly string[] | undefined;
  setup: string | undefined;
  cleanup: string | undefined;
  style: Style;
  /** Whether the terminal texts are coloured. */
  colors: boolean;
  sortSpeed: "command" | "mean-time";
  sortExports: "command" | "mean-time";
  executor: ExecutorKind;
  input: InputPolicy;
  /** One per benchmark after {@link validateAgainstCommands} (the reference first). */
  outputs: OutputPolicy[];
  timeUnit: TimeUnit | undefined;
  /** bun-wait4-bench: run the benchmarks' runs in rounds, one of each per round. */
  interleave: boolean;
  /** bun-wait4-bench: a hyperfine JSON export to compare each benchmark with. */
  baseline: string | undefined;
}

/** Rust's `str::parse::<u64>`, with its error texts. */
function parseU64(text: string, option: string): number {
  const fail = (why: string) => new BenchError(`Could not read numeric integer argument to '--${option}': ${why}`);
  if (text === "") throw fail("cannot parse integer from empty string");
  const digits = text.startsWith("+") ? text.slice(1) : text;
  if (!/^\d+$/.test(digits)) throw fail("invalid digit found in string");
  if (BigInt(digits) > 2n ** 64n - 1n) throw fail("number too large to fit in target type");
  return Number(digits);
}

/** Rust's `str::parse::<i32>` for `-i` codes, with its error texts. */
function parseI32(text: string): number {
  const fail = (why: string) => new BenchError(`Could not read numeric integer argument to '--ignore-failure': ${why}`);
  if (text === "") throw fail("cannot parse integer from empty string");
  const unsigned = text.startsWith("+") || text.startsWith("-") ? text.slice(1) : text;
  if (!/^\d+$/.test(unsigned)) throw fail("invalid digit found in string");
  const n = BigInt(text.startsWith("+") ? unsigned : text);
  if (n > 2n ** 31n - 1n) throw fail("number too large to fit in target type");
  if (n < -(2n ** 31n)) throw fail("number too small to fit in target type");
  return Number(n);
}

/** Rust's `Path::components().count()`: `.` only counts at the start, `/` is one. */
function pathComponents(path: string): number {
  const parts = path.split("/");
  let count = path.startsWith("/") ? 1 : 0;
  parts.forEach((part, i) => {
    if (part === "" || (part === "." && i > 0)) return;
    count++;
  });
  return count;
}

function outputPolicy(value: string): OutputPolicy {
  if (value === "null") return { kind: "null" };
  if (value === "pipe") return { kind: "pipe" };
  if (value === "inherit") return { kind: "inherit" };
  if (pathComponents(value) <= 1) throw new BenchError(`Unknown output policy '${value}'. Use './${value}' to output to a file named '${value}'.`);
  return { kind: "file", path: value };
}

/** The terminal facts `--style auto` and the colours depend on. */
export interface Terminal {
  stdoutIsTerminal: boolean;
  env: Record<string, string | undefined>;
}

/** `--style auto`, as hyperfine resolves it. */
function autoStyle(outputs: readonly OutputPolicy[], terminal: Terminal): Style {
  if (outputs.some((o) => o.kind === "inherit") || !terminal.stdoutIsTerminal) return "basic";
  const term = terminal.env.TERM;
  if (term === undefined || term === "unknown" || term === "dumb" || (terminal.env.NO_COLOR ?? "") !== "") return "nocolor";
  return "full";
}

/** The `colored` crate's own choice when hyperfine does not override it (`--style none`). */
function coloredDefault(terminal: Terminal): boolean {
  if (terminal.env.NO_COLOR !== undefined) return false;
  if (terminal.env.CLICOLOR_FORCE !== undefined && terminal.env.CLICOLOR_FORCE !== "0") return true;
  return terminal.env.CLICOLOR !== "0" && terminal.stdoutIsTerminal;
}

/** hyperfine's `Options::from_cli_arguments`: the options, or the first BenchError in its order. */
export function readOptions(matches: Matches, terminal: Terminal): BenchOptions {
  const one = (id: string): string | undefined => matches.options.get(id)?.at(-1)?.[0];
  const all = (id: string): string[] | undefined => matches.options.get(id)?.map((v) => v[0]!);
  const flag = (id: string): boolean => matches.options.has(id);
  const u64 = (id: string): number | undefined => {
    const text = one(id);
    return text === undefined ? undefined : parseU64(text, id);
  };

  const warmup = u64("warmup") ?? 0;
  let minRuns = u64("min-runs");
  let maxRuns = u64("max-runs");
  const runs = u64("runs");
  if (runs !== undefined) minRuns = maxRuns = runs;
  let min = 10;
  let max: number | undefined;
  if (minRuns !== undefined && maxRuns !== undefined && minRuns > maxRuns) {
    throw new BenchError("Conflicting requirements for the number of runs (empty range, min is larger than max)");
  }
  if (minRuns !== undefined) min = minRuns;
  else if (maxRuns !== undefined) min = Math.min(min, maxRuns); // the default minimum never exceeds an explicit maximum
  if (maxRuns !== undefined) max = maxRuns;

  const outputs = flag("show-output") ? [{ kind: "inherit" } as const] : (all("output")?.map(outputPolicy) ?? [{ kind: "null" } as const]);
  const styleValue = one("style");
  const style: Style = styleValue === undefined || styleValue === "auto" ? autoStyle(outputs, terminal) : (styleValue as Style);
  const colors = style === "full" || style === "color" ? true : style === "none" ? coloredDefault(terminal) : false;
  const sort = one("sort") ?? "auto";

  let executor: ExecutorKind;
  const shell = one("shell");
  if (flag("no-shell")) executor = { kind: "raw" };
  else if (flag("debug-mode")) executor = { kind: "mock", shell };
  else if (shell === undefined || shell === "default") executor = { kind: "shell", argv: ["sh"] };
  else if (shell === "none") executor = { kind: "raw" };
  else {
    const words = splitWords(shell);
    if (words === undefined) throw new BenchError(`Failed to parse '--shell <command>' expression as command line: ${MISSING_CLOSING_QUOTE}`);
    if (words.length === 0 || words[0] === "") throw new BenchError("An empty command has been specified for the '--shell <command>' option");
    executor = { kind: "shell", argv: words };
  }

  let failure: FailureAction = { kind: "raise" };
  const mode = one("ignore-failure");
  if (mode !== undefined) {
    failure = mode === "all-non-zero" || mode === "" ? { kind: "ignore-all" } : { kind: "ignore-codes", codes: mode.split(",").map((c) => parseI32(c.trim())) };
  }

  const timeUnit = one("time-unit") as TimeUnit | undefined;
  let minBenchmarkingTime = 3;
  const minTime = one("min-benchmarking-time");
  if (minTime !== undefined) {
    const parsed = parseRustFloat(minTime);
    if (parsed === undefined) {
      throw new BenchError(`Could not read numeric floating point argument to '--min-benchmarking-time': ${minTime === "" ? "cannot parse float from empty string" : "invalid float literal"}`);
    }
    minBenchmarkingTime = parsed;
  }

  let input: InputPolicy = { kind: "null" };
  const inputValue = one("input");
  if (inputValue !== undefined && inputValue !== "null") {
    if (!existsSync(inputValue)) throw new BenchError(`The file '${inputValue}' specified as '--input' does not exist`);
    input = { kind: "file", path: inputValue };
  }

  return {
    minRuns: min,
    maxRuns: max,
    warmup,
    minBenchmarkingTime,
    failure,
    reference: one("reference"),
    referenceName: one("reference-name"),
    prepare: all("prepare"),
    conclude: all("conclude"),
    setup: one("setup"),
    cleanup: one("cleanup"),
    style,
    colors,
    sortSpeed: sort === "command" ? "command" : "mean-time",
    sortExports: sort === "mean-time" ? "mean-time" : "command",
    executor,
    input,
    outputs,
    timeUnit,
    interleave: flag("interleave"),
    baseline: one("baseline"),
  };
}

/** hyperfine's `validate_against_command_list`: per-command options given once or once per benchmark. */
export function validateAgainstCommands(options: BenchOptions, commands: readonly Command[]): void {
  const n = commands.length + (options.reference === undefined ? 0 : 1);
  const onceOrN = (name: string) =>
    new BenchError(
      `The '--${name}' option has to be provided just once or N times, where N=${n} is the number of benchmark commands (including a potential reference).`,
    );
  if (options.prepare !== undefined && options.prepare.length > 1 && options.prepare.length !== n) throw onceOrN("prepare");
  if (options.conclude !== undefined && options.conclude.length > 1 && options.conclude.length !== n) throw onceOrN("conclude");
  if (options.outputs.length === 1) options.outputs = Array.from({ length: n }, () => options.outputs[0]!);
  else if (options.outputs.length !== n) throw onceOrN("output");
}
