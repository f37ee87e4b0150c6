/**
 * hyperfine's command line as its argument parser (clap 4.0, the version Debian builds
 * hyperfine with) reads it: `--name value`, `--name=value`, `-x value`, `-xvalue`, `-x=value`,
 * flags clustered (`-Nr2`), `--` ending the options, every other word a command. The errors
 * are clap's texts with exit status 2. What the arguments mean is options.ts's business.
 * @module
 */
import { ARGS, COMMAND_ARG, type ArgSpec } from "./options-table.ts";

/** What was given: each option's occurrences (each a list of values), and the commands. */
export interface Matches {
  kind: "matches";
  /** Option id → its occurrences in order; a flag's occurrence is an empty list. */
  options: Map<string, string[][]>;
  commands: string[];
}

/** The outcome of parsing. */
export type Parsed = Matches | { kind: "help" } | { kind: "version" } | { kind: "error"; message: string };

const BY_LONG = new Map(ARGS.filter((a) => a.long !== undefined).map((a) => [a.long!, a]));
const BY_SHORT = new Map(ARGS.filter((a) => a.short !== undefined).map((a) => [a.short!, a]));
const BY_ID = new Map(ARGS.map((a) => [a.id, a]));

/** How clap names an argument in its messages: `--runs <NUM>`, `-N`, `--show-output`. */
export function displayName(spec: ArgSpec): string {
  const name = spec.long !== undefined ? `--${spec.long}` : `-${spec.short}`;
  return spec.values.length === 0 ? name : `${name} ${spec.values.map((v) => `<${v}>`).join(" ")}`;
}

/** strsim's Jaro similarity, which clap uses for its "Did you mean" (above 0.8). */
function jaro(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  if (x.length === 0 && y.length === 0) return 1;
  if (x.length === 0 || y.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(x.length, y.length) / 2) - 1);
  const used = new Array<boolean>(y.length).fill(false);
  const matchedX: string[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(y.length, i + window + 1); j++) {
      if (!used[j] && x[i] === y[j]) {
        used[j] = true;
        matchedX.push(x[i]!);
        break;
      }
    }
  }
  const m = matchedX.length;
  if (m === 0) return 0;
  const matchedY = y.filter((_, j) => used[j]);
  const transpositions = matchedX.filter((c, i) => c !== matchedY[i]).length / 2;
  return (m / x.length + m / y.length + (m - transpositions) / m) / 3;
}

/** The most similar candidate above clap's 0.8 threshold (the last of equals, as clap sorts). */
function suggestion(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let score = 0.8;
  for (const c of candidates) {
    const s = jaro(word, c);
    if (s > score || (best !== undefined && s === score)) {
      best = c;
      score = s;
    }
  }
  return best;
}

/** clap's closing lines: the usage (when given) and the pointer to --help. */
function clapError(text: string, usage: string | undefined, argv0: string): Parsed {
  const usageText = usage === undefined ? "" : `Usage: ${argv0} ${usage}\n\n`;
  return { kind: "error", message: `error: ${text}\n\n${usageText}For more information try '--help'\n` };
}

const GENERIC_USAGE = `[OPTIONS] ${COMMAND_ARG}`;

function possibleValues(spec: ArgSpec): string {
  return spec.possible === undefined ? "" : `\n  [possible values: ${spec.possible.join(", ")}]`;
}

/**
 * Parses hyperfine's arguments (without the program name).
 *
 * @param argv0 the program name for the usage line of errors.
 */
