/**
 * Under a low limit on open descriptors (RLIMIT_NOFILE) a command's status is its own. A spare
 * shell that runs out of descriptors before its exec exits with its own status (dash 2, zsh and
 * busybox 1), which would read as the command's; so where the limit leaves a shell too few, the
 * command is started directly and run() says why in peakNote (docs/DESIGN.md §6.1). Each case is
 * a fresh process under `prlimit --nofile=N:N`, after a run without the limit kept the shell's
 * verdict, so no probe stands between (the probe would see the shell fail).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { handoffUnavailable } from "../../src/run/handoff.ts";
import { CLI, withDescriptorLimit } from "../helpers/live.ts";

const ROOT = join(import.meta.dir, "..", "..");
/** Where the hand-off cannot run at all (qemu-user), run() never uses it, low limit or not. */
const handsOver = handoffUnavailable() === undefined;
const SHELLS = ["/usr/bin/dash", "/usr/bin/zsh", "/usr/bin/busybox", "/bin/bash"].filter((shell) => Bun.which(shell) !== null);

function limited(limit: number | undefined, argv: string[], shell: string): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, BUN_WAIT4_HANDOFF_SHELL: shell };
  const prefix = limit === undefined ? [] : withDescriptorLimit(limit);
  const r = Bun.spawnSync([...prefix, process.execPath, ...argv], { env, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const RUN_TRUE = `const { run } = await import(${JSON.stringify(join(ROOT, "src", "index.ts"))});
const r = await run(["/bin/sh", "-c", "exit 0"]); // a path: some env(1)s do not look a name up (busybox)
console.log(JSON.stringify({ exitCode: r.exitCode, own: r.peakRssIsOwn, note: r.peakNote }));`;

describe.each(SHELLS)("with %s as the hand-off's shell", (shell) => {
  test("the command-line tool reports the command's status at every low limit", () => {
    // The verdict for this shell, kept for the limited runs below.
    expect(limited(undefined, [CLI, "-f", "%x", "sh", "-c", "exit 0"], shell)).toEqual({ code: 0, stdout: "", stderr: "0\n" });
    for (const limit of [12, 14, 16, 18, 20, 24]) {
      expect({ limit, ...limited(limit, [CLI, "-f", "%x", "sh", "-c", "exit 0"], shell) }).toEqual({ limit, code: 0, stdout: "", stderr: "0\n" });
    }
  });

  test.if(handsOver)("run() under a limit of 16 starts the command directly and says why; under 64 it hands it over", () => {
    expect(limited(undefined, ["-e", RUN_TRUE], shell).code).toBe(0);
    const low = limited(16, ["-e", RUN_TRUE], shell);
    expect(low.stderr).toBe("");
    const lowResult = JSON.parse(low.stdout);
    expect(lowResult).toMatchObject({ exitCode: 0, own: false });
    expect(lowResult.note).toContain("the limit of 16 open descriptors");
    const enough = JSON.parse(limited(64, ["-e", RUN_TRUE], shell).stdout);
    expect(enough).toEqual({ exitCode: 0, own: true, note: null });
  });
});
