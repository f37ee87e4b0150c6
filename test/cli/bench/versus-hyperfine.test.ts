/**
 * bun-wait4-bench against the real hyperfine on the same command lines.
 *
 * - hyperfine 1.20 (the version followed), where this machine has it built from its source
 *   (test/helpers/hyperfine.ts says where it is looked for; .ci/run builds it with
 *   ../shared/tools/hyperfine-1.20/build.sh when that tool and hyperfine's source are there):
 *   stdout, stderr and exit status byte for byte, for `--debug-mode` runs (nothing runs, so
 *   every figure is exact: texts, colours, units, run counts, summaries, every export to
 *   stdout) and for usage and option errors. Only clap's program name in "Usage:" differs.
 * - Debian's hyperfine 1.15 (always installed by scripts/test-tools.sh): the exports it shares
 *   with 1.20, and real runs: the same export fields, exit codes, run counts, and mean times
 *   within noise of each other.
 *
 * Under qemu-user (CI's arm64 suite) each of our processes costs seconds: there only the
 * first few command lines of each table are compared, and --help and the timing comparison are
 * left out (the same TypeScript prints them on every platform).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { comparable, HYPERFINE_1_15, HYPERFINE_1_20, ours, oursAsync, theirs, theirsAsync } from "../../helpers/hyperfine.ts";
import { pooled } from "../../helpers/pool.ts";
import { underEmulation } from "../../helpers/emulation.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-versus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Command lines where nothing runs, so both tools must print exactly the same. */
const DEBUG_MODE: string[][] = [
  ["sleep 0.5", "sleep 1.2"],
  ["-r", "1", "sleep 0.5"],
  ["--style", "color", "sleep 0.5", "sleep 1.2", "sleep 0.001", "-n", "a", "-n", "b", "-n", "c", "--export-markdown", "-", "--export-csv", "-", "--export-json", "-", "--export-asciidoc", "-", "--export-orgmode", "-"],
  ["--style", "color", "-r", "1", "sleep 0.5", "sleep 0.7", "--sort", "command"],
  ["--style", "nocolor", "-r", "3", "sleep 0.5", "sleep 0.7", "--sort", "mean-time", "--export-markdown", "-"],
  ["-n", "A", "-n", "B", "sleep 1.0", "sleep 1.0", "sleep 2.0", "sleep 1000.0"],
  ["sleep 1.0", "sleep 1.0"],
  ["--reference=sleep 2.0", "--reference-name=ref", "sleep 1.0", "sleep 3.0", "--export-json", "-"],
  ["-P", "time", "30", "45", "-D", "5", "sleep {time}", "--export-json", "-", "--export-csv", "-"],
  ["-P", "x", "0.25", "1", "-D", "0.25", "sleep {x}", "-n", "x={x}", "--export-markdown", "-", "--export-orgmode", "-"],
  ["-P", "x", "1", "2", "-D", "0.50", "sleep {x}", "--export-csv", "-"],
  ["-L", "a", "1,2", "-L", "b", "x,y", "sleep {a}", "--export-json", "-", "--export-csv", "-"],
  ["-L", "x", "0.1,0.2", "sleep {x}", "-n", "first {x}", "-n", "second {x}", "--sort", "command"],
  ["--shell=sleep 0.01", "--prepare=sleep 0.03", "sleep 0.05"],
  ["--conclude=sleep 0.02", "-w", "3", "sleep 0.01", "--style", "basic"],
  ["-u", "microsecond", "sleep 1.234", "sleep 0.1", "--export-markdown", "-", "--export-asciidoc", "-"],
  ["-u", "second", "-m", "3", "-M", "4", "sleep 0.001", "sleep 0.002"],
  ["--style", "none", "sleep 0.2", "sleep 0.1", "--export-markdown", "-"],
  ["--min-benchmarking-time", "0.5", "sleep 0.01", "sleep 0.25", "-n", "a|b", "-n", "c", "--export-markdown", "-", "--export-csv", "-"],
  ["-n", 'odd, "name"', "sleep 0.1", "--export-csv", "-", "--export-json", "-"],
];

