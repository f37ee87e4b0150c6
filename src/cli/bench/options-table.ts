/**
 * hyperfine's command-line arguments (`src/cli.rs`, 1.20) as data: names, values, how often
 * each may be given, and which exclude or need which; plus bun-wait4-bench's own options,
 * which hyperfine does not have. The parser (parse-args.ts) reads only this table.
 * @module
 */

/** One argument of the command line. */
export interface ArgSpec {
  /** The key its values are stored under. */
  readonly id: string;
  readonly long?: string;
  readonly short?: string;
  /** Value names (`<NUM>`); empty for a flag. Several names: that many values per occurrence. */
  readonly values: readonly string[];
  /** May be given several times, each occurrence adding its values (clap's `Append`). */
  readonly repeatable?: boolean;
  /** Given again, the last occurrence wins (clap's `overrides_with` itself). */
  readonly lastWins?: boolean;
  /** The value is optional and, when given, must follow `=`; this is the value when it is not given. */
  readonly missingValue?: string;
  /** The only values accepted. */
  readonly possible?: readonly string[];
  /** Values may start with `-`. */
  readonly hyphenValues?: boolean;
  readonly conflicts?: readonly string[];
  readonly requires?: readonly string[];
  /** Not shown in `--help`. */
  readonly hidden?: boolean;
}

/** Every option, in hyperfine's order, then bun-wait4-bench's. `command` (positional) is separate. */
export const ARGS: readonly ArgSpec[] = [
  { id: "warmup", long: "warmup", short: "w", values: ["NUM"] },
  { id: "min-runs", long: "min-runs", short: "m", values: ["NUM"] },
  { id: "max-runs", long: "max-runs", short: "M", values: ["NUM"] },
  { id: "runs", long: "runs", short: "r", values: ["NUM"], conflicts: ["max-runs", "min-runs"] },
  { id: "setup", long: "setup", short: "s", values: ["CMD"] },
  { id: "reference", long: "reference", values: ["CMD"] },
  { id: "reference-name", long: "reference-name", values: ["CMD"], requires: ["reference"] },
  { id: "prepare", long: "prepare", short: "p", values: ["CMD"], repeatable: true },
  { id: "conclude", long: "conclude", short: "C", values: ["CMD"], repeatable: true },
  { id: "cleanup", long: "cleanup", short: "c", values: ["CMD"] },
  { id: "parameter-scan", long: "parameter-scan", short: "P", values: ["VAR", "MIN", "MAX"], hyphenValues: true },
  { id: "parameter-step-size", long: "parameter-step-size", short: "D", values: ["DELTA"], requires: ["parameter-scan"] },
  {
    id: "parameter-list",
    long: "parameter-list",
    short: "L",
    values: ["VAR", "VALUES"],
    repeatable: true,
    hyphenValues: true,
    conflicts: ["parameter-scan", "parameter-step-size"],
  },
  { id: "shell", long: "shell", short: "S", values: ["SHELL"], lastWins: true },
  { id: "no-shell", short: "N", values: [], conflicts: ["shell", "debug-mode"] },
  { id: "ignore-failure", long: "ignore-failure", short: "i", values: ["MODE"], missingValue: "all-non-zero" },
  { id: "style", long: "style", values: ["TYPE"], possible: ["auto", "basic", "full", "nocolor", "color", "none"] },
  { id: "sort", long: "sort", values: ["METHOD"], possible: ["auto", "command", "mean-time"] },
  { id: "time-unit", long: "time-unit", short: "u", values: ["UNIT"], possible: ["microsecond", "millisecond", "second"] },
  { id: "export-asciidoc", long: "export-asciidoc", values: ["FILE"] },
  { id: "export-csv", long: "export-csv", values: ["FILE"] },
  { id: "export-json", long: "export-json", values: ["FILE"] },
  { id: "export-markdown", long: "export-markdown", values: ["FILE"] },
  { id: "export-orgmode", long: "export-orgmode", values: ["FILE"] },
  { id: "show-output", long: "show-output", values: [], conflicts: ["style"] },
  { id: "output", long: "output", values: ["WHERE"], repeatable: true, conflicts: ["show-output"] },
  { id: "input", long: "input", values: ["WHERE"] },
  { id: "command-name", long: "command-name", short: "n", values: ["NAME"], repeatable: true },
  { id: "min-benchmarking-time", long: "min-benchmarking-time", values: ["min-benchmarking-time"], hidden: true },
  { id: "debug-mode", long: "debug-mode", values: [], hidden: true },
  // bun-wait4-bench's own (long only, names hyperfine does not use).
  { id: "interleave", long: "interleave", values: [] },
  { id: "baseline", long: "baseline", values: ["FILE"] },
  { id: "help", long: "help", short: "h", values: [] },
  { id: "version", long: "version", short: "V", values: [] },
];

/** The positional argument: one or more commands, none empty. */
export const COMMAND_ARG = "<command>...";
