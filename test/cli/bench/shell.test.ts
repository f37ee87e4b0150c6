/**
 * Through a shell, hyperfine measures the shell's own start (50 runs of `SHELL -c ""` before
 * the first benchmark) and subtracts its mean from every run (docs/HYPERFINE.md §6.1). Real
 * runs of `sleep 0.05`: through test/fixtures/slow-shell.sh, a shell that starts at least 30 ms
 * late, the figure must stay near 0.05 s and well under the same command run without
 * subtraction (`-N SHELL -c CMD`); through the default `sh`, near 0.05 s. The bounds are wide
 * and medians are used where one slow run must not decide: the machine is shared and loaded.
 * Where hyperfine 1.20 is built here, its figure for the slow shell is compared too.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HYPERFINE_1_20, oursAsync, theirsAsync, type Ran } from "../../helpers/hyperfine.ts";
import { pooled } from "../../helpers/pool.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-shell-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SLOW_SHELL = `/bin/sh '${join(import.meta.dir, "..", "..", "fixtures", "slow-shell.sh")}'`;
const SLEEP = 0.05;
const common = ["--style", "none", "-r", "10"];

interface Figures {
  mean: number;
  median: number;
}

/** Runs one invocation with a JSON export; its mean and median. */
function figures(name: string, run: (args: string[]) => Promise<Ran>, args: string[]): () => Promise<Figures & { name: string }> {
  return async () => {
    const file = join(dir, `${name}.json`);
    const r = await run([...common, ...args, "--export-json", file]);
    expect({ name, status: r.status }).toEqual({ name, status: 0 });
    const [result] = JSON.parse(readFileSync(file, "utf8")).results as Figures[];
    return { name, mean: result!.mean, median: result!.median };
  };
}

test("the shell's measured start is subtracted from each run", async () => {
  const jobs = [
    figures("slow shell", oursAsync, ["--shell", SLOW_SHELL, `sleep ${SLEEP}`]),
    figures("unsubtracted", oursAsync, ["-N", `${SLOW_SHELL} -c 'sleep ${SLEEP}'`]),
    figures("default shell", oursAsync, [`sleep ${SLEEP}`]),
  ];
  if (HYPERFINE_1_20 !== undefined) jobs.push(figures("1.20, slow shell", (a) => theirsAsync(HYPERFINE_1_20!, a), ["--shell", SLOW_SHELL, `sleep ${SLEEP}`]));
  const [slow, unsubtracted, plain, theirs] = await pooled(jobs, 2);

  // The slow shell's 30 ms at least are gone: near the sleep, and well below the whole run.
  expect(unsubtracted!.median).toBeGreaterThan(SLEEP + 0.03);
  expect(slow!.mean).toBeLessThan(unsubtracted!.mean - 0.015);
  expect(Math.abs(slow!.median - SLEEP)).toBeLessThan(0.025);
  // sh's own start is a millisecond or two: what is left is the sleep, not less.
  expect(plain!.median).toBeGreaterThan(SLEEP - 0.01);
  expect(plain!.median).toBeLessThan(SLEEP + 0.025);
  if (theirs !== undefined) expect(Math.abs(slow!.median - theirs.median)).toBeLessThan(0.015);
}, 120_000);
