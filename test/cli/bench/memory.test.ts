/**
 * What bun-wait4-bench adds to hyperfine: each run's own peak memory. Checked against GNU time
 * (/usr/bin/time's %M, started from a small shell, so its own peak starts small too) on the
 * same commands, and against hyperfine 1.20 where it is built: its `memory_usage_byte` is the
 * running maximum of RUSAGE_CHILDREN, so a small command run after a large one reports the
 * large one's peak; ours does not. Then the terminal line, the summary ratio, the markdown
 * and CSV columns.
 *
 * Under qemu-user the command cannot be started from a small process (no
 * PR_SET_CHILD_SUBREAPER there), so the peak includes ours: there the warning that says so is
 * what is checked.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { underEmulation } from "../../helpers/emulation.ts";
import { HYPERFINE_1_20, oursAsync, theirsAsync, type Ran } from "../../helpers/hyperfine.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BIG = `python3 -c "b = bytearray(60 * 1024 * 1024)"`;
const SMALL = "true";
const MiB = 1024 * 1024;

/** GNU time's %M (KiB) for argv run directly, as `-N` runs it, in bytes. */
function gnuPeak(argv: readonly string[]): number {
  const r = Bun.spawnSync(["sh", "-c", 'exec /usr/bin/time -f %M "$@"', "sh", ...argv], { stderr: "pipe" });
  return Number(r.stderr.toString().trim().split("\n").at(-1)) * 1024;
}

interface Export {
  results: { command: string; memory_usage_byte: number[]; mean: number }[];
}

let run: Ran;
let exported: Export;
let theirs: Export | undefined;

beforeAll(async () => {
  const args = ["-N", "-r", "3", BIG, SMALL, "--export-json", join(dir, "ours.json"), "--export-markdown", join(dir, "ours.md"), "--export-csv", join(dir, "ours.csv")];
  const [ours, hf] = await Promise.all([
    oursAsync(args),
    HYPERFINE_1_20 === undefined ? undefined : theirsAsync(HYPERFINE_1_20, ["-N", "-r", "3", BIG, SMALL, "--export-json", join(dir, "theirs.json")]),
  ]);
  run = ours;
  exported = JSON.parse(readFileSync(join(dir, "ours.json"), "utf8"));
  if (hf !== undefined) theirs = JSON.parse(readFileSync(join(dir, "theirs.json"), "utf8"));
}, 120_000);

const peaks = (e: Export, i: number) => e.results[i]!.memory_usage_byte;

describe("memory_usage_byte is each run's own peak", () => {
  test("one figure per run, for every command", () => {
    expect(run.status).toBe(0);
    expect(exported.results.map((r) => r.memory_usage_byte.length)).toEqual([3, 3]);
  });

  // A run's peak varies by a page or so either way (the environment's size, where the stack and
  // heap land): ~960-1,110 KiB for `true` here, under either tool. So the middle of our three
  // runs is held to the middle of three of GNU time's.
  test.skipIf(underEmulation())("as GNU time's %M for the same command (medians within 15%), the small one after the large one included", () => {
    const middle = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const gnu = (argv: readonly string[]) => middle([gnuPeak(argv), gnuPeak(argv), gnuPeak(argv)]);
    const [big, small] = [gnu(["python3", "-c", "b = bytearray(60 * 1024 * 1024)"]), gnu([SMALL])];
    expect(Math.abs(middle(peaks(exported, 0)) - big) / big).toBeLessThan(0.15);
    expect(Math.abs(middle(peaks(exported, 1)) - small) / small).toBeLessThan(0.15);
    for (const p of peaks(exported, 1)) expect(p).toBeLessThan(5 * MiB); // none carries the large one's peak
    expect(big).toBeGreaterThan(60 * MiB);
    expect(small).toBeLessThan(5 * MiB);
  });

  test.if(HYPERFINE_1_20 !== undefined && !underEmulation())("where hyperfine 1.20 reports the large command's peak for the small one", () => {
    expect(Math.min(...peaks(theirs!, 1))).toBeGreaterThan(60 * MiB); // RUSAGE_CHILDREN's running maximum
    expect(Math.max(...peaks(exported, 1))).toBeLessThan(5 * MiB);
  });

  test.if(underEmulation())("under qemu-user, where the peak includes ours, a warning says so", () => {
    expect(run.stderr).toContain("Warning: The peak memory includes bun-wait4-bench's own");
  });
});

describe("memory in the texts and tables", () => {
  test("a Memory line under each command, in the unit of its mean", () => {
    const lines = run.stdout.split("\n").filter((l) => l.startsWith("  Memory"));
    expect(lines.length).toBe(2);
    for (const line of lines) expect(line).toMatch(/^ {2}Memory \(mean ± σ\): {3} *\d+\.\d (KiB|MiB) ± +\d+\.\d (KiB|MiB) {4}\[Range: \d+\.\d (KiB|MiB) … \d+\.\d (KiB|MiB)\]$/);
    const mean = peaks(exported, 0).reduce((a, b) => a + b) / 3;
    expect(lines[0]).toContain(`${(mean / MiB).toFixed(1)} MiB ±`);
  });

  test("the summary compares peak memory against the same reference as time", () => {
    // `true` is the reference (it ran faster); under qemu-user both peaks include ours, so either may be larger.
    const [big, small] = [0, 1].map((i) => peaks(exported, i).reduce((a, b) => a + b) / 3) as [number, number];
    const ratio = (Math.max(big, small) / Math.min(big, small)).toFixed(2);
    const word = small < big ? "less" : "more";
    expect(run.stdout).toMatch(new RegExp(`\\n  true used \\(peak memory, [\\d.]+ (KiB|MiB)\\)\\n +${ratio.replace(".", "\\.")} ± [\\d.]+ times ${word} memory than python3`));
    if (!underEmulation()) expect(word).toBe("less");
  });

  test("markdown gets a Memory column, CSV a mean_memory_usage_byte column", () => {
    const md = readFileSync(join(dir, "ours.md"), "utf8").split("\n");
    expect(md[0]).toMatch(/^\| Command \| Mean \[ms\] \| Min \[ms\] \| Max \[ms\] \| Relative \| Memory \[MiB\] \|$/);
    expect(md[1]).toBe("|:---|---:|---:|---:|---:|---:|");
    const csv = readFileSync(join(dir, "ours.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("command,mean,stddev,median,user,system,min,max,mean_memory_usage_byte");
    const column = csv.slice(1).map((row) => Number(row.split(",").at(-1)));
    expect(column).toEqual([0, 1].map((i) => peaks(exported, i).reduce((a, b) => a + b) / 3));
  });
});
