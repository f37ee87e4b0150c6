/**
 * hyperfine's execution-order tests (tests/execution_order_tests.rs, 1.20), restated against
 * bun-wait4-bench: every command appends a word to a log file through the shell, and the log
 * must list setup, prepare, the runs, conclude and cleanup in hyperfine's order. The
 * invocations run a few at a time before the tests compare the logs.
 *
 * Under qemu-user (CI's arm64 suite), where each of our processes costs seconds, only the case
 * that combines everything runs; the others are not registered there.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { underEmulation } from "../../helpers/emulation.ts";
import { oursAsync, type Ran } from "../../helpers/hyperfine.ts";
import { pooled } from "../../helpers/pool.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-order-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One case: the arguments (with `log(word)` for a command that logs a word) and the expected log. */
interface OrderCase {
  args: (log: (word: string) => string) => string[];
  expected: string[];
}

const rep = (n: number, ...words: string[]) => Array.from({ length: n }, () => words).flat();

const CASES: Record<string, OrderCase> = {
  "benchmarks run one after the other (one run each)": {
    args: (log) => ["--runs=1", log("command 1"), log("command 2")],
    expected: ["command 1", "command 2"],
  },
  "benchmarks run one after the other (two runs each)": {
    args: (log) => ["--runs=2", log("command 1"), log("command 2")],
    expected: [...rep(2, "command 1"), ...rep(2, "command 2")],
  },
  "warm-up runs come before the timed runs": {
    args: (log) => ["--runs=2", "--warmup=3", log("command 1")],
    expected: rep(5, "command 1"),
  },
  "setup runs before each series of runs": {
    args: (log) => ["--runs=2", "--setup", log("setup"), log("command 1"), log("command 2")],
    expected: ["setup", ...rep(2, "command 1"), "setup", ...rep(2, "command 2")],
  },
  "prepare runs before each timed run": {
    args: (log) => ["--runs=2", "--prepare", log("prepare"), log("command 1"), log("command 2")],
    expected: [...rep(2, "prepare", "command 1"), ...rep(2, "prepare", "command 2")],
  },
  "conclude runs after each timed run": {
    args: (log) => ["--runs=2", "--conclude", log("conclude"), log("command 1"), log("command 2")],
    expected: [...rep(2, "command 1", "conclude"), ...rep(2, "command 2", "conclude")],
  },
  "prepare runs before each warm-up run too": {
    args: (log) => ["--warmup=2", "--runs=1", "--prepare", log("prepare"), log("command 1"), log("command 2")],
    expected: [...rep(3, "prepare", "command 1"), ...rep(3, "prepare", "command 2")],
  },
  "conclude runs after each warm-up run too": {
    args: (log) => ["--warmup=2", "--runs=1", "--conclude", log("conclude"), log("command 1"), log("command 2")],
    expected: [...rep(3, "command 1", "conclude"), ...rep(3, "command 2", "conclude")],
  },
  "cleanup runs once after each benchmark": {
    args: (log) => ["--runs=2", "--cleanup", log("cleanup"), log("command 1"), log("command 2")],
    expected: [...rep(2, "command 1"), "cleanup", ...rep(2, "command 2"), "cleanup"],
  },
  "setup, prepare and cleanup together": {
    args: (log) => ["--warmup=1", "--runs=2", "--setup", log("setup"), "--prepare", log("prepare"), log("command1"), log("command2"), "--cleanup", log("cleanup")],
    expected: ["setup", ...rep(3, "prepare", "command1"), "cleanup", "setup", ...rep(3, "prepare", "command2"), "cleanup"],
  },
  "setup, prepare, conclude and cleanup together": {
    args: (log) => [
      "--warmup=1", "--runs=2", "--setup", log("setup"), "--prepare", log("prepare"), log("command1"), log("command2"),
      "--conclude", log("conclude"), "--cleanup", log("cleanup"),
    ],
    expected: ["setup", ...rep(3, "prepare", "command1", "conclude"), "cleanup", "setup", ...rep(3, "prepare", "command2", "conclude"), "cleanup"],
  },
  "one parameter's values in order": {
    args: (log) => ["--runs=2", "--parameter-list", "number", "1,2,3", log("command {number}")],
    expected: [...rep(2, "command 1"), ...rep(2, "command 2"), ...rep(2, "command 3")],
  },
  "several parameters: the first one varies fastest": {
    args: (log) => ["--runs=2", "--parameter-list", "number", "1,2,3", "--parameter-list", "letter", "a,b", log("command {number} {letter}")],
    expected: ["1 a", "2 a", "3 a", "1 b", "2 b", "3 b"].flatMap((w) => rep(2, `command ${w}`)),
  },
  "the reference runs first": {
    args: (log) => ["--runs=1", "--reference", log("reference"), log("command 1"), log("command 2")],
    expected: ["reference", "command 1", "command 2"],
  },
  "the reference runs first, before every parameter value": {
    args: (log) => ["--runs=2", "--reference", log("reference"), "--parameter-list", "number", "1,2,3", log("command {number}")],
    expected: [...rep(2, "reference"), ...rep(2, "command 1"), ...rep(2, "command 2"), ...rep(2, "command 3")],
  },
  "the reference runs separately even when it is also a command": {
    args: (log) => ["--runs=1", "--reference", log("command 1"), log("command 1"), log("command 2")],
    expected: ["command 1", "command 1", "command 2"],
  },
  "setup, prepare, reference, conclude and cleanup together": {
    args: (log) => [
      "--warmup=1", "--runs=2", "--setup", log("setup"), "--prepare", log("prepare"), "--reference", log("reference"),
      log("command1"), log("command2"), "--conclude", log("conclude"), "--cleanup", log("cleanup"),
    ],
    expected: ["reference", "command1", "command2"].flatMap((c) => ["setup", ...rep(3, "prepare", c, "conclude"), "cleanup"]),
  },
  "a prepare and a conclude per command": {
    args: (log) => [
      "--warmup=1", "--runs=2", "--setup", log("setup"), "--cleanup", log("cleanup"),
      "--prepare", log("prepare1"), log("command1"), "--conclude", log("conclude1"),
      "--prepare", log("prepare2"), log("command2"), "--conclude", log("conclude2"),
    ],
    expected: [1, 2].flatMap((n) => ["setup", ...rep(3, `prepare${n}`, `command${n}`, `conclude${n}`), "cleanup"]),
  },
  "a prepare and a conclude per command, the reference's first": {
    args: (log) => [
      "--warmup=1", "--runs=2", "--setup", log("setup"), "--cleanup", log("cleanup"),
      "--prepare", log("prepareref"), "--reference", log("reference"), "--conclude", log("concluderef"),
      "--prepare", log("prepare1"), log("command1"), "--conclude", log("conclude1"),
      "--prepare", log("prepare2"), log("command2"), "--conclude", log("conclude2"),
    ],
    expected: [
      "setup", ...rep(3, "prepareref", "reference", "concluderef"), "cleanup",
      ...[1, 2].flatMap((n) => ["setup", ...rep(3, `prepare${n}`, `command${n}`, `conclude${n}`), "cleanup"]),
    ],
  },
};

const EMULATED = ["setup, prepare, reference, conclude and cleanup together"];
const RUN = Object.keys(CASES).filter((name) => !underEmulation() || EMULATED.includes(name));

const outcomes = new Map<string, { ran: Ran; log: string }>();

beforeAll(async () => {
  const names = RUN;
  const jobs = names.map((name, i) => async () => {
    const path = join(dir, `output-${i}.log`);
    const ran = await oursAsync(CASES[name]!.args((word) => `echo ${word} >> ${path}`));
    return { ran, log: existsSync(path) ? readFileSync(path, "utf8") : "" };
  });
  const done = await pooled(jobs);
  names.forEach((name, i) => outcomes.set(name, done[i]!));
}, 300_000);

describe("hyperfine's execution-order tests, against bun-wait4-bench", () => {
  for (const name of RUN) {
    const c = CASES[name]!;
    test(name, () => {
      const { ran, log } = outcomes.get(name)!;
      expect(ran.stderr).not.toContain("Error");
      expect(ran.status).toBe(0);
      expect(log).toBe(c.expected.map((w) => `${w}\n`).join(""));
    });
  }
});
