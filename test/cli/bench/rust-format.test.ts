/**
 * Numbers as hyperfine's Rust writes them (src/cli/bench/rust-format.ts), against
 * independent writers: CPython's `'%.Nf'` (like Rust's `{:.N}`, the exact binary value rounded
 * half to even) and CPython's shortest repr digits laid out as Rust's Display does, over
 * seeded random doubles and hand-picked ties; and ryu's documented layouts for serde_json.
 */
import { describe, expect, test } from "bun:test";
import { jsonNumber, rustDisplay, rustFixed } from "../../../src/cli/bench/rust-format.ts";
import { xorshift32 } from "../../helpers/random.ts";

/** Seeded doubles of every magnitude hyperfine prints (1e-9 … 1e6 s) and some ties. */
function samples(): number[] {
  const next = xorshift32(0x5eed);
  const out = [0.25, 0.35, 2.5, 0.125, 1.0005, 0.0005, 1e-7, 123.456, 1e21, 0.1 + 0.2, 5e-324];
  for (let i = 0; i < 600; i++) out.push((next() / 2 ** 32) * 10 ** ((next() % 16) - 9));
  for (let i = 0; i < 100; i++) out.push((next() % 100000) / 2 ** (next() % 12)); // exact binary fractions: ties
  return out;
}

/** What CPython writes for each value: `'%.3f'`, `'%.2f'`, `'%.1f'`, `'%.0f'` and the plain shortest digits. */
function python(values: readonly number[]): string[][] {
  const program =
    "import sys, decimal\n" +
    "for line in sys.stdin:\n" +
    "    x = float(line)\n" +
    "    plain = format(decimal.Decimal(repr(x)), 'f')\n" +
    "    plain = plain[:-2] if plain.endswith('.0') else plain\n" +
    "    print('\\t'.join(['%.3f' % x, '%.2f' % x, '%.1f' % x, '%.0f' % x, plain]))\n";
  const r = Bun.spawnSync(["python3", "-c", program], { stdin: Buffer.from(values.map((v) => `${v}\n`).join("")), stdout: "pipe" });
  return r.stdout.toString().trim().split("\n").map((l) => l.split("\t"));
}

describe("rustFixed and rustDisplay against CPython", () => {
  test("fixed decimals (exact value, ties to even) and shortest digits without an exponent", () => {
    const values = samples();
    const want = python(values);
    const got = values.map((x) => [rustFixed(x, 3), rustFixed(x, 2), rustFixed(x, 1), rustFixed(x, 0), rustDisplay(x)]);
    expect(got).toEqual(want);
    expect([rustFixed(0.25, 1), rustFixed(0.125, 2), rustFixed(2.5, 0)]).toEqual(["0.2", "0.12", "2"]); // ties went to even
  });

  test("what Rust writes for the non-finite", () => {
    expect([rustFixed(Infinity, 2), rustFixed(-Infinity, 2), rustFixed(NaN, 2), rustDisplay(NaN)]).toEqual(["inf", "-inf", "NaN", "NaN"]);
  });
});

describe("jsonNumber: ryu's layouts (serde_json)", () => {
  test("decimal from 1e-5 up to 1e16, exponent beyond, always a point or an exponent", () => {
    const cases: [number, string][] = [
      [0, "0.0"], [1, "1.0"], [0.5, "0.5"], [1.2, "1.2"], [123456.0, "123456.0"], [1e-5, "0.00001"], [1.5e-5, "0.000015"],
      [1e-6, "1e-6"], [1.5e-7, "1.5e-7"], [1e15, "1000000000000000.0"], [1e16, "1e16"], [1.5e16, "1.5e16"],
      [123456789012345680, "1.2345678901234568e17"], [2.340555645717801e-16, "2.340555645717801e-16"], [-0.25, "-0.25"],
    ];
    expect(cases.map(([x]) => jsonNumber(x))).toEqual(cases.map(([, s]) => s));
    // Every layout reads back as the same double.
    for (const x of samples()) expect(Number(jsonNumber(x))).toBe(x);
  });
});
