/**
 * hyperfine's own analysis scripts (scripts/*.py in its source, 1.20) run unchanged on
 * bun-wait4-bench's JSON export, with Debian's numpy, scipy and matplotlib (installed by
 * scripts/test-tools.sh) and matplotlib's non-interactive Agg backend: each must exit 0, say
 * what it should about our commands, and draw a non-empty PNG where it plots. Debian's own
 * /usr/bin/python3 runs them (a python3 earlier on PATH may not see Debian's packages).
 *
 * The scripts are hyperfine's code, so they are not in this repository: they are read from
 * hyperfine's source snapshot (HYPERFINE_SOURCE, a git directory; test/helpers/hyperfine.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { underEmulation } from "../../helpers/emulation.ts";
import { hyperfineSourceGitDir, oursAsync } from "../../helpers/hyperfine.ts";

const source = hyperfineSourceGitDir();
const dir = mkdtempSync(join(tmpdir(), "bench-scripts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPTS = ["advanced_statistics.py", "plot_whisker.py", "plot_histogram.py", "welch_ttest.py", "plot_parametrized.py", "plot_progression.py"];
const twoCommands = join(dir, "two.json");
const scanned = join(dir, "scan.json");

beforeAll(async () => {
  if (source === undefined || underEmulation()) return;
  mkdirSync(join(dir, "scripts"));
  for (const name of SCRIPTS) {
    const text = Bun.spawnSync(["git", `--git-dir=${source}`, "show", `HEAD:scripts/${name}`], { stdout: "pipe" }).stdout.toString();
    writeFileSync(join(dir, "scripts", name), text);
  }
  const [a, b] = await Promise.all([
    oursAsync(["-N", "--style", "none", "-r", "12", "true", "sleep 0.005", "--export-json", twoCommands]),
    oursAsync(["-N", "--style", "none", "-r", "5", "-P", "ms", "1", "3", "sleep 0.00{ms}", "--export-json", scanned]),
  ]);
  expect([a.status, b.status]).toEqual([0, 0]);
}, 120_000);

/** Runs one script with Agg; returns its exit status and output. */
function script(name: string, ...args: string[]) {
  const r = Bun.spawnSync(["/usr/bin/python3", join(dir, "scripts", name), ...args], {
    stdout: "pipe",
    stderr: "pipe",
    cwd: dir,
    env: { ...process.env, MPLBACKEND: "Agg", MPLCONFIGDIR: join(dir, "mpl") },
  });
  return { status: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

const drew = (png: string) => statSync(join(dir, png)).size > 1000;

// Native only: under qemu-user our processes cost seconds each, and the JSON is the same TypeScript's.
describe.if(source !== undefined && !underEmulation())(`hyperfine's scripts on our JSON (${source ?? "no hyperfine source here"})`, () => {
  test("our export has every field the scripts read, per run", () => {
    const results = JSON.parse(readFileSync(twoCommands, "utf8")).results as Record<string, unknown>[];
    expect(results.map((r) => r.command)).toEqual(["true", "sleep 0.005"]);
    for (const r of results) expect((r.times as number[]).length).toBe(12);
  });

  test("advanced_statistics.py prints each command's statistics", () => {
    const r = script("advanced_statistics.py", twoCommands);
    expect(r.err).toBe("");
    expect(r.status).toBe(0);
    expect(r.out).toContain("Command 'sleep 0.005'");
    expect(r.out).toMatch(/mean:\s+\d+\.\d{3} s/);
  });

  test("welch_ttest.py compares the two commands", () => {
    const r = script("welch_ttest.py", twoCommands);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/t = -?\d+\.\d+, p = /);
  });

  test("plot_whisker.py, plot_histogram.py and plot_progression.py draw PNGs", () => {
    for (const [name, png] of [["plot_whisker.py", "whisker.png"], ["plot_histogram.py", "histogram.png"], ["plot_progression.py", "progression.png"]] as const) {
      const r = script(name, twoCommands, "-o", png);
      expect({ name, status: r.status, err: r.err.split("\n").filter((l) => l.includes("Error")) }).toEqual({ name, status: 0, err: [] });
      expect(drew(png)).toBe(true);
    }
  });

  test("plot_parametrized.py plots a parameter scan", () => {
    const r = script("plot_parametrized.py", scanned, "-o", "parametrized.png");
    expect(r.status).toBe(0);
    expect(drew("parametrized.png")).toBe(true);
  });
});
