/**
 * hyperfine's own analysis scripts (scripts/*.py in its source, 1.20) run unchanged on
 * bun-wait4-bench's JSON export, with Debian's numpy, scipy and matplotlib (installed by
 * scripts/test-tools.sh) and matplotlib's non-interactive Agg backend: each must exit 0, say
 * what it should about our commands, and draw a non-empty PNG where it plots. Debian's own
 * /usr/bin/python3 runs them (a python3 earlier on PATH may not see Debian's packages).
 *
 * The scripts are vendored byte for byte in test/fixtures/hyperfine-scripts/ (its README.md
 * says from which tag, with each file's git blob id); where hyperfine's source snapshot is on
 * the machine (HYPERFINE_SOURCE, test/helpers/hyperfine.ts), they must still equal its files.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hyperfineSourceGitDir, oursAsync } from "../../helpers/hyperfine.ts";
import { pooled } from "../../helpers/pool.ts";

const VENDORED = join(import.meta.dir, "..", "..", "fixtures", "hyperfine-scripts");
const SCRIPTS = ["advanced_statistics.py", "plot_whisker.py", "plot_histogram.py", "welch_ttest.py", "plot_parametrized.py", "plot_progression.py"];
const PYTHON = "/usr/bin/python3";

const source = hyperfineSourceGitDir();
const dir = mkdtempSync(join(tmpdir(), "bench-scripts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const twoCommands = join(dir, "two.json");
const scanned = join(dir, "scan.json");

interface ScriptRun {
  status: number | null;
  out: string;
  err: string;
}

/** Each script invocation the tests look at, by a name. */
const INVOCATIONS: Record<string, string[]> = {
  statistics: ["advanced_statistics.py", twoCommands],
  ttest: ["welch_ttest.py", twoCommands],
  whisker: ["plot_whisker.py", twoCommands, "--sort-by", "median", "-o", "whisker.png"],
  histogram: ["plot_histogram.py", twoCommands, "-o", "histogram.png"],
  progression: ["plot_progression.py", twoCommands, "-o", "progression.png"],
  parametrized: ["plot_parametrized.py", scanned, "-o", "parametrized.png"],
};
const ran: Record<string, ScriptRun> = {};

/** Runs one vendored script with Agg. */
async function script(name: string, ...args: string[]): Promise<ScriptRun> {
  const p = Bun.spawn([PYTHON, join(VENDORED, name), ...args], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    cwd: dir,
    env: { ...process.env, MPLBACKEND: "Agg", MPLCONFIGDIR: join(dir, "mpl") },
  });
  const [out, err, status] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { status, out, err };
}

beforeAll(async () => {
  const [a, b] = await Promise.all([
    oursAsync(["-N", "--style", "none", "-r", "12", "true", "sleep 0.005", "--export-json", twoCommands]),
    oursAsync(["-N", "--style", "none", "-r", "5", "-P", "ms", "1", "3", "sleep 0.00{ms}", "--export-json", scanned]),
  ]);
  expect([a, b].map((r) => [r.status, r.stderr.includes("Error")])).toEqual([
    [0, false],
    [0, false],
  ]);
  const names = Object.keys(INVOCATIONS);
  const results = await pooled(
    names.map((n) => () => script(...(INVOCATIONS[n] as [string, ...string[]]))),
    2,
  );
  names.forEach((n, i) => (ran[n] = results[i]!));
}, 120_000);

const drew = (png: string) => statSync(join(dir, png)).size > 1000;
const exported = (file: string) => JSON.parse(readFileSync(file, "utf8")).results as Record<string, unknown>[];

/** git's id of a file's bytes (`git hash-object`). */
function blobId(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

describe("the vendored scripts are hyperfine's", () => {
  const files = [...SCRIPTS, "LICENSE-MIT"];

  test("each file has the git blob id the fixture's README.md records (nothing was edited)", () => {
    const readme = readFileSync(join(VENDORED, "README.md"), "utf8");
    const recorded = Object.fromEntries([...readme.matchAll(/^\| `([^`]+)` \| `([0-9a-f]{40})` \|$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(recorded).sort()).toEqual([...files].sort());
    for (const f of files) expect({ f, id: blobId(readFileSync(join(VENDORED, f))) }).toEqual({ f, id: recorded[f]! });
  });

  // Only where hyperfine's source is on the machine; the ids above hold everywhere.
  test.skipIf(source === undefined)(`each file equals the newest commit's in hyperfine's source (${source ?? "no source here"})`, () => {
    for (const f of files) {
      const path = f === "LICENSE-MIT" ? f : `scripts/${f}`;
      const r = Bun.spawnSync(["git", `--git-dir=${source}`, "show", `HEAD:${path}`], { stdout: "pipe", stderr: "pipe" });
      expect({ f, status: r.exitCode, stderr: r.stderr.toString() }).toEqual({ f, status: 0, stderr: "" });
      expect({ f, same: Buffer.compare(r.stdout, readFileSync(join(VENDORED, f))) === 0 }).toEqual({ f, same: true });
    }
  });
});

describe("hyperfine's scripts on our JSON", () => {
  test("Debian's python3 has numpy, scipy and matplotlib (scripts/test-tools.sh installs them)", () => {
    const r = Bun.spawnSync([PYTHON, "-c", "import numpy, scipy.stats, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"], { stderr: "pipe" });
    expect({ status: r.exitCode, stderr: r.stderr.toString() }).toEqual({ status: 0, stderr: "" });
  });

  test("our export has every field the scripts read, per run", () => {
    const results = exported(twoCommands);
    expect(results.map((r) => r.command)).toEqual(["true", "sleep 0.005"]);
    for (const r of results) expect((r.times as number[]).length).toBe(12);
    expect(exported(scanned).map((r) => r.parameters)).toEqual([{ ms: "1" }, { ms: "2" }, { ms: "3" }]);
  });

  test("advanced_statistics.py prints each command's statistics", () => {
    const r = ran.statistics!;
    expect(r.err).toBe("");
    expect(r.status).toBe(0);
    expect(r.out).toContain("Command 'sleep 0.005'");
    expect(r.out.match(/runs:\s+12\n/g)?.length).toBe(2);
    expect(r.out).toMatch(/mean:\s+\d+\.\d{3} s/);
  });

  test("welch_ttest.py compares the two commands", () => {
    const r = ran.ttest!;
    expect(r.status).toBe(0);
    expect(r.out).toContain("Command 1: true\nCommand 2: sleep 0.005\n");
    expect(r.out).toMatch(/t = -?\d+\.\d+, p = /);
  });

  test("plot_whisker.py (sorted by our medians), plot_histogram.py and plot_progression.py draw PNGs", () => {
    for (const [name, png] of [["whisker", "whisker.png"], ["histogram", "histogram.png"], ["progression", "progression.png"]] as const) {
      const r = ran[name]!;
      expect({ name, status: r.status, err: r.err.split("\n").filter((l) => l.includes("Error")) }).toEqual({ name, status: 0, err: [] });
      expect(drew(png)).toBe(true);
    }
  });

  test("plot_parametrized.py plots a parameter scan", () => {
    const r = ran.parametrized!;
    expect({ status: r.status, err: r.err }).toEqual({ status: 0, err: "" });
    expect(drew("parametrized.png")).toBe(true);
  });
});
