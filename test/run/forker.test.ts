/**
 * The hand-off's forker (src/run/forker/, docs/DESIGN.md §6) as a process of this process's:
 * nothing before the first command, nothing that holds the event loop, gone with this process
 * however it ends, replaced when it dies; and the environment a command gets is exactly the
 * one given, whatever a shell would read from it for itself.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeSync } from "node:fs";
import { POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, posix_spawnp, run, waitpid } from "../../src/index.ts";
import { LineReader } from "../../src/run/fd-reader.ts";
import { adoptSpares } from "../../src/run/forker/adopt.ts";
import { pipe } from "../../src/sys/process.ts";
import { closeHandoff, handoffRoute, handoffShell, handoffUnavailable, prepareHandoff } from "../../src/run/handoff.ts";
import { SHELL_VARIABLES } from "../../src/run/forker/shell-variables.ts";
import { FIXTURES } from "../helpers/live.ts";
import { childPids, isHandoffShell } from "../helpers/procfs.ts";

const dir = mkdtempSync(join(tmpdir(), "bun-wait4-forker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const handsOver = handoffUnavailable() === undefined;

/** The command line of `pid`, or undefined once it is gone. */
function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1");
  } catch {
    return undefined;
  }
}
/** Whether `pid` is gone or a zombie. */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}
/** Waits until `condition()` holds or `ms` have passed, looking every 10 ms. */
async function eventually(condition: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition() && performance.now() < deadline) await Bun.sleep(10);
}
/** Our children that are hand-off shells (the forker and its spares). */
function handoffChildren(): number[] {
  return [...childPids()].filter(isHandoffShell);
}

describe("the forker's life", () => {
  test("importing bun-wait4 and a synchronous call start no process", () => {
    const r = Bun.spawnSync([process.execPath, join(FIXTURES, "handoff-life.ts"), "import-only"], { stdout: "pipe", stderr: "pipe" });
    expect(r.stderr.toString()).toBe("");
    expect(JSON.parse(r.stdout.toString()).children).toEqual([]);
  });

  test.if(handsOver)("after its commands, a process ends at once: the forker holds nothing open", () => {
    const started = performance.now();
    const r = Bun.spawnSync([process.execPath, join(FIXTURES, "handoff-life.ts"), "runs-then-end"], { stdout: "pipe", stderr: "pipe" });
    const wholeMs = performance.now() - started;
    expect(r.stderr.toString()).toBe("");
    const report = JSON.parse(r.stdout.toString()) as { pid: number; children: number[]; ranAt: number };
    expect(report.children.length).toBeGreaterThan(0); // the forker (and a spare) were there
    expect(wholeMs).toBeLessThan(report.ranAt + 1500); // the process did not wait for them
    for (const pid of report.children) {
      const until = Date.now() + 3000;
      while (!gone(pid) && Date.now() < until) Bun.sleepSync(10);
      expect(gone(pid), `hand-off process ${pid} outlived its Bun`).toBe(true);
    }
  });

  test.if(handsOver)("a SIGKILLed Bun takes its forker and spares with it (end-of-file on their pipes)", async () => {
    const child = Bun.spawn([process.execPath, join(FIXTURES, "handoff-life.ts"), "runs-then-idle"], { stdout: "pipe", stderr: "pipe" });
    const reader = child.stdout.getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const report = JSON.parse(text) as { children: number[] };
    expect(report.children.length).toBeGreaterThan(0);
    child.kill("SIGKILL");
    await child.exited;
    for (const pid of report.children) {
      await eventually(() => gone(pid), 3000);
      expect(gone(pid), `hand-off process ${pid} outlived its SIGKILLed Bun`).toBe(true);
    }
  });

  test.if(handsOver)("a forker that dies is replaced, and spares that die while waiting are reaped, not left as zombies", async () => {
    await closeHandoff();
    await run(["true"]);
    await run(["true"]); // a second use keeps a spare ready
    await Bun.sleep(50);
    const shells = handoffChildren();
    expect(shells.length).toBeGreaterThanOrEqual(2); // the forker and at least one spare
    for (const pid of shells) process.kill(pid, "SIGKILL");
    await Bun.sleep(50);
    for (let i = 0; i < 3; i++) {
      const r = await run(["sh", "-c", "exit 7"]);
      expect(r).toMatchObject({ exitCode: 7, peakRssIsOwn: true, peakNote: null });
    }
    await Bun.sleep(50);
    for (const pid of shells) expect(existsSync(`/proc/${pid}`), `killed hand-off shell ${pid} not reaped`).toBe(false);
    await closeHandoff();
  });
});

describe("the pool, for a caller that times one command at a time (bun-wait4-bench)", () => {
  test.if(handsOver)("prepareHandoff(true) makes a spare ready before the command, and none is made while it runs; with false, the pool refills in the background again", async () => {
    closeHandoff();
    const fresh = (known: ReadonlySet<number>) => handoffChildren().filter((pid) => !known.has(pid));
    try {
      await run(["true"]); // first use: the shell's probes (and the env route's, where the environment needs it)
      prepareHandoff(true);
      const ready = new Set(handoffChildren()); // the forker and its ready spares
      expect(ready.size).toBeGreaterThanOrEqual(2);
      expect((await run(["true"])).peakRssIsOwn).toBe(true);
      await Bun.sleep(100); // a batch started in the background would have been adopted by now
      expect(fresh(ready)).toEqual([]); // spares may go (taken, trimmed), none is made
      prepareHandoff(false);
      const before = new Set(handoffChildren());
      await run(["true"]);
      await run(["true"]);
      await eventually(() => fresh(before).length > 0, 2000);
      expect(fresh(before).length).toBeGreaterThan(0);
    } finally {
      closeHandoff();
    }
  });
});

