/**
 * Issue 14's soak: many spawn() calls with piped stdio, some streams never read, some
 * cancelled, some handles dropped, leave nothing behind (test/fixtures/spawn-soak.ts says how).
 * 10,000 natively (~40 s); under qemu-user, where each spawn costs ~30x, 400.
 */
import { expect, test } from "bun:test";
import { underEmulation } from "../helpers/emulation.ts";

const COUNT = Number(process.env.BUN_WAIT4_SOAK_COUNT ?? (underEmulation() ? 400 : 10_000));
const RSS_GROWTH_LIMIT = 5 * 1024 * 1024;

test(`${COUNT} spawn() calls: no descriptor, zombie or stray child left, RSS growth under 5 MB`, () => {
  const run = Bun.spawnSync([process.execPath, `${import.meta.dir}/../fixtures/spawn-soak.ts`, String(COUNT)], { stdout: "pipe", stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(run.exitCode).toBe(0);
  const soak = JSON.parse(run.stdout.toString());
  expect(soak.count).toBe(COUNT);
  expect(soak.dropped).toBeGreaterThan(COUNT / 5);
  expect(soak.zombies).toEqual([]);
  expect(soak.stray).toEqual([]);
  expect(soak.droppedStillThere).toEqual([]);
  expect(soak.fdsAfter).toBe(soak.fdsBefore);
  expect(soak.rssAfter - soak.rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
}, 600_000);
