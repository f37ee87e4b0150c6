/**
 * GNU time's command line: glibc `getopt_long(argc, argv, "+af:o:pqvV", longopts)` as GNU
 * time's `getargs` drives it (spec §1.1–1.4, "spec" being the GNU time behavioural
 * specification, docs/GNU-TIME.md), plus bun-wait4's long-only extensions.
 *
 * getopt rules reproduced: short options cluster (`-pqf%x`); `-f`/`-o` take the rest of
 * their word or else the next word, whatever it starts with; `--` is consumed and ends the
 * options; the first non-option (a lone `-` is one) is the command and nothing after it is
 * looked at; `--name=value` or `--name value`; an unambiguous prefix of a long name is that
 * option, an exact name beats prefixes. Each option takes effect as it is read, so
 * `--help`/`-V` end parsing at once and an earlier bad option wins over them.
 *
 * The extensions (`--json`, `--repeat`, `--warmup`, `--peak`) are looked up only after
 * GNU's table has found nothing, and only by their full names: every word GNU accepts means
 * what it means to GNU (`--p` is still `--portability`), and only four words GNU rejects as
 * "unrecognized" mean something here.
 *
 * Deviation: getopt works on bytes, so for a non-ASCII short option (`-é`) GNU names only
 * the first byte of the character (`invalid option -- '\xc3'`, not UTF-8); here the whole
 * character is named.
 * @module
 */
import { DEFAULT_PEAK_MODE, isPeakMode, peakModeList, type PeakMode } from "../run/peak-modes.ts";
import { DEFAULT_FORMAT, PORTABLE_FORMAT, VERBOSE_FORMAT } from "./formats.ts";

/** A valid invocation: what to run and how to report it. */
export interface RunRequest {
  kind: "run";
  /** The command and its arguments (never empty). */
  command: readonly string[];
  /** The format to expand: `-v`, else the last of `-f`/`-p`, else `$TIME` if set (even empty), else the default (spec §1.2). */
  format: string;
  /** True if `format` is the built-in `-p` format chosen by `-p`: then no status line (spec §1.2, §4). */
  formatIsPortable: boolean;
  /** `-q`: no status line. */
  quiet: boolean;
  /** `-v` was given (`format` is then {@link VERBOSE_FORMAT}). */
  verbose: boolean;
  /** `-o FILE` (the last one), and whether `-a` was given; absent means stderr. `-a` alone is ignored. */
  output?: { path: string; append: boolean };
  /** `--json`: report as JSON. */
  json: boolean;
  /** `--repeat=N`: how many timed runs, ≥ 1 (default 1). */
  repeat: number;
  /** `--warmup=N`: untimed runs first, ≥ 0 (default 0). */
  warmup: number;
  /** `--peak=own|plain|auto` (default auto). */
  peak: PeakMode;
}

/** The outcome of parsing: run, print help or version (exit 0), or a usage error (exit 125). */
export type ParsedArgs =
  | RunRequest
  | { kind: "help" }
  | { kind: "version" }
  | {
      kind: "usage-error";
      /** The whole stderr text: the diagnostic line(s) and `Try '<argv0> --help' for more information.` */
      message: string;
    };

/** GNU time's exit status for a usage error (EXIT_CANCELED, spec §1.4). */
export const USAGE_ERROR_STATUS = 125;

type OptionId = "a" | "f" | "o" | "p" | "q" | "v" | "V" | "help" | "json" | "repeat" | "warmup" | "peak";

interface LongOption {
  readonly name: string;
  readonly hasArg: boolean;
  readonly id: OptionId;
}

/** GNU time's `longopts`, in its order (the order of getopt's "possibilities:" list). */
const GNU_LONG: readonly LongOption[] = [
  { name: "append", hasArg: false, id: "a" },
  { name: "format", hasArg: true, id: "f" },
  { name: "help", hasArg: false, id: "help" },
  { name: "output-file", hasArg: true, id: "o" },
  { name: "portability", hasArg: false, id: "p" },
  { name: "quiet", hasArg: false, id: "q" },
  { name: "verbose", hasArg: false, id: "v" },
  { name: "version", hasArg: false, id: "V" },
];

/** Ours: matched by full name only, after GNU's table found nothing. */
const EXTENSIONS: readonly LongOption[] = [
  { name: "json", hasArg: false, id: "json" },
  { name: "repeat", hasArg: true, id: "repeat" },
  { name: "warmup", hasArg: true, id: "warmup" },
  { name: "peak", hasArg: true, id: "peak" },
];

/** The optstring "+af:o:pqvV": letter → takes an argument. */
const SHORT = new Map<string, boolean>([
  ["a", false],
  ["f", true],
  ["o", true],
  ["p", false],
  ["q", false],
  ["v", false],
  ["V", false],
]);

/**
 * glibc's long-option lookup (`process_long_option`): an exact name, else the single
 * option the prefix names. Several prefix matches are ambiguous when any of them differs
 * from the first (here they all do: every option has its own letter).
 */
function lookupLong(name: string): LongOption | { ambiguous: readonly LongOption[] } | undefined {
  const exact = GNU_LONG.find((o) => o.name === name);
  if (exact !== undefined) return exact;
  const matches = GNU_LONG.filter((o) => o.name.startsWith(name));
  const first = matches[0];
  if (first === undefined) return EXTENSIONS.find((o) => o.name === name);
  const differing = matches.filter((o) => o.hasArg !== first.hasArg || o.id !== first.id);
  return differing.length === 0 ? first : { ambiguous: [first, ...differing] };
}