/** Usage and option errors: hyperfine's texts and exit statuses (2 from clap, 1 from hyperfine). */
const ERRORS: string[][] = [
  ["-m", "5", "-M", "3", "true"],
  ["-w", "x", "true"],
  ["-r", "-1", "true"],
  ["--foo", "true"],
  [],
  ["-r"],
  ["--style=bad", "true"],
  ["-i=x", "-r", "1", "false"],
  ["-N", "-r", "1", ""],
  ["-P", "x", "1", "a", "true"],
  ["-P", "x", "1.5", "2", "true"],
  ["-P", "x", "3", "1", "true"],
  ["-P", "x", "1", "200000", "true"],
  ["-P", "x", "1", "3", "-D", "0", "true"],
  ["-P", "x", "1"],
  ["-L", "x", "a", "-L", "x", "b", "echo"],
  ["-L", "x"],
  ["-n", "a", "-n", "b", "echo"],
  ["--output=foo", "-r", "1", "true"],
  ["--input=nope", "-r", "1", "cat"],
  ["--export-json", "/nonexistent-dir/x", "-r", "1", "true"],
  ["-S", "", "true"],
  ["-S", 'sh "', "true"],
  ["-D", "2", "true"],
  ["-L", "x", "1,2", "-P", "y", "1", "2", "echo"],
  ["--show-output", "--style=basic", "true"],
  ["--style", "none", "--show-output", "true"],
  ["--output=null", "--show-output", "true"],
  ["-N", "--debug-mode", "true"],
  ["--debug-mode", "-r", "1", "-r", "2", "sleep 1"],
  ["--run", "3", "true"],
  ["--warmpu", "1", "true"],
  ["-x", "true"],
  ["--debug-mode", "--sort=foo", "sleep 1"],
  ["--debug-mode", "-u", "sec", "sleep 1"],
  ["--reference-name", "x", "true"],
  ["-r", "1", "-m", "2", "true"],
  ["--debug-mode", "--style"],
  ["-p", "a", "-p", "b", "-r", "1", "true"],
  ["--output=./x", "--output=./y", "-r", "1", "true"],
  ["-r", "1", "-N", "nonexistent-program-xyz"],
  ["-r", "1", "-N", "echo 'unterminated"],
  ["-r", "1", "-S", "nonexistent-shell-xyz", "true"],
  ["-r", "1", "-s", "false", "true"],
  ["-r", "2", "-N", "false"],
  ["-w", "2", "-r", "1", "-N", "sh -c 'exit 3'"],
  ["-r", "1", "-N", "--ignore-failure=3,4", "sh -c 'kill -9 $$'"],
  ["-iN", "-r", "1", "--style", "none", "false"],
  ["-i1", "-r", "1", "exit 1"],
  ["-N", "-N", "true"],
  ["--show-output=x", "true"],
  ["-r", "1", "--", "-N"],
];

const have120 = HYPERFINE_1_20 !== undefined;
/** The whole table natively; its first `n` lines under qemu-user. */
const here = (lines: string[][], n: number) => (underEmulation() ? lines.slice(0, n) : lines);

describe.if(have120)(`byte for byte against hyperfine 1.20 (${HYPERFINE_1_20 ?? "not built here"})`, () => {
  /** Each command line run by both tools, a few at a time. */
  async function bothOn(lines: readonly string[][]) {
    return pooled(
      lines.map((args) => async () => {
        const [want, got] = await Promise.all([theirsAsync(HYPERFINE_1_20!, args, { cwd: dir }), oursAsync(args, { cwd: dir })]);
        return { args, want: { args, ...comparable(want, HYPERFINE_1_20!) }, got: { args, ...got } };
      }),
      2,
    );
  }

  test("--debug-mode runs: every text, colour, figure and export", async () => {
    for (const { want, got } of await bothOn(here(DEBUG_MODE, 2).map((args) => ["--debug-mode", ...args]))) expect(got).toEqual(want);
  }, 120_000);

  test("usage and option errors, and failing commands: texts and exit statuses", async () => {
    for (const { want, got } of await bothOn(here(ERRORS, 4))) expect(got).toEqual(want);
  }, 120_000);

  test.skipIf(underEmulation())("--help (program name aside) and --version's release", () => {
    const help = theirs(HYPERFINE_1_20!, ["--help"]).stdout.replace(/^Usage: \S+ /m, "Usage: bun-wait4-bench ");
    const mine = ours(["--help"]).stdout;
    // Ours lists two more options (bun-wait4-bench's) before --help; the rest is line for line.
    const withoutOurs = mine.replace(/ {6}--interleave\n(?: {10}.*\n)+ {6}--baseline <FILE>\n(?: {10}.*\n)+/, "");
    expect(withoutOurs).toBe(help);
    expect(mine).not.toBe(withoutOurs);
    expect(ours(["-h"]).stdout).toBe(mine);
    expect(ours(["--version"]).stdout).toContain(theirs(HYPERFINE_1_20!, ["--version"]).stdout.trim().replace("hyperfine ", "hyperfine "));
  });
});

