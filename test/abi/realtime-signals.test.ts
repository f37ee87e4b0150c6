/**
 * The real-time signal range of each Linux table against the C library's own SIGRTMIN and
 * SIGRTMAX (function calls in glibc and musl, so they are printed by a compiled program, not
 * static-asserted), signal names against bash's `kill -l`, and descriptions against glibc's
 * strsignal.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linuxAbi } from "../../src/abi/linux.ts";
import { realtimeSignalName, signalDescriptionWith, signalNameWith } from "../../src/abi/names.ts";
import { signalDescription, signalName } from "../../src/index.ts";
import { libc } from "../../src/ffi/load.ts";
import { compileC } from "../helpers/compile.ts";

const source = join(tmpdir(), "bun-wait4-rtsig.c");
writeFileSync(
  source,
  [
    "#define _GNU_SOURCE 1",
    "#include <signal.h>",
    "#include <stdio.h>",
    "#include <string.h>",
    "int main(void) {",
    '  printf("%d %d\\n", SIGRTMIN, SIGRTMAX);',
    '  for (int s = 1; s <= 64; s++) printf("%d\\t%s\\n", s, strsignal(s));',
    "  return 0;",
    "}",
  ].join("\n"),
);

function run(compiler: "gcc" | "musl-gcc"): { min: number; max: number; descriptions: Map<number, string> } {
  const exe = compileC({ sources: [source], compiler });
  const out = Bun.spawnSync([exe], { stdout: "pipe" }).stdout.toString().trim().split("\n");
  const [min, max] = out[0]!.split(" ").map(Number) as [number, number];
  const descriptions = new Map(out.slice(1).map((line) => line.split("\t") as [string, string]).map(([n, d]) => [Number(n), d]));
  return { min, max, descriptions };
}

describe("SIGRTMIN and SIGRTMAX", () => {
  test("glibc's, as a compiled program reports them, are the glibc table's", () => {
    const { min, max } = run("gcc");
    expect({ min, max }).toEqual(linuxAbi("x64", "glibc").realtimeSignals!);
  });

  test("musl's, as a compiled program reports them, are the musl table's", () => {
    const { min, max } = run("musl-gcc");
    expect({ min, max }).toEqual(linuxAbi("x64", "musl").realtimeSignals!);
  });
});

describe("real-time signal names", () => {
  test("match bash's kill -l for every real-time signal (glibc's range)", () => {
    const listed = Bun.spawnSync(["bash", "-c", "kill -l"], { stdout: "pipe" }).stdout.toString();
    const bash = new Map([...listed.matchAll(/(\d+)\) (SIG\S+)/g)].map((m) => [Number(m[1]), m[2]!]));
    const range = linuxAbi("x64", "glibc").realtimeSignals!;
    for (let s = range.min; s <= range.max; s++) expect(realtimeSignalName(s, range), String(s)).toBe(bash.get(s)!);
    expect(bash.get(35)).toBe("SIGRTMIN+1"); // so the comparison above is not empty
  });

  test("the running platform names SIGRTMIN+3 and standard signals, and nothing outside", () => {
    const range = libc.abi.realtimeSignals!;
    expect(signalName(range.min + 3)).toBe("SIGRTMIN+3");
    expect(signalName(range.max)).toBe("SIGRTMAX");
    expect(signalName(9)).toBe("SIGKILL");
    expect(signalName(32)).toBeUndefined(); // reserved by the C library
    expect(signalNameWith(range.max + 1, range)).toBeUndefined();
  });
});

describe("signal descriptions", () => {
  test("are glibc's strsignal words for every standard signal glibc names", () => {
    const { descriptions, min } = run("gcc");
    for (let s = 1; s <= 31; s++) {
      const name = signalName(s);
      if (name === undefined) continue;
      expect(signalDescriptionWith(s, { min, max: 64 }), `${s} ${name}`).toBe(descriptions.get(s)!);
    }
  });

  test("real-time signals are 'Real-time signal N' counted from SIGRTMIN, as glibc prints them", () => {
    const { descriptions } = run("gcc");
    const range = linuxAbi("x64", "glibc").realtimeSignals!;
    for (let s = range.min; s <= range.max; s++) expect(signalDescriptionWith(s, range)).toBe(descriptions.get(s)!);
    expect(signalDescription(9)).toBe("Killed");
  });
});
