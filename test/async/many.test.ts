/**
 * Many children through async waits, in a process of its own (test/fixtures/async-many.ts):
 * every status right, and afterwards no child left (live or zombie), no descriptor left open,
 * and RSS grown by less than 5 MB from a warmed-up, collected heap (the fixture first runs a
 * half as many children: Bun's heap alone grows by 3-5 MB before it levels off, with plain
 * promises as with spawns). 10,000 children natively; 1,000 under qemu-user, where
 * each spawn is a full fork of the emulator (~15x slower; docs/DESIGN.md §7), and where RSS
 * is the emulator's own (its translation cache grows by ~10 MB as new code runs), so there the
 * JS heap's growth is checked instead; there the fixture also keeps a SIGCHLD listener of its own
 * (qemu's signal race, docs/DESIGN.md §7). The same again with the scan fallback forced
 * (BUN_WAIT4_EXIT_WATCH=scan): 5,000 children natively.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { underEmulation } from "../helpers/emulation.ts";
import { FIXTURES } from "../helpers/live.ts";

/** Runs the fixture with `total` children (env `exitWatch` forces the watch) and checks its report. */
function manyChildren(total: number, exitWatch: "epoll" | "scan") {
  const env = exitWatch === "scan" ? { ...process.env, BUN_WAIT4_EXIT_WATCH: "scan" } : process.env;
  // A wait that never settles would hang spawnSync (and the whole run) for good: kill it well
  // within the test's timeout instead (the fixture takes ~8 s natively for 10,000).
  const timeout = underEmulation() ? 540_000 : 120_000;
  const run = Bun.spawnSync([process.execPath, join(FIXTURES, "async-many.ts"), String(total)], { stdout: "pipe", stderr: "pipe", env, timeout });
  expect(run.stderr.toString()).toBe("");
  expect({ exitCode: run.exitCode, signalCode: run.signalCode ?? null }).toEqual({ exitCode: 0, signalCode: null });
  const report = JSON.parse(run.stdout.toString());
  expect(report).toMatchObject({ watch: exitWatch, total, bad: 0, children: 0 });
  expect(report.fdGrowth).toBeLessThanOrEqual(0);
  expect(report.heapGrowthKiB).toBeLessThan(5 * 1024);
  if (!underEmulation()) expect(report.rssGrowthKiB).toBeLessThan(5 * 1024);
}

test("10,000 children: all right, none left, no descriptor leaked, RSS growth under 5 MB", () => {
  manyChildren(underEmulation() ? 1_000 : 10_000, "epoll");
}, 600_000);

// The fallback looks at every pending pid (up to 200 here) on each SIGCHLD: fewer children keep
// it at ~4 s natively (7,500 spawns with the warm-up).
test("the scan fallback (BUN_WAIT4_EXIT_WATCH=scan), 5,000 children: the same checks", () => {
  manyChildren(underEmulation() ? 1_000 : 5_000, "scan");
}, 600_000);
