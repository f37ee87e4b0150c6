/**
 * Our by-pid waits next to Bun's own child handling: while Bun.spawn children run,
 * posix_spawnp children are reaped with waitpid(pid, 0), and Bun must still see every
 * one of its children exit normally. Reaping a Bun child would make Bun throw an
 * uncaught ECHILD (docs/DESIGN.md §5.2), so "nothing throws, every exited resolves" is the check.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { posix_spawnp, waitpid, WEXITSTATUS, WIFEXITED } from "../../src/index.ts";
import { killAndReap, runBunFixture } from "../helpers/live.ts";

// Live children, CPython and fixture subprocesses: slow CI and qemu runs need more than
// bun's 5 s default (bunfig.toml's [test] timeout is not a setting bun reads).
setDefaultTimeout(60_000);

test("5 posix_spawnp children reaped by pid while 5 Bun.spawn children run; all of Bun's exit 0", async () => {
  const theirs = Array.from({ length: 5 }, () =>
    Bun.spawn(["sleep", "0.2"], { stdio: ["ignore", "ignore", "ignore"] }),
  );
  const mine = Array.from({ length: 5 }, (_, i) => posix_spawnp("sh", ["sh", "-c", `sleep 0.05; exit ${10 + i}`], process.env));
  try {
    const results = mine.map((pid) => waitpid(pid, 0));
    results.forEach(([got, status], i) => {
      expect(got).toBe(mine[i]!);
      expect(WIFEXITED(status)).toBe(true);
      expect(WEXITSTATUS(status)).toBe(10 + i);
    });
    // Bun's children were still running while we waited (they sleep 4x longer) …
    const codes = await Promise.all(theirs.map((child) => child.exited));
    // … and Bun reaped every one of them itself.
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    for (const child of theirs) {
      expect(child.exitCode).toBe(0);
      expect(child.signalCode).toBeNull();
    }
  } finally {
    for (const pid of mine) killAndReap(pid);
    for (const child of theirs) child.kill();
    await Promise.all(theirs.map((child) => child.exited));
  }
});

test("20 rounds of the same in a fresh bun process exit 0 with no error", () => {
  const run = runBunFixture("live-coexist.ts", ["20", "5", "0.1", "0.02"]);
  expect(run.stderr).toBe("");
  expect(run.stdout.trim()).toBe("ok 20");
  expect(run.signalCode).toBeNull();
  expect(run.exitCode).toBe(0);
});
