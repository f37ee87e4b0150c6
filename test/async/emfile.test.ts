/**
 * A real pidfd_open failure: with the descriptor table full (EMFILE) the child gets no pidfd,
 * so its wait falls back to a look on every SIGCHLD (README, "How."; docs/DESIGN.md §9) — and
 * still resolves with the child's status, without blocking the event loop, leaving no zombie,
 * no descriptor and no SIGCHLD listener behind. Runs test/fixtures/async-emfile.ts as its own
 * process under `prlimit --nofile=256:256` (util-linux), which then fills the table with /dev/null.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { underEmulation } from "../helpers/emulation.ts";
import { FIXTURES, withDescriptorLimit } from "../helpers/live.ts";

/** Generous: the fixture takes ~0.4 s natively; a wait that never settles is killed here. */
const deadlineMs = underEmulation() ? 120_000 : 15_000;

function runFixture(mode: "warm" | "cold") {
  const run = Bun.spawnSync([...withDescriptorLimit(256), process.execPath, join(FIXTURES, "async-emfile.ts"), mode], {
    stdout: "pipe",
    stderr: "pipe",
    env: process.env,
    timeout: deadlineMs,
  });
  const output = `${run.stdout}${run.stderr}`;
  expect({ exitCode: run.exitCode, signalCode: run.signalCode ?? null }, output).toEqual({ exitCode: 0, signalCode: null });
  return JSON.parse(run.stdout.toString());
}

/** What both cases must show once the wait is done. */
function expectFellBack(report: Record<string, unknown>) {
  // The condition is real: the table was full and pidfd_open itself failed.
  expect(report).toMatchObject({ stoppedBy: "EMFILE", pidfdOpen: "EMFILE" });
  expect(report.held as number).toBeGreaterThan(200);
  expect(report).toMatchObject({ outcome: "resolved", pidMatches: true, exitCode: 7 });
  // The child sleeps 0.3 s; a 10 ms interval kept firing meanwhile (a blocking wait gives 0).
  expect(report.ticks as number).toBeGreaterThanOrEqual(5);
  expect(report).toMatchObject({ children: 0, fdsLeft: [], sigchldListenersAfterWait: 0, sigchldListeners: 0 });
  expect(report.epollSets as number).toBeLessThanOrEqual(1);
}

test("EMFILE at pidfd_open (epoll set already open): the wait falls back, resolves with the status, the loop keeps ticking, nothing leaks", () => {
  const report = runFixture("warm");
  expectFellBack(report);
  expect(report.epollSets).toBe(1); // the warm-up's set, kept for the life of the process
}, deadlineMs + 10_000);

// With the table full before the process's first async wait, epoll_create1 itself fails with
// EMFILE: that too must cost this pid its watch only, not reject the wait, and the wake's hold
// must still be released (else the process never exits).
test("EMFILE before the first async wait (no epoll set yet): the wait still falls back and resolves", () => {
  expectFellBack(runFixture("cold"));
}, deadlineMs + 10_000);
