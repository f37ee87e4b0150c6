/**
 * Argument errors and checks, with the classes and codes Node's own argument checks use.
 * Describing a bad value runs none of the caller's code: no getter, no Proxy trap, no
 * `toString`/`toJSON` (a hostile value must not get a second read through the error message).
 */

/** util.types.isProxy, loaded on the first bad argument (a builtin: it reads no file; docs/DESIGN.md §3.1). */
function isProxy(value: unknown): boolean {
  return (require("node:util/types") as typeof import("node:util/types")).isProxy(value);
}

/** The name of an object's class, found without running any of its code ("" if unknown). */
function className(value: object): string {
  if (isProxy(value)) return "";
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || typeof proto !== "object" || isProxy(proto)) return "";
  const ctor: unknown = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
  if (typeof ctor !== "function" || isProxy(ctor)) return "";
  const name: unknown = Object.getOwnPropertyDescriptor(ctor, "name")?.value;
  return typeof name === "string" ? name : "";
}

/** A primitive as a message shows it: strings quoted and cut at 25 characters, bigints with n. */
function showPrimitive(value: string | number | bigint | boolean | symbol): string {
  if (typeof value === "string") return `'${value.length > 25 ? `${value.slice(0, 25)}...` : value}'`;
  return typeof value === "bigint" ? `${value}n` : String(value);
}

function describe(value: unknown): string {
  if (value === null) return "Received null";
  if (value === undefined) return "Received undefined";
  if (typeof value === "function") {
    const name: unknown = isProxy(value) ? "" : Object.getOwnPropertyDescriptor(value, "name")?.value;
    return `Received function ${typeof name === "string" && name !== "" ? name : "<anonymous>"}`;
  }
  if (typeof value === "object") {
    if (isProxy(value)) return "Received a Proxy";
    const name = className(value);
    return name ? `Received an instance of ${name}` : "Received an object";
  }
  return `Received type ${typeof value} (${showPrimitive(value as string | number | bigint | boolean | symbol)})`;
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
    const shown = value !== null && (typeof value === "object" || typeof value === "function") ? describe(value).replace(/^Received /, "") : String(value);
    super(`The value of "${name}" is out of range. It must be ${range}. Received ${shown}`);
    this.name = "RangeError";
  }
}

/** A value of the right type that C would reject: `TypeError`/`ERR_INVALID_ARG_VALUE`. */
export class InvalidArgValueError extends TypeError {
  readonly code = "ERR_INVALID_ARG_VALUE";
  constructor(name: string, reason: string, value: unknown) {
    const shown =
      value === null || value === undefined
        ? String(value)
        : typeof value === "object" || typeof value === "function"
          ? describe(value).replace(/^Received /, "")
          : showPrimitive(value as string | number | bigint | boolean | symbol);
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

/** The smallest C `int`. */
export const INT32_MIN = -0x80000000;
/** The largest C `int`. */
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
 * Throws unless `value` is a string C can take: a primitive string without NUL and without
 * lone surrogates (they have no UTF-8 form; TextEncoder would silently replace them).
 */
export function checkCString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") throw new InvalidArgTypeError(name, "of type string", value);
  if (value.includes("\0")) throw new InvalidArgValueError(name, "must not contain null bytes", value);
  if (!value.isWellFormed()) throw new InvalidArgValueError(name, "must not contain lone surrogates (they have no UTF-8 form)", value);
}

/** A signal that does not exist: `TypeError` with `code: "ERR_UNKNOWN_SIGNAL"` (Node's and Bun's). */
export class UnknownSignalError extends TypeError {
  readonly code = "ERR_UNKNOWN_SIGNAL";
  constructor(signal: string) {
    super(`Unknown signal: ${signal}`);
    this.name = "TypeError";
  }
}

/**
 * A spawn argument Bun.spawn refuses, refused the same way: `TypeError` with
 * `code: "ERR_INVALID_ARG_TYPE"` and a message of its own.
 */
export class SpawnArgTypeError extends TypeError {
  readonly code = "ERR_INVALID_ARG_TYPE";
  constructor(message: string) {
    super(message);
    this.name = "TypeError";
  }
}
