// Code written against Bun's types takes bun-wait4's functions where Bun's are expected: the
// assignments below are checked by `tsc --noEmit` (CI's type check), so a signature that drifts
// from bun-types' breaks the build, and the calls check that the same code then runs.
import { expect, test } from "bun:test";
import { spawn, spawnSync } from "../../src/index.ts";

/** A helper as a Bun user writes it: it is handed Bun.spawn's type, not ours. */
async function firstLine(run: typeof Bun.spawn, argv: string[]): Promise<string> {
  const child = run(argv, { stdout: "pipe", stderr: "ignore" });
  const [text] = await Promise.all([child.stdout.text(), child.exited]);
  return text.split("\n")[0]!;
}

function exitOf(run: typeof Bun.spawnSync, argv: string[]): number {
  return run({ cmd: argv, stdout: "ignore" }).exitCode;
}

test("spawn and spawnSync stand where Bun.spawn and Bun.spawnSync are typed", async () => {
  const asSpawn: typeof Bun.spawn = spawn;
  const asSpawnSync: typeof Bun.spawnSync = spawnSync;
  expect(await firstLine(asSpawn, ["sh", "-c", "echo first; echo second"])).toBe(await firstLine(Bun.spawn, ["sh", "-c", "echo first; echo second"]));
  expect(exitOf(asSpawnSync, ["sh", "-c", "exit 7"])).toBe(exitOf(Bun.spawnSync, ["sh", "-c", "exit 7"]));
});
