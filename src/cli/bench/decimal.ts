/**
 * The part of the `rust_decimal` crate that hyperfine's `--parameter-scan` uses for bounds and
 * steps that are not integers: exact decimals that keep their scale (`0.30` stays `0.30`, and
 * a sum has the larger scale of its terms), parsed with rust_decimal's error texts.
 * @module
 */

/** An exact decimal: `mantissa × 10^-scale`. */
export interface Decimal {
  readonly mantissa: bigint;
  readonly scale: number;
}

/**
 * Parses a decimal as `Decimal::from_str` does: an optional sign, digits with at most one
 * `.`, `_` between digits.
 *
 * @returns the decimal, or rust_decimal's message ("Invalid decimal: unknown character").
 */
export function parseDecimal(text: string): Decimal | string {
  if (text === "") return "Invalid decimal: empty";
  let i = 0;
  let negative = false;
  if (text[0] === "-" || text[0] === "+") {
    negative = text[0] === "-";
    i = 1;
  }
  let digits = "";
  let scale = 0;
  let point = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c >= "0" && c <= "9") {
      digits += c;
      if (point) scale++;
    } else if (c === ".") {
      if (point) return "Invalid decimal: two decimal points";
      point = true;
    } else if (c === "_") {
      if (digits === "") return "Invalid decimal: must start lead with a number";
    } else return "Invalid decimal: unknown character";
  }
  if (digits === "") return "Invalid decimal: no digits found";
  const mantissa = BigInt(digits);
  return { mantissa: negative ? -mantissa : mantissa, scale };
}

/** Both mantissas at the larger scale. */
function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.mantissa * 10n ** BigInt(scale - a.scale), b.mantissa * 10n ** BigInt(scale - b.scale), scale];
}

/** a + b, at the larger of their scales. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { mantissa: x + y, scale };
}

/** a - b, at the larger of their scales. */
export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { mantissa: x - y, scale };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b (by value, not scale). */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a / b truncated towards zero, as a BigInt (b not zero). */
export function divideTruncated(a: Decimal, b: Decimal): bigint {
  const [x, y] = aligned(a, b);
  return x / y;
}

/** The decimal from an integer (scale 0). */
export function decimalOf(n: number): Decimal {
  return { mantissa: BigInt(n), scale: 0 };
}

/** Display, as rust_decimal writes it: every digit of its scale (`0.30`). */
export function formatDecimal(d: Decimal): string {
  const negative = d.mantissa < 0n;
  const digits = (negative ? -d.mantissa : d.mantissa).toString().padStart(d.scale + 1, "0");
  const text = d.scale === 0 ? digits : `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
  return negative ? `-${text}` : text;
}
