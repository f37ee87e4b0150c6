/**
 * Many children through async waits, in a process of its own (test/fixtures/async-many.ts):
 * every status right, and afterwards no child left (live or zombie), no descriptor left open,
 * and RSS grown by less than 5 MB from a warmed-up, collected heap (the fixture first runs a
 * half as many children: Bun's heap alone grows by 3-5 MB before it levels off, with plain
 * promises as with spawns). 10,000 children natively; 1,000 under qemu-user, where
 * each spawn is a full fork of the emulator (~15x slower; docs/DESIGN.md §7), and where RSS
 * is the emulator's own (its translation cache grows by ~10 MB as new code runs), so there the
 * JS heap's growth is checked instead.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { underEmulation } from "../helpers/emulation.ts";
import { FIXTURES } from "../helpers/live.ts";

test("10,000 children: all right, none left, no descriptor leaked, RSS growth under 5 MB", () => {
  const total = underEmulation() ? 1_000 : 10_000;
  const run = Bun.spawnSync([process.execPath, join(FIXTURES, "async-many.ts"), String(total)], { stdout: "pipe", stderr: "pipe", env: process.env });
  expect(run.stderr.toString()).toBe("");
  expect(run.exitCode).toBe(0);
  const report = JSON.parse(run.stdout.toString());
  expect(report).toMatchObject({ total, bad: 0, children: 0 });
  expect(report.fdGrowth).toBeLessThanOrEqual(0);
  expect(report.heapGrowthKiB).toBeLessThan(5 * 1024);
  if (!underEmulation()) expect(report.rssGrowthKiB).toBeLessThan(5 * 1024);
}, 600_000);
