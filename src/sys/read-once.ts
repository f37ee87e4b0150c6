/**
 * Reading a user's objects exactly once. Every function that takes an object or a list takes
 * a snapshot first with these readers, validates the snapshot, and hands C only the snapshot:
 * nothing the user controls (a getter, a Proxy trap, an own `forEach` or `Symbol.iterator`)
 * runs twice or after validation (docs/DESIGN.md §2.1; the README, "Spawning", says how each
 * kind of value is read). A list is read with a plain `[[Get]]` per index, so a Proxy of an
 * array counts as an array, and a hole reads as `undefined`, which no element may be.
 */
import { InvalidArgTypeError, OutOfRangeError } from "../errors/arguments.ts";

/**
 * Reads `value`'s `length` once and each index once. `max` bounds the length before any index
 * is read; a longer list throws `tooLong()` if given, else a RangeError.
 */
export function readList(value: unknown, name: string, max: number, expected = "an array", tooLong?: () => Error): unknown[] {
  if (!Array.isArray(value)) throw new InvalidArgTypeError(name, expected, value);
  const length: unknown = (value as unknown[]).length;
  if (typeof length === "number" && length > max && tooLong !== undefined) throw tooLong();
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > max) {
    throw new OutOfRangeError(`${name}.length`, `an integer >= 0 && <= ${max}`, length);
  }
  const out = new Array<unknown>(length);
  for (let i = 0; i < length; i++) out[i] = (value as unknown[])[i];
  return out;
}

/** True for an object whose prototype is `Object.prototype` or `null` (read once). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads a plain object's own enumerable string keys once, then each value once, in key order. */
export function readMapping(value: unknown, name: string, expected: string): [key: string, value: unknown][] {
  if (!isPlainObject(value)) throw new InvalidArgTypeError(name, expected, value);
  return readEntries(value);
}

/**
 * `readMapping` for an object `isPlainObject` has already accepted: its prototype is not read
 * again (a Proxy could answer differently the second time).
 */
export function readEntries(value: Record<string, unknown>): [key: string, value: unknown][] {
  const keys = Object.keys(value);
  const out = new Array<[string, unknown]>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    out[i] = [key, value[key]];
  }
  return out;
}

/** Reads a list of numbers: an Array by index, any other iterable object by one pass of its iterator. */
export function readNumberSet(value: unknown, name: string, max: number): unknown[] {
  if (Array.isArray(value)) return readList(value, name, max);
  if (value === null || typeof value !== "object") {
    throw new InvalidArgTypeError(name, "an iterable of signal numbers", value);
  }
  const iterate: unknown = (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iterate !== "function") throw new InvalidArgTypeError(name, "an iterable of signal numbers", value);
  const out: unknown[] = [];
  for (const item of { [Symbol.iterator]: () => iterate.call(value) as Iterator<unknown> }) {
    if (out.length === max) throw new OutOfRangeError(`${name} (number of elements)`, `<= ${max}`, `more than ${max}`);
    out.push(item);
  }
  return out;
}