// Native only: under qemu-user the two shell calibrations alone cost a minute.
describe.if(have120 && !underEmulation())("the HYPERFINE_* variables each run sees, as hyperfine 1.20 sets them", () => {
  test("HYPERFINE_ITERATION for warm-up and timed runs only; the offset, a run of X, for every run", async () => {
    // Each run logs the iteration (or "unset") and whether the offset is only X's; an inherited
    // HYPERFINE_ITERATION must stay for the runs hyperfine does not number.
    const logLine = (who: string, log: string) =>
      `echo ${who} \${HYPERFINE_ITERATION-unset} $(printf %s "\${HYPERFINE_RANDOMIZED_ENVIRONMENT_OFFSET-unset}" | tr -d X | wc -c) >> ${log}`;
    const args = (log: string) => ["--style", "none", "-w", "2", "-r", "3", "--setup", logLine("setup", log), "--prepare", logLine("prepare", log), logLine("run", log)];
    const env = { ...process.env, HYPERFINE_ITERATION: "inherited" };
    const [theirLog, ourLog] = [join(dir, "env-theirs.log"), join(dir, "env-ours.log")];
    const [t, o] = await Promise.all([theirsAsync(HYPERFINE_1_20!, args(theirLog), { env }), oursAsync(args(ourLog), { env })]);
    expect([t.status, o.status]).toEqual([0, 0]);
    const theirs = readFileSync(theirLog, "utf8");
    expect(readFileSync(ourLog, "utf8")).toBe(theirs);
    expect(theirs).toContain("run warmup-1 0\n");
    expect(theirs).toContain("prepare inherited 0\n");
  });
});

/** Reads the three file exports a run wrote under `prefix`. */
function exportsOf(prefix: string) {
  const read = (ext: string) => readFileSync(`${prefix}.${ext}`, "utf8");
  return { json: JSON.parse(read("json")) as { results: Record<string, unknown>[] }, csv: read("csv"), md: read("md") };
}

const exportArgs = (prefix: string) => ["--export-json", `${prefix}.json`, "--export-csv", `${prefix}.csv`, "--export-markdown", `${prefix}.md`];

describe("against Debian's hyperfine 1.15", () => {
  test("--debug-mode exports: CSV and markdown byte for byte, JSON field for field (1.15 has no memory_usage_byte)", () => {
    const args = ["--debug-mode", "--style", "none", "-r", "3", "-L", "x", "1,2", "sleep {x}", "sleep 0.{x}"];
    theirs(HYPERFINE_1_15, [...args, ...exportArgs(join(dir, "debug115"))]);
    expect(ours([...args, ...exportArgs(join(dir, "debug-ours"))]).status).toBe(0);
    const want = exportsOf(join(dir, "debug115"));
    const got = exportsOf(join(dir, "debug-ours"));
    expect(got.csv).toBe(want.csv);
    expect(got.md).toBe(want.md);
    expect(got.json.results.map((r) => ({ ...r, memory_usage_byte: undefined }))).toEqual(want.json.results.map((r) => ({ ...r, memory_usage_byte: undefined })));
    expect(got.json.results[0]!.memory_usage_byte).toEqual([0, 0, 0]);
  });

  // Under qemu our runs are slower by the emulation itself: the timing comparison is native only.
  (underEmulation() ? () => {} : test)("real runs without a shell: the same fields and exit codes, mean times within noise", () => {
    const args = ["-N", "--style", "none", "-w", "3", "-r", "40", "true", "sleep 0.01", "sh -c 'exit 3'", "-i"];
    theirs(HYPERFINE_1_15, [...args, ...exportArgs(join(dir, "real115"))]);
    expect(ours([...args, ...exportArgs(join(dir, "real-ours"))]).status).toBe(0);
    const want = exportsOf(join(dir, "real115")).json.results;
    const got = exportsOf(join(dir, "real-ours")).json.results;
    expect(got.map((r) => Object.keys(r).filter((k) => k !== "memory_usage_byte"))).toEqual(want.map((r) => Object.keys(r)));
    expect(got.map((r) => r.exit_codes)).toEqual(want.map((r) => r.exit_codes));
    expect(got.map((r) => (r.times as number[]).length)).toEqual([40, 40, 40]);
    // The 10 ms sleep: both near 10 ms and within 25% of each other (medians; the machine is shared).
    const [ourSleep, theirSleep] = [got[1]!.median as number, want[1]!.median as number];
    expect(ourSleep).toBeGreaterThan(0.0095);
    expect(Math.abs(ourSleep - theirSleep) / theirSleep).toBeLessThan(0.25);
    // `true`: a few ms at most, a few ms apart (the per-run overhead is the benchmark's business).
    expect(Math.abs((got[0]!.median as number) - (want[0]!.median as number))).toBeLessThan(0.005);
  });
});