/** A decimal count for --repeat/--warmup: digits only, at least `min`. */
function parseCount(value: string, min: number): number | undefined {
  if (!/^[0-9]+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}

/**
 * Parses GNU time's arguments (everything after `argv[0]`) with GNU's exact getopt
 * semantics (spec §1.1–1.4) and picks the format by GNU's precedence (spec §1.2):
 * `-v` > last of `-f`/`-p` > `$TIME` (if set, even empty) > built-in default.
 *
 * @param argv0 the program name as invoked, used unchanged in messages (glibc does).
 * @param args the arguments after argv[0].
 * @param env the environment (only `TIME` is read).
 * @returns what to do; a usage error's `message` is the complete stderr text, and GNU
 *   exits {@link USAGE_ERROR_STATUS} after it.
 * @example
 * parseArgs("time", ["-f", "%e", "sleep", "1"], process.env);
 * // { kind: "run", command: ["sleep", "1"], format: "%e", … }
 */
export function parseArgs(argv0: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  const usageError = (...diagnostics: string[]): ParsedArgs => ({
    kind: "usage-error",
    message: `${diagnostics.map((d) => `${argv0}: ${d}\n`).join("")}Try '${argv0} --help' for more information.\n`,
  });

  let chosenFormat: string | undefined; // -f and -p share it: the last one wins
  let portable = false;
  let verbose = false;
  let quiet = false;
  let append = false;
  let outputPath: string | undefined;
  let json = false;
  let repeat = 1;
  let warmup = 0;
  let peak: PeakMode = DEFAULT_PEAK_MODE;

  /** Acts on one option as getargs does; returns an outcome that ends parsing. */
  const act = (id: OptionId, value: string): ParsedArgs | undefined => {
    switch (id) {
      case "a":
        append = true;
        return undefined;
      case "f":
        chosenFormat = value;
        portable = false;
        return undefined;
      case "o":
        outputPath = value;
        return undefined;
      case "p":
        chosenFormat = PORTABLE_FORMAT;
        portable = true;
        return undefined;
      case "q":
        quiet = true;
        return undefined;
      case "v":
        verbose = true;
        return undefined;
      case "V":
        return { kind: "version" };
      case "help":
        return { kind: "help" };
      case "json":
        json = true;
        return undefined;
      case "repeat": {
        const n = parseCount(value, 1);
        if (n === undefined) return usageError(`invalid argument '${value}' for '--repeat': expected an integer >= 1`);
        repeat = n;
        return undefined;
      }
      case "warmup": {
        const n = parseCount(value, 0);
        if (n === undefined) return usageError(`invalid argument '${value}' for '--warmup': expected an integer >= 0`);
        warmup = n;
        return undefined;
      }
      case "peak": {
        if (!isPeakMode(value)) return usageError(`invalid argument '${value}' for '--peak': expected ${peakModeList("'")}`);
        peak = value;
        return undefined;
      }
    }
  };

  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (arg.length < 2 || arg[0] !== "-") break; // the command ("-" and "" included)

    if (arg[1] === "-") {
      const body = arg.slice(2);
      const eq = body.indexOf("=");
      const name = eq < 0 ? body : body.slice(0, eq);
      const found = lookupLong(name);
      if (found === undefined) return usageError(`unrecognized option '--${body}'`);
      if ("ambiguous" in found) {
        const possibilities = found.ambiguous.map((o) => ` '--${o.name}'`).join("");
        return usageError(`option '--${body}' is ambiguous; possibilities:${possibilities}`);
      }
      let value = "";
      if (eq >= 0) {
        if (!found.hasArg) return usageError(`option '--${found.name}' doesn't allow an argument`);
        value = body.slice(eq + 1);
      } else if (found.hasArg) {
        if (i + 1 >= args.length) return usageError(`option '--${found.name}' requires an argument`);
        value = args[++i]!;
      }
      const outcome = act(found.id, value);
      if (outcome !== undefined) return outcome;
      i++;
      continue;
    }

    // A cluster of short options, by code point (see the module comment).
    let j = 1;
    while (j < arg.length) {
      const letter = String.fromCodePoint(arg.codePointAt(j)!);
      j += letter.length;
      const hasArg = SHORT.get(letter);
      if (hasArg === undefined) return usageError(`invalid option -- '${letter}'`);
      let value = "";
      if (hasArg) {
        if (j < arg.length) value = arg.slice(j);
        else if (i + 1 < args.length) value = args[++i]!;
        else return usageError(`option requires an argument -- '${letter}'`);
        j = arg.length;
      }
      const outcome = act(letter as OptionId, value);
      if (outcome !== undefined) return outcome;
    }
    i++;
  }

  // Checked before anything is opened, so `time -o f` creates no f (spec §1.1).
  if (i === args.length) return usageError("missing program to run");

  let format: string;
  let formatIsPortable = false;
  if (verbose) format = VERBOSE_FORMAT;
  else if (chosenFormat !== undefined) {
    format = chosenFormat;
    formatIsPortable = portable;
  } else format = env.TIME ?? DEFAULT_FORMAT;

  const request: RunRequest = {
    kind: "run",
    command: args.slice(i),
    format,
    formatIsPortable,
    quiet,
    verbose,
    json,
    repeat,
    warmup,
    peak,
  };
  if (outputPath !== undefined) request.output = { path: outputPath, append };
  return request;
}
