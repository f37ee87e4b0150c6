/**
 * Numbers read and written as hyperfine's Rust code does (`str::parse::<f64>`), and, so that
 * texts and exports match byte for byte: `{}` (Display: shortest round-trip digits, never an
 * exponent), `{:.N}` (exact
 * decimal value rounded half to even, as Rust's `core::fmt` float formatting does), and
 * serde_json's floats (ryu's `format64`: `0.0`, `1e-7`, `1.5e16`).
 * @module
 */

/** The shortest round-trip digits of a finite, non-zero |x| and its decimal exponent (x = d.ddd × 10^exp). */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e") as [string, string];
  return { digits: mantissa.replace(".", ""), exp: Number(exponent) };
}

/** `inf`, `-inf` and `NaN`, as Rust prints them; undefined for a finite number. */
function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return undefined;
}

const sign = (x: number) => (x < 0 || Object.is(x, -0) ? "-" : "");

/** Rust's `format!("{}", x)` for an f64: `1`, `0.5`, `0.0000001`, `1000000000000000000000`. */
export function rustDisplay(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  if (x === 0) return `${sign(x)}0`;
  const { digits, exp } = shortestDigits(x);
  const point = exp + 1; // digits before the decimal point
  let text: string;
  if (point <= 0) text = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + "0".repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign(x) + text;
}

/** serde_json's text for an f64 (ryu `format64`); `null` for NaN and infinities, as serde_json writes them. */
export function jsonNumber(x: number): string {
  if (!Number.isFinite(x)) return "null";
  if (x === 0) return `${sign(x)}0.0`;
  const { digits, exp } = shortestDigits(x);
  const length = digits.length;
  const kk = exp + 1; // 10^(kk-1) <= |x| < 10^kk
  const k = kk - length;
  let text: string;
  if (k >= 0 && kk <= 16) text = `${digits}${"0".repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) text = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) text = `0.${"0".repeat(-kk)}${digits}`;
  else if (length === 1) text = `${digits}e${kk - 1}`;
  else text = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign(x) + text;
}

/** The exact value of a finite double as numerator / 2^shift (shift >= 0). */
function exactBinary(x: number): { numerator: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075; // value = mantissa × 2^exponent
  return exponent >= 0 ? { numerator: mantissa << BigInt(exponent), shift: 0n } : { numerator: mantissa, shift: BigInt(-exponent) };
}

/** Rust's `format!("{:.N}", x)`: the exact binary value rounded to N decimals, ties to even. */
export function rustFixed(x: number, decimals: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const { numerator, shift } = exactBinary(x);
  const scaled = numerator * 10n ** BigInt(decimals);
  const denominator = 1n << shift;
  let q = scaled / denominator;
  const twice = (scaled % denominator) * 2n;
  if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(decimals + 1, "0");
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return sign(x) + text;
}

/** `format!("{:W.N}", x)`: {@link rustFixed} right-aligned in W characters. */
export function rustFixedWidth(x: number, width: number, decimals: number): string {
  return rustFixed(x, decimals).padStart(width);
}

/** Rust's `str::parse::<f64>`: decimal or exponent notation, `inf`, `infinity`, `nan`; undefined otherwise. */
export function parseRustFloat(text: string): number | undefined {
  if (/^[+-]?(inf|infinity|nan)$/i.test(text)) return Number(text.replace(/inf(inity)?$/i, "Infinity").replace(/nan$/i, "NaN"));
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
