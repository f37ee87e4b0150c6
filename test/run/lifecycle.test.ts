/**
 * run() and the life of a Bun process, each in a process of its own
 * (test/fixtures/run-lifecycle.ts): a pending run keeps the process alive until the child is
 * reaped; a process that already is a child subreaper stays one, and one that is not is not
 * one after a hand-off; an abort that comes during the hand-off still cancels the command.
 * And, in this process: a pending run never blocks the event loop.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { run, type RunOptions } from "../../src/index.ts";
import { handoffUnavailable } from "../../src/run/handoff.ts";
import { FIXTURES } from "../helpers/live.ts";

function fixture(mode: string): { code: number | null; stdout: string; stderr: string } {
  const r = Bun.spawnSync([process.execPath, join(FIXTURES, "run-lifecycle.ts"), mode], { stdout: "pipe", stderr: "pipe", env: process.env });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

test("a pending run() (not awaited, nothing else pending) keeps the process alive until its child is reaped", () => {
  const r = fixture("pending");
  expect(r.stderr).toBe("");
  const report = JSON.parse(r.stdout);
  expect(report.exitCode).toBe(0);
  expect(report.waitedMs).toBeGreaterThanOrEqual(450);
});

test("output that overflows maxBuffer after the command was reaped rejects, and leaves no kill timer holding the process", () => {
  const started = performance.now();
  const r = fixture("overflow-after-exit");
  const wholeMs = performance.now() - started;
  expect(r.stderr).toBe("");
  const report = JSON.parse(r.stdout);
  expect(report.error).toEqual({ code: "ERR_CHILD_PROCESS_STDIO_MAXBUFFER", exitCode: 0 });
  // forceKillAfter is 10 s: a timer started after the reap would keep the process that long.
  expect(wholeMs).toBeLessThan(report.rejectedMs + 5000);
});

test("a process that already is a child subreaper stays one, and its runs are right", () => {
  const r = fixture("subreaper");
  if (handoffUnavailable() !== undefined) {
    // qemu-user refuses the prctl: the fixture's own set fails, which is what it reports
    expect(r.stderr).toContain("prctl");
    return;
  }
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({ flag: true, codes: [0, 4], own: [true, true] });
});

test("the child-subreaper flag is off again after run() (forker and one-shot), spawn() and spawnSync() hand a command over", () => {
  const r = fixture("subreaper-off");
  expect(r.stderr).toBe("");
  const { flags, own } = JSON.parse(r.stdout);
  if (handoffUnavailable() !== undefined) {
    // qemu-user refuses the prctl: there is no flag to read, and nothing is handed over
    expect(Object.values(flags).every((f) => f === undefined)).toBe(true);
    return;
  }
  expect(flags).toEqual({ before: false, run: false, oneShot: false, spawn: false, spawnResult: false, spawnSync: false });
  expect(own).toEqual({ run: true, oneShot: true, spawn: true, spawnSync: true });
});

test("an abort during the hand-off still cancels the command (it is killed and reaped)", () => {
  const r = fixture("abort-early");
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({ canceled: true, signalName: "SIGTERM" });
});

test("a pending run() never blocks the event loop: a 10 ms interval keeps ticking through `sleep 0.3` (stdout inherited, then piped)", async () => {
  for (const options of [{}, { stdout: "pipe" }] as RunOptions[]) {
    let ticks = 0;
    const interval = setInterval(() => ticks++, 10);
    try {
      const r = await run(["sleep", "0.3"], options);
      expect(r.exitCode).toBe(0);
    } finally {
      clearInterval(interval);
    }
    // ~30 when idle; a blocking wait (or hand-off, or read of the pipe) gives 0 or 1.
    expect(ticks, JSON.stringify(options)).toBeGreaterThanOrEqual(10);
  }
});