describe("the subreaper window", () => {
  test.if(handsOver)("a process orphaned during it (not a spare) becomes ours, and is reaped once it ends, not left a zombie", async () => {
    // An intermediate of our own with two children: one it reports as its spare, and one it does
    // not (as a background job whose shell ends just as a window is open).
    const [read, write] = pipe();
    const script = "sleep 30 & echo $!; sleep 0.3 & echo $!; exec sleep 30";
    const intermediate = posix_spawnp("sh", ["sh", "-c", script], process.env, {
      file_actions: [[POSIX_SPAWN_DUP2, write, 1], [POSIX_SPAWN_CLOSE, read]],
    });
    closeSync(write);
    const lines = new LineReader(read);
    const spare = Number(lines.next(performance.now() + 5000));
    const stray = Number(lines.next(performance.now() + 5000));
    closeSync(read);
    try {
      expect(adoptSpares({ intermediate, spares: new Map([[0, spare]]), trailer: undefined }, true)).toEqual([spare]);
      expect(childPids().has(stray)).toBe(true); // re-parented here, still sleeping
      await eventually(() => !existsSync(`/proc/${stray}`), 5000);
      expect(existsSync(`/proc/${stray}`)).toBe(false); // a zombie would still be listed
    } finally {
      process.kill(spare, "SIGKILL");
      waitpid(spare, 0);
    }
  });
});

describe("the environment, exactly as given, steering nothing", () => {
  const marker = join(dir, "sourced");
  const startup = join(dir, "startup.sh");

  /**
   * Values a shell would act on if it read them: start-up files (BASH_ENV, ENV, ZDOTDIR),
   * options (SHELLOPTS, BASHOPTS, POSIXLY_CORRECT), tracing (PS4 with xtrace), word splitting
   * (IFS), cd's search path (CDPATH); everything else in the shell-variables list gets an odd
   * value of its own.
   */
  function steeringEnv(): Record<string, string> {
    writeFileSync(startup, `echo sourced > ${marker}\n`);
    const env: Record<string, string> = { PATH: process.env.PATH! };
    SHELL_VARIABLES.forEach((name, i) => {
      if (name !== "PATH") env[name] = `${i} ${name} '"\\$\`x\n\tŁ€`;
    });
    return Object.assign(env, {
      BASH_ENV: startup,
      ENV: startup,
      ZDOTDIR: dir,
      SHELLOPTS: "xtrace:errexit:noclobber",
      BASHOPTS: "xpg_echo",
      POSIXLY_CORRECT: "1",
      PS4: "TRACED+ ",
      IFS: "/",
      CDPATH: "/",
      SHLVL: "41",
      _: "/the/underscore",
      PWD: "/not/the/cwd",
      OLDPWD: "/old",
    });
  }

  async function expectExactly(env: Record<string, string>) {
    for (const cwd of [undefined, dir]) {
      // cat by path: busybox's env (Alpine's /usr/bin/env), built to prefer its applets, would run
      // its own cat for a bare name, which the hand-off refuses (README); by path it goes through.
      const r = await run(["/bin/cat", "/proc/self/environ"], { env, stdout: "pipe", stderr: "pipe", cwd });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe(""); // no trace, no warning
      const seen = Object.fromEntries((r.stdout as string).split("\0").slice(0, -1).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
      expect(seen).toEqual(env);
      expect(r.peakRssIsOwn).toBe(true);
    }
    expect(existsSync(marker)).toBe(false); // no start-up file was read
  }

  // Names no shell could hold as a variable send the request through `env -i`.
  test.if(handsOver)("every variable a shell reads or sets for itself reaches the command as given, beside names no shell can hold (through env -i)", async () => {
    await expectExactly({ ...steeringEnv(), "DOTTED.NAME": "kept", "1LEADING_DIGIT": "kept", "with-dash": "kept", "sp ace": "kept" });
  });

  // Only names a shell can hold: a shell that sets the environment itself (dash, busybox, yash)
  // exports each one, and none of them may change what it does on the way to the exec. A name
  // the probe found the shell would change (dash's OPTIND) still goes through env -i, so it is
  // left out here; no more than a few may be.
  test.if(handsOver)("the same variables alone reach the command as given where the shell exports them itself", async () => {
    const env = steeringEnv();
    const shell = handoffShell();
    if (typeof shell === "string") throw new Error(`no hand-off shell: ${shell}`);
    if (shell.route === "direct") {
      const changed = Object.keys(env).filter((name) => handoffRoute([name]) !== "direct");
      expect(changed.length, `names ${shell.shell} would change: ${changed.join(" ")}`).toBeLessThanOrEqual(3);
      for (const name of changed) delete env[name];
      expect(handoffRoute(Object.keys(env)), `${shell.shell} sets these itself`).toBe("direct");
    }
    await expectExactly(env);
  });
});