export function parseArgs(args: readonly string[], argv0: string): Parsed {
  const options = new Map<string, string[][]>();
  const order: string[] = [];
  const commands: string[] = [];

  const unknown = (word: string): Parsed => {
    const long = word.startsWith("--") ? word.slice(2).split("=")[0]! : undefined;
    const similar = long === undefined ? undefined : suggestion(long, [...BY_LONG.keys()]);
    if (similar !== undefined) {
      return clapError(`Found argument '${word}' which wasn't expected, or isn't valid in this context\n\n  Did you mean '--${similar}'?`, `${displayName(BY_LONG.get(similar)!)} ${COMMAND_ARG}`, argv0);
    }
    return clapError(
      `Found argument '${word}' which wasn't expected, or isn't valid in this context\n\n  If you tried to supply '${word}' as a value rather than a flag, use '-- ${word}'`,
      GENERIC_USAGE,
      argv0,
    );
  };
  const isKnownOption = (word: string): boolean =>
    word.startsWith("--") ? BY_LONG.has(word.slice(2).split("=")[0]!) : word.length > 1 && word.startsWith("-") && BY_SHORT.has(word[1]!);

  /** Records one occurrence; returns an error for a second one where clap forbids it. */
  const record = (spec: ArgSpec, values: string[]): Parsed | undefined => {
    const previous = options.get(spec.id);
    if (previous !== undefined && !spec.repeatable && !spec.lastWins) {
      return clapError(`The argument '${displayName(spec)}' was provided more than once, but cannot be used multiple times`, GENERIC_USAGE, argv0);
    }
    if (spec.possible !== undefined) {
      const value = values[0]!;
      if (!spec.possible.includes(value)) {
        const similar = suggestion(value, spec.possible);
        const hint = similar === undefined ? "" : `\n\n  Did you mean '${similar}'?`;
        return clapError(`'${value}' isn't a valid value for '${displayName(spec)}'${possibleValues(spec)}${hint}`, undefined, argv0);
      }
    }
    if (previous === undefined) order.push(spec.id);
    options.set(spec.id, spec.lastWins && previous !== undefined ? [values] : [...(previous ?? []), values]);
    return undefined;
  };

  let i = 0;
  /**
   * Takes the values of `spec` after it: `attached` (the rest of the word) first, then the
   * following words. Returns them, or the error.
   */
  const takeValues = (spec: ArgSpec, attached: string | undefined): string[] | Parsed => {
    const wanted = spec.values.length;
    if (spec.missingValue !== undefined) return [attached ?? spec.missingValue];
    const values: string[] = attached === undefined ? [] : [attached];
    while (values.length < wanted) {
      const next = args[i];
      if (next === undefined || next === "--" || (!spec.hyphenValues && next.length > 1 && next.startsWith("-"))) {
        if (values.length === 0) {
          if (next !== undefined && next !== "--" && !isKnownOption(next)) return unknown(next);
          return clapError(`The argument '${displayName(spec)}' requires a value but none was supplied${possibleValues(spec)}`, undefined, argv0);
        }
        const n = values.length;
        return clapError(`The argument '${displayName(spec)}' requires ${wanted} values, but ${n} ${n === 1 ? "was" : "were"} provided`, GENERIC_USAGE, argv0);
      }
      values.push(next);
      i++;
    }
    return values;
  };

  let onlyCommands = false;
  while (i < args.length) {
    const word = args[i++]!;
    if (onlyCommands || word === "-" || !word.startsWith("-")) {
      commands.push(word);
      continue;
    }
    if (word === "--") {
      onlyCommands = true;
      continue;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const spec = BY_LONG.get(name);
      if (spec === undefined) return unknown(word);
      if (spec.id === "help") return { kind: "help" };
      if (spec.id === "version") return { kind: "version" };
      let values: string[] | Parsed = [];
      if (spec.values.length > 0) values = takeValues(spec, eq < 0 ? undefined : word.slice(eq + 1));
      else if (eq >= 0) {
        return clapError(`The value '${word.slice(eq + 1)}' was provided to '${displayName(spec)}' but it wasn't expecting any more values`, `${displayName(spec)} ${COMMAND_ARG}`, argv0);
      }
      if (!Array.isArray(values)) return values;
      const error = record(spec, values);
      if (error !== undefined) return error;
      continue;
    }
    // A cluster of short options: flags, then at most one option that takes the rest.
    for (let k = 1; k < word.length; k++) {
      const spec = BY_SHORT.get(word[k]!);
      if (spec === undefined) return unknown(`-${word[k]}`);
      if (spec.id === "help") return { kind: "help" };
      if (spec.id === "version") return { kind: "version" };
      if (spec.values.length === 0) {
        const error = record(spec, []);
        if (error !== undefined) return error;
        continue;
      }
      let rest = word.slice(k + 1);
      if (rest.startsWith("=")) rest = rest.slice(1);
      else if (spec.missingValue !== undefined && rest !== "") {
        // A value only after "=": `-iN` is -i, then -N.
        const error = record(spec, [spec.missingValue]);
        if (error !== undefined) return error;
        continue;
      }
      const values = takeValues(spec, rest === "" ? undefined : rest);
      if (!Array.isArray(values)) return values;
      const error = record(spec, values);
      if (error !== undefined) return error;
      break;
    }
  }

  // After parsing, as clap validates: conflicts (named in the order given), then requirements.
  for (const id of order) {
    const spec = BY_ID.get(id)!;
    for (const other of order) {
      const otherSpec = BY_ID.get(other)!;
      if (other !== id && (spec.conflicts?.includes(other) || otherSpec.conflicts?.includes(id))) {
        return clapError(`The argument '${displayName(spec)}' cannot be used with '${displayName(otherSpec)}'`, `${displayName(spec)} ${COMMAND_ARG}`, argv0);
      }
    }
  }
  for (const id of order) {
    const spec = BY_ID.get(id)!;
    for (const needed of spec.requires ?? []) {
      if (!options.has(needed)) {
        const neededSpec = BY_ID.get(needed)!;
        return clapError(
          `The following required arguments were not provided:\n  ${displayName(neededSpec)}`,
          `${displayName(neededSpec)} ${displayName(spec)} ${COMMAND_ARG}`,
          argv0,
        );
      }
    }
  }
  if (commands.length === 0) return clapError(`The following required arguments were not provided:\n  ${COMMAND_ARG}`, COMMAND_ARG, argv0);
  if (commands.includes("")) return clapError(`The argument '${COMMAND_ARG}' requires a value but none was supplied`, undefined, argv0);
  return { kind: "matches", options, commands };
}
