/**
 * src/sys/process.ts: the pipes run() and the hand-off make. A process whose stdin or stdout is
 * closed gets a pipe end at 0 or 1; it is moved above 2 and must stay close-on-exec there, or
 * every child spawned meanwhile (by Bun.spawn too) would inherit it.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";

test("pipe(): with 0 and 1 closed, both ends land above 2 and stay close-on-exec", () => {
  // Closed in the fixture while it runs: Bun reopens a 0-2 closed at its start on /dev/null.
  const r = Bun.spawnSync([process.execPath, join(import.meta.dir, "../fixtures/pipe-low-fds.ts")], { stdout: "pipe", stderr: "pipe", env: process.env });
  const text = r.stderr.toString();
  expect(r.exitCode, text).toBe(0);
  const report = JSON.parse(text) as { bare: number[]; ends: { fd: number; cloexec: boolean }[]; inherited: number[] };
  // A pipe made there lands on 0 and 1: pipe() has them to move.
  expect(report.bare).toEqual([0, 1]);
  expect(report.ends).toHaveLength(2);
  for (const end of report.ends) expect(end.fd).toBeGreaterThan(2);
  expect(report.ends.map((e) => e.cloexec)).toEqual([true, true]);
  expect(report.inherited).toEqual([]);
});
