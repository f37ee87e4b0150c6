/**
 * The first calls into bun-wait4 with no free descriptor (EMFILE) behave as later calls do:
 * what loads on first use (docs/DESIGN.md §4.5: bun:ffi, each group of C functions, the C
 * library's own table) must read no file. Runs test/fixtures/first-use-emfile.ts as its own
 * process under `prlimit --nofile=64:64` (util-linux), which then fills the table; from the
 * sources and from the built library, whose parts are other files (scripts/build.ts).
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { libc } from "../../src/ffi/load.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { FIXTURES, withDescriptorLimit } from "../helpers/live.ts";

const ENTRIES = [
  ["the sources", join(import.meta.dir, "..", "..", "src", "index.ts")],
  ["the built library (dist/lib)", join(import.meta.dir, "..", "..", "dist", "lib", "index.js")],
] as const;

test.each(ENTRIES)("%s: with the descriptor table full, the first wait, getrusage, W* call and spawn do what they do later", (_, entry) => {
  const run = Bun.spawnSync([...withDescriptorLimit(64), process.execPath, join(FIXTURES, "first-use-emfile.ts"), entry], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: underEmulation() ? 120_000 : 15_000,
  });
  expect({ exitCode: run.exitCode, stderr: run.stderr.toString() }).toEqual({ exitCode: 0, stderr: "" });
  const report = JSON.parse(run.stdout.toString());
  expect(report.stoppedBy).toBe("EMFILE"); // the condition is real
  expect(report.waitpid).toMatchObject({ error: "SystemError", code: "ECHILD", message: "ECHILD: no child processes, waitpid" });
  expect(report.getrusage).toEqual({ value: true });
  expect(report.WIFEXITED).toEqual({ value: true });
  expect(report.decodeStatus).toEqual({ value: { kind: "signaled", signal: 9, signalName: "SIGKILL", coreDumped: false } });
  // glibc's posix_spawn needs no descriptor; musl's opens a pipe (to hear of an exec failure),
  // so there the C library's own EMFILE is the right answer — never a failure to load our code.
  if (libc.abi.libc === "glibc" && !underEmulation()) expect(report.spawn).toEqual({ value: 3 });
  else expect([{ value: 3 }, { error: "SystemError", code: "EMFILE" }]).toContainEqual(report.spawn.value === 3 ? report.spawn : { error: report.spawn.error, code: report.spawn.code });
  // run() reads its code on its first call: with no descriptor it rejects saying so.
  expect(report.run).toEqual({ value: "a promise" });
  if (report.runOutcome.value !== 4) expect(report.runOutcome.message).toContain("EMFILE");
});
