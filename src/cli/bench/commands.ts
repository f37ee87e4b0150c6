/**
 * The list of benchmarks hyperfine builds from its command line (`src/command.rs`,
 * `src/parameter/`): the commands, their `-n` names, and one benchmark per value of
 * `--parameter-scan` or per combination of `--parameter-list` values, with `{NAME}` replaced.
 * @module
 */
import { INT32_MAX, INT32_MIN } from "../../errors/arguments.ts";
import { addDecimal, compareDecimal, decimalOf, divideTruncated, formatDecimal, parseDecimal, subtractDecimal, type Decimal } from "./decimal.ts";
import { BenchError } from "./errors.ts";

/** One parameter and its value as text (`ParameterValue`'s Display). */
export type Parameter = readonly [name: string, value: string];

/** One benchmark: a command line with its parameters, and its name. */
export class Command {
  constructor(
    /** The `-n` name before substitution, if any. */
    readonly name: string | undefined,
    /** The command line before substitution. */
    readonly expression: string,
    readonly parameters: readonly Parameter[] = [],
  ) {}

  /** `{NAME}` replaced by each parameter's value, left to right, never inside a replacement. */
  private substitute(text: string): string {
    // hyperfine keeps them in a BTreeMap: at each position the first matching key in sorted order wins.
    const keys = [...this.parameters].map(([n, v]) => [`{${n}}`, v] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let out = "";
    let i = 0;
    outer: while (i < text.length) {
      for (const [key, value] of keys) {
        if (text.startsWith(key, i)) {
          out += value;
          i += key.length;
          continue outer;
        }
      }
      const c = String.fromCodePoint(text.codePointAt(i)!);
      out += c;
      i += c.length;
    }
    return out;
  }

  /** The command line to run. */
  commandLine(): string {
    return this.substitute(this.expression);
  }

  /** Its name: the `-n` name (substituted) or the command line. */
  displayName(): string {
    return this.name === undefined ? this.commandLine() : this.substitute(this.name);
  }

  /** The name with the parameters its command line does not use: `echo test (branch = master)`. */
  nameWithUnusedParameters(): string {
    const unused = this.parameters.filter(([n]) => !this.expression.includes(`{${n}}`)).map(([n, v]) => `${n} = ${v}`);
    return unused.length === 0 ? this.displayName() : `${this.displayName()} (${unused.join(", ")})`;
  }
}

/** hyperfine's `tokenize`: comma-separated values, `\,` and `\\` escaped, other backslashes kept. */
function tokenize(values: string): string[] {
  const tokens: string[] = [];
  let buffer = "";
  const chars = [...values];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\") {
      const next = chars[++i];
      if (next === "," || next === "\\") buffer += next;
      else buffer += next === undefined ? "\\" : `\\${next}`;
    } else if (c === ",") {
      tokens.push(buffer);
      buffer = "";
    } else buffer += c;
  }
  tokens.push(buffer);
  return tokens;
}

const nameCountError = (names: number, benchmarks: number) =>
  new BenchError(`'--command-name' has been specified ${names} times. It has to appear exactly once, or exactly ${benchmarks} times (number of benchmarks)`);

/** Rust's `str::parse::<i32>`: the value, or undefined. */
function parseI32(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= INT32_MIN && n <= INT32_MAX ? n : undefined;
}

/** The most values a parameter scan may have. */
const MAX_PARAMETERS = 100_000;

/** The values of a scan from `min` to `max` by `step` (hyperfine's RangeStep), as text. */
function rangeValues(min: Decimal, max: Decimal, step: Decimal): string[] {
  if (compareDecimal(max, min) < 0) throw new BenchError("Empty parameter range");
  if (step.mantissa === 0n) throw new BenchError("Zero is not a valid parameter step");
  const size = divideTruncated(addDecimal(subtractDecimal(max, min), decimalOf(1)), step);
  if (size < 0n || size > BigInt(MAX_PARAMETERS)) throw new BenchError("Parameter range is too large");
  const values: string[] = [];
  for (let v = min; compareDecimal(v, max) <= 0; v = addDecimal(v, step)) values.push(formatDecimal(v));
  return values;
}

function scanCommands(names: readonly string[], expressions: readonly string[], scan: readonly string[], stepText: string | undefined): Command[] {
  const [parameter, minText, maxText] = scan as [string, string, string];
  let values: string[];
  const [min, max, step] = [parseI32(minText), parseI32(maxText), parseI32(stepText ?? "1")];
  if (min !== undefined && max !== undefined && step !== undefined) {
    values = rangeValues(decimalOf(min), decimalOf(max), decimalOf(step));
  } else {
    const parse = (text: string): Decimal => {
      const d = parseDecimal(text);
      if (typeof d === "string") throw new BenchError(`Error while parsing parameter scan arguments (${d})`);
      return d;
    };
    const dMin = parse(minText);
    const dMax = parse(maxText);
    if (stepText === undefined) {
      throw new BenchError(
        "A step size is required when the range bounds are floating point numbers. The step size can be specified with the '-D/--parameter-step-size <DELTA>' parameter",
      );
    }
    values = rangeValues(dMin, dMax, parse(stepText));
  }
  const commands: Command[] = [];
  for (const value of values) {
    for (const expression of expressions) commands.push(new Command(names[commands.length] ?? names[0], expression, [[parameter, value]]));
  }
  if (names.length > 1 && names.length !== commands.length) throw nameCountError(names.length, commands.length);
  return commands;
}

function listCommands(names: readonly string[], expressions: readonly string[], lists: readonly string[][]): Command[] {
  const parameters = lists.map(([name, values]) => [name!, tokenize(values!)] as const);
  const counts = new Map<string, number>();
  for (const [name] of parameters) counts.set(name, (counts.get(name) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([name]) => name).sort();
  if (duplicates.length > 0) throw new BenchError(`Duplicate parameter names: ${duplicates.join(", ")}`);
  const dimensions = [expressions.length, ...parameters.map(([, values]) => values.length)];
  const size = dimensions.reduce((a, b) => a * b, 1);
  if (names.length > 1 && names.length !== size) throw nameCountError(names.length, size);
  const commands: Command[] = [];
  const index = dimensions.map(() => 0);
  // The command varies fastest, then the first parameter, and so on.
  for (let n = 0; n < size; n++) {
    const chosen = parameters.map(([name, values], p) => [name, values[index[p + 1]!]!] as const);
    commands.push(new Command(names[n] ?? names[0], expressions[index[0]!]!, chosen));
    for (let d = 0; d < dimensions.length; d++) {
      if (++index[d]! < dimensions[d]!) break;
      index[d] = 0;
    }
  }
  return commands;
}

/** What the command line says about the benchmarks. */
export interface CommandArgs {
  expressions: readonly string[];
  names: readonly string[];
  scan?: readonly string[];
  step?: string;
  lists: readonly string[][];
}

/** The benchmarks to run, in hyperfine's order (the reference, if any, is added by the caller). */
export function buildCommands(args: CommandArgs): Command[] {
  if (args.scan !== undefined) return scanCommands(args.names, args.expressions, args.scan, args.step);
  if (args.lists.length > 0) return listCommands(args.names, args.expressions, args.lists);
  if (args.names.length > args.expressions.length) throw new BenchError(`Too many --command-name options: Expected ${args.expressions.length} at most`);
  return args.expressions.map((e, i) => new Command(args.names[i], e));
}
