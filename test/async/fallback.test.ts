/**
 * The fallback exit watch (every pending pid looked at on each SIGCHLD, for when pidfds are
 * unavailable: kernel < 5.3, seccomp) runs the same tests: test/async/waits.test.ts and the
 * lifecycle and run() tests again, in a `bun test` of their own with BUN_WAIT4_EXIT_WATCH=scan (the
 * watch is chosen once per process).
 */
import { expect, test } from "bun:test";
import { join } from "node:path";

test("waits, lifecycle and run() tests pass with BUN_WAIT4_EXIT_WATCH=scan", () => {
  const files = ["waits.test.ts", "lifecycle.test.ts", "../run/run.test.ts"].map((f) => join(import.meta.dir, f));
  const run = Bun.spawnSync([process.execPath, "test", "--timeout", "60000", ...files], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, BUN_WAIT4_EXIT_WATCH: "scan" },
  });
  const output = run.stdout.toString() + run.stderr.toString();
  const passed = Number(/^ *(\d+) pass$/m.exec(output)?.[1] ?? 0);
  const failed = Number(/^ *(\d+) fail$/m.exec(output)?.[1] ?? 0);
  expect({ failed, exitCode: run.exitCode }, output).toEqual({ failed: 0, exitCode: 0 });
  expect(passed).toBeGreaterThanOrEqual(30);
  expect(output).toContain("the mechanism in use after a wait is the one expected here");
}, 600_000);
