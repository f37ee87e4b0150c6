/** System errors and argument checks, shaped like Node's and Bun's own. */
import { constants } from "node:os";

let errnoNames: Map<number, string> | undefined;

/** `ECHILD` for 10 on Linux: the running platform's name for an errno value. */
export function errnoName(errnum: number): string {
  if (errnoNames === undefined) {
    errnoNames = new Map();
    for (const [name, value] of Object.entries(constants.errno)) {
      if (!errnoNames.has(value)) errnoNames.set(value, name);
    }
  }
  return errnoNames.get(errnum) ?? `E${errnum}`;
}

/**
 * A failed system call, with the fields Bun's and Node's own system errors carry:
 * `code` ("ECHILD"), `errno` (negative, as in Node: -10 for ECHILD on Linux), `syscall`
 * ("wait4"), and `path` where a file name was involved.
 */
export class SystemError extends Error {
  // `declare`: each is assigned once in the constructor. A plain field compiles (ESNext,
  // useDefineForClassFields) to a define-as-undefined first: ~130 ns of a caught ECHILD.
  /** The errno name, e.g. `"ECHILD"`. */
  declare readonly code: string;
  /** The negated errno value, as Node and Bun report it (`-os.constants.errno[code]`). */
  declare readonly errno: number;
  /** The C function that failed, e.g. `"wait4"`. */
  declare readonly syscall: string;
  /** The file the call was about, where there was one (absent otherwise, as in Node). */
  declare readonly path?: string;

  constructor(errnum: number, syscall: string, description: string, path?: string) {
    const code = errnoName(errnum);
    super(`${code}: ${description}, ${syscall}${path === undefined ? "" : ` '${path}'`}`);
    this.name = "SystemError";
    this.code = code;
    this.errno = -errnum;
    this.syscall = syscall;
    if (path !== undefined) Object.defineProperty(this, "path", { value: path, enumerable: true });
  }
}

function describe(value: unknown): string {
  if (value === null) return "Received null";
  if (value === undefined) return "Received undefined";
  if (typeof value === "function") return `Received function ${value.name || "<anonymous>"}`;
  if (typeof value === "object") {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name ? `Received an instance of ${name}` : "Received an object";
  }
  let shown = typeof value === "bigint" ? `${value}n` : String(value);
  if (typeof value === "string") shown = `'${shown.length > 25 ? `${shown.slice(0, 25)}...` : shown}'`;
  return `Received type ${typeof value} (${shown})`;
}

/** An argument of the wrong type: `TypeError` with `code: "ERR_INVALID_ARG_TYPE"`. */
export class InvalidArgTypeError extends TypeError {
  readonly code = "ERR_INVALID_ARG_TYPE";
  constructor(name: string, expected: string, value: unknown) {
    super(`The "${name}" argument must be ${expected}. ${describe(value)}`);
    this.name = "TypeError";
  }
}

/** A number outside what C accepts: `RangeError` with `code: "ERR_OUT_OF_RANGE"`. */
export class OutOfRangeError extends RangeError {
  readonly code = "ERR_OUT_OF_RANGE";
  constructor(name: string, range: string, value: unknown) {
    super(`The value of "${name}" is out of range. It must be ${range}. Received ${String(value)}`);
    this.name = "RangeError";
  }
}

/** A value of the right type that C would reject: `TypeError`/`ERR_INVALID_ARG_VALUE`. */
export class InvalidArgValueError extends TypeError {
  readonly code = "ERR_INVALID_ARG_VALUE";
  constructor(name: string, reason: string, value: unknown) {
    let shown: string;
    try {
      shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value) ?? String(value);
    } catch {
      shown = String(value);
    }
    super(`The argument '${name}' ${reason}. Received ${shown}`);
    this.name = "TypeError";
  }
}

export const INT32_MIN = -0x80000000;
export const INT32_MAX = 0x7fffffff;

/** Throws unless `value` is an integer number within [min, max]. */
export function checkInteger(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== "number") throw new InvalidArgTypeError(name, "of type number", value);
  if (!Number.isInteger(value)) throw new OutOfRangeError(name, "an integer", value);
  if (value < min || value > max) throw new OutOfRangeError(name, `>= ${min} && <= ${max}`, value);
}

/** Throws unless `value` is a number that fits a C `int` exactly. Cheap when it does. */
export function checkInt32(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || (value | 0) !== value) checkInteger(value, name, INT32_MIN, INT32_MAX);
}

/**
 * A wait status that means no ending (CPython raises ValueError here):
 * `RangeError` with `code: "ERR_INVALID_ARG_VALUE"`.
 */
export class InvalidStatusError extends RangeError {
  readonly code = "ERR_INVALID_ARG_VALUE";
  constructor(message: string) {
    super(message);
    this.name = "RangeError";
  }
}
