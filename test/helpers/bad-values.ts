/**
 * Values that must never reach C as a number, shared by the argument tests of test/sys/ and the
 * subprocess fixture that tries them on the wait functions, and what a rejection is compared
 * by. What each must throw follows the project's rule (docs/DESIGN.md §2): anything that is not
 * a JS number is a TypeError ERR_INVALID_ARG_TYPE; a number that is not an integer, or does not
 * fit a C int, is a RangeError ERR_OUT_OF_RANGE.
 */

export type ErrorClass = "TypeError" | "RangeError";

export interface BadNumber {
  /** Stable, unique description (used as a key between processes). */
  label: string;
  value: unknown;
  error: ErrorClass;
  code: "ERR_INVALID_ARG_TYPE" | "ERR_OUT_OF_RANGE";
  /** True for `undefined`: only bad where the argument is required. */
  missing?: boolean;
}

const type = (label: string, value: unknown, { missing = false }: { missing?: boolean } = {}): BadNumber => ({
  label,
  value,
  error: "TypeError",
  code: "ERR_INVALID_ARG_TYPE",
  ...(missing ? { missing } : {}),
});
/** A number that is no C int (or is below an argument's minimum): RangeError ERR_OUT_OF_RANGE. */
export const range = (label: string, value: unknown): BadNumber => ({ label, value, error: "RangeError", code: "ERR_OUT_OF_RANGE" });

/** Bad for every C `int` argument. */
export const BAD_INTS: readonly BadNumber[] = [
  type("string '1'", "1"),
  type("empty string", ""),
  type("string '0x10'", "0x10"),
  type("bigint 1n", 1n),
  type("bigint -1n", -1n),
  type("bigint 0n", 0n),
  type("null", null),
  type("undefined", undefined, { missing: true }),
  type("true", true),
  type("false", false),
  type("plain object", {}),
  type("empty array", []),
  type("array [1]", [1]),
  type("Number object", new Number(1)),
  type("Date", new Date(0)),
  type("symbol", Symbol("pid")),
  type("function", () => 1),
  range("1.5", 1.5),
  range("-0.5", -0.5),
  range("1e-300", 1e-300),
  range("NaN", Number.NaN),
  range("Infinity", Number.POSITIVE_INFINITY),
  range("-Infinity", Number.NEGATIVE_INFINITY),
  range("2**31", 2 ** 31),
  range("-(2**31)-1", -(2 ** 31) - 1),
  range("2**32", 2 ** 32),
  range("2**53", 2 ** 53),
  range("-(2**53)", -(2 ** 53)),
  range("Number.MAX_VALUE", Number.MAX_VALUE),
];

/** Integers that fit a C int but are below an argument's allowed minimum of 0. */
export const BAD_NON_NEGATIVE: readonly BadNumber[] = [range("-1", -1), range("-(2**31)", -(2 ** 31))];

/**
 * The bad values of one C `int` argument: every one of BAD_INTS (but `undefined` where
 * `optional`, which means "use the default"), then `extra`.
 */
export function badFor({ optional = false, extra = [] }: { optional?: boolean; extra?: readonly BadNumber[] } = {}): BadNumber[] {
  return [...BAD_INTS.filter((b) => !(optional && b.missing)), ...extra];
}

/** What a call did, in a form that crosses a process boundary as JSON. */
export type Outcome =
  | { threw: true; name: string; isTypeError: boolean; isRangeError: boolean; code: unknown; message: string }
  | { threw: false; returned: string };

export function outcomeOf(call: () => unknown): Outcome {
  try {
    const returned = call();
    let shown: string;
    try {
      shown = JSON.stringify(returned) ?? String(returned);
    } catch {
      shown = String(returned);
    }
    return { threw: false, returned: shown };
  } catch (error) {
    const e = error as { name?: unknown; code?: unknown; message?: unknown };
    return {
      threw: true,
      name: String(e?.name),
      isTypeError: error instanceof TypeError,
      isRangeError: error instanceof RangeError,
      code: e?.code,
      message: String(e?.message),
    };
  }
}

/** A regular expression for argument `name` quoted as Node quotes it ("pid" or 'pid'). */
export function argumentName(name: string): RegExp {
  return new RegExp(`["']${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']`);
}

/** What an argument error is compared by (see `rejectionOf`). */
export interface Rejection {
  threw: boolean;
  name?: string;
  code?: unknown;
  isTypeError?: boolean;
  isRangeError?: boolean;
  /** Whether the message names what it should (the argument). */
  mentions?: boolean;
}

/** `outcome` as a rejection is compared: its class by name and by instanceof, its code, and whether its message mentions `mention`. */
export function rejectionOf(outcome: Outcome, mention: RegExp | string): Rejection {
  if (!outcome.threw) return { threw: false };
  const { name, code, isTypeError, isRangeError, message } = outcome;
  return { threw: true, name, code, isTypeError, isRangeError, mentions: typeof mention === "string" ? message.includes(mention) : mention.test(message) };
}

/** The rejection an argument error of class `error` and `code` gives, its message naming the argument. */
export function rejected(error: ErrorClass, code: string): Rejection {
  return { threw: true, name: error, code, isTypeError: error === "TypeError", isRangeError: error === "RangeError", mentions: true };
}

/** An object that counts every attempt to turn it into a primitive. */
export function coercionSpy(): { value: object; calls: () => number } {
  let calls = 0;
  const value = {
    valueOf() {
      calls++;
      return 1;
    },
    toString() {
      calls++;
      return "1";
    },
    [Symbol.toPrimitive]() {
      calls++;
      return 1;
    },
  };
  return { value, calls: () => calls };
}

/** One bad-value case of an argument: `run()` makes the call and gives what to compare. */
export interface ArgumentCase {
  label: string;
  /** `actual` must equal `expected`; `shown` is the outcome in full, for a failure's message. */
  run(): { actual: Rejection & { conversions?: number }; expected: Rejection & { conversions?: number }; shown: string };
}

/**
 * The cases of C `int` argument `arg` of `call`: each of `badFor({ optional, extra })` rejected
 * with its class and code, the message naming `arg`; and an object with side-effecting
 * conversions rejected without being converted.
 */
export function intArgumentCases(
  call: (value: never) => unknown,
  arg: string,
  { optional = false, extra = [] }: { optional?: boolean; extra?: readonly BadNumber[] } = {},
): ArgumentCase[] {
  const mention = argumentName(arg);
  const cases: ArgumentCase[] = badFor({ optional, extra }).map((bad) => ({
    label: `${bad.label} -> ${bad.error} ${bad.code}`,
    run() {
      const outcome = outcomeOf(() => call(bad.value as never));
      return { actual: rejectionOf(outcome, mention), expected: rejected(bad.error, bad.code), shown: JSON.stringify(outcome) };
    },
  }));
  cases.push({
    label: "an object with side-effecting conversions is rejected unconverted",
    run() {
      const spy = coercionSpy();
      const outcome = outcomeOf(() => call(spy.value as never));
      return {
        actual: { ...rejectionOf(outcome, mention), conversions: spy.calls() },
        expected: { ...rejected("TypeError", "ERR_INVALID_ARG_TYPE"), conversions: 0 },
        shown: JSON.stringify(outcome),
      };
    },
  });
  return cases;
}
