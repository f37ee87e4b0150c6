/** Argument errors and checks, with the classes and codes Node's own argument checks use. */

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
