// The README's example of run() in a bun test, as printed there (so the example stays true).
import { expect, test } from "bun:test";
import { run } from "../../src/index.ts";
import { handoffUnavailable } from "../../src/run/handoff.ts";

test("the CLI prints its version within budget", async () => {
  const r = await run(["node", "--version"], { stdout: "pipe", timeout: 10_000 });
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toMatch(/^v\d+\.\d+\.\d+\n$/);
  expect(r.peakRssIsOwn).toBe(handoffUnavailable() === undefined); // README: true (qemu-user: false)
  // README: always. Under qemu-user the figure includes this process's peak (peakRssIsOwn false).
  if (r.peakRssIsOwn) expect(r.peakRssBytes).toBeLessThan(100 * 1024 * 1024);
  expect(r.wallSeconds).toBeLessThan(5);
});
