// resourceUsage(): undefined until the exit, then Bun's ResourceUsage shape with its units
// (cpuTime in microseconds as bigint, maxRSS in bytes); spawnSync's resourceUsage likewise.
// Bun's suite checks only that the field is there (spawnAndWait, spawn_waiter_thread); the
// shape and units are what bun-types and the docs page document. Catalogue: docs/SPAWN-PARITY.md.
import { describe, expect, test } from "bun:test";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { BUN, QUIET, sh, SLEEPER } from "../../helpers/spawn-probes.ts";

const MiB = 1024 * 1024;

/** Checks every field of a ResourceUsage for its type (and cpuTime's total for its sum). */
function expectResourceUsageShape(usage: Bun.ResourceUsage | undefined): void {
  expect(usage).toBeDefined();
  const { cpuTime, contextSwitches, messages, ops } = usage!;
  expect([typeof cpuTime.user, typeof cpuTime.system, typeof cpuTime.total]).toEqual(["bigint", "bigint", "bigint"]);
  expect(cpuTime.total).toBe(cpuTime.user + cpuTime.system);
  for (const value of [
    usage!.maxRSS,
    contextSwitches.voluntary,
    contextSwitches.involuntary,
    messages.sent,
    messages.received,
    ops.in,
    ops.out,
    usage!.shmSize,
    usage!.signalCount,
    usage!.swapCount,
  ]) {
    expect(Number.isInteger(value) && value >= 0).toBe(true);
  }
}

describe.each(implementations)("$name", ({ spawn, spawnSync }) => {
  test("undefined while the child runs, the full shape once it has exited", async () => {
    const child = spawn(SLEEPER, QUIET);
    expect(child.resourceUsage()).toBeUndefined();
    child.kill();
    await child.exited;
    expectResourceUsageShape(child.resourceUsage());
    expectResourceUsageShape(spawnSync(["true"]).resourceUsage);
  });

  test.concurrent("maxRSS is in bytes: a child that touches 64 MiB reports at least that, and not a thousand times more", async () => {
    const touch64 = [BUN, "-e", "const b = Buffer.alloc(64 * 1024 * 1024, 1); console.log(b[b.length - 1])"];
    const child = spawn(touch64, { stdout: "pipe" });
    expect(await child.stdout.text()).toBe("1\n");
    await child.exited;
    const { maxRSS } = child.resourceUsage()!;
    expect(maxRSS).toBeGreaterThanOrEqual(64 * MiB);
    expect(maxRSS).toBeLessThan(64 * 1024 * MiB);
    const sync = spawnSync(touch64);
    expect(sync.resourceUsage.maxRSS).toBeGreaterThanOrEqual(64 * MiB);
    expect(sync.resourceUsage.maxRSS).toBeLessThan(64 * 1024 * MiB);
  });

  test.concurrent("cpuTime is in microseconds: a child that computes for a while reports tens of thousands", async () => {
    const busy = sh("i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done");
    const child = spawn(busy, QUIET);
    await child.exited;
    const { cpuTime } = child.resourceUsage()!;
    expect(cpuTime.total).toBeGreaterThanOrEqual(20_000n);
    expect(cpuTime.total).toBeLessThan(600_000_000n);
    expect(cpuTime.user).toBeGreaterThan(0n);
  });

  test("a child that sleeps reports voluntary context switches and little CPU", async () => {
    const child = spawn(["sleep", "0.05"], QUIET);
    await child.exited;
    const usage = child.resourceUsage()!;
    expect(usage.contextSwitches.voluntary).toBeGreaterThanOrEqual(1);
    expect(usage.cpuTime.total).toBeLessThan(40_000n);
  });
});
