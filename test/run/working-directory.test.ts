/**
 * A command starts in this process's working directory as it is at the call, as with Bun.spawn:
 * also after process.chdir(), when the hand-off's forker and its spares started elsewhere
 * (docs/DESIGN.md §6.1), and when the directory was renamed or removed since. Each case runs in a
 * fresh process (process.chdir() would move the test runner too), and is checked against Bun's
 * own spawn in the same process.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const scratch = realpathSync(mkdtempSync(join(tmpdir(), "bun-wait4-cwd-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `body` in a fresh Bun with run, spawn and spawnSync imported; returns what it prints. */
function inFreshBun(body: string): unknown {
  const script = `const { run, spawn, spawnSync } = await import(${JSON.stringify(join(ROOT, "src", "index.ts"))});
const fs = require("node:fs");
// What each way of starting a command sees as its directory (the kernel's view, not $PWD; no
// shell, which would complain on stderr of a removed directory).
const where = ["readlink", "/proc/self/cwd"];
const seen = async () => ({
  run: (await run(where, { stdout: "pipe" })).stdout.trim(),
  spawn: (await new Response(spawn(where, { stdout: "pipe" }).stdout).text()).trim(),
  spawnSync: spawnSync(where).stdout.toString().trim(),
  bun: Bun.spawnSync(where).stdout.toString().trim(),
});
${body}`;
  const r = Bun.spawnSync([process.execPath, "-e", script], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(r.stderr.toString()).toBe("");
  return JSON.parse(r.stdout.toString());
}

test("after process.chdir(), every command starts in the new directory", () => {
  const moved = join(scratch, "moved");
  const report = inFreshBun(`
    const before = await seen(); // the forker starts here, in the repository
    fs.mkdirSync(${JSON.stringify(moved)});
    process.chdir(${JSON.stringify(moved)});
    console.log(JSON.stringify({ before, after: await seen(), again: await seen() }));`);
  const everywhere = (dir: string) => ({ run: dir, spawn: dir, spawnSync: dir, bun: dir });
  expect(report).toEqual({ before: everywhere(ROOT), after: everywhere(moved), again: everywhere(moved) });
});

test("a directory renamed or removed since the chdir is still the one the command starts in", () => {
  const first = join(scratch, "first");
  const renamed = join(scratch, "renamed");
  const removed = join(scratch, "removed");
  const report = inFreshBun(`
    await seen();
    fs.mkdirSync(${JSON.stringify(first)});
    process.chdir(${JSON.stringify(first)});
    fs.renameSync(${JSON.stringify(first)}, ${JSON.stringify(renamed)});
    const afterRename = await seen();
    fs.mkdirSync(${JSON.stringify(removed)});
    process.chdir(${JSON.stringify(removed)});
    fs.rmdirSync(${JSON.stringify(removed)});
    const afterRemoval = await seen();
    console.log(JSON.stringify({ afterRename, afterRemoval }));`);
  const everywhere = (dir: string) => ({ run: dir, spawn: dir, spawnSync: dir, bun: dir });
  expect(report).toEqual({ afterRename: everywhere(renamed), afterRemoval: everywhere(`${removed} (deleted)`) });
});
