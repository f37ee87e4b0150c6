/**
 * What spawn() and spawnSync() add to Bun's interface (test/spawn/parity holds them to Bun's):
 * the command's own peak memory in resourceUsage().maxRSS (next to GNU time's for the same
 * command, and to Bun's own figure, which carries this process's peak), run()'s result, the
 * peak option, the options refused by name, and each option read exactly once.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PeakUnavailableError, spawn, spawnSync } from "../../src/index.ts";
import { handoffUnavailable } from "../../src/run/handoff.ts";
import { REFUSED_OPTIONS } from "../../src/run/spawn-options.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { counter, countingProxy } from "../helpers/hostile-spawn.ts";
import { childPids, isHandoffShell, ownPeakBytes } from "../helpers/procfs.ts";
import { thrown } from "../helpers/thrown.ts";

const ownPeak = handoffUnavailable() === undefined;
/** GNU time's %M (KiB) for argv, started from a small shell. */
const gnuKiB = (argv: string[]) => Number(Bun.spawnSync(["sh", "-c", 'exec /usr/bin/time -f %M "$@"', "sh", ...argv], { stderr: "pipe" }).stderr.toString().trim().split("\n").at(-1));
const runnerPeak = ownPeakBytes;
const ALLOC = ["python3", "-c", "b = bytearray(60 * 1024 * 1024)"];

describe("the command's own peak memory", () => {
  // This runner holds 300 MB more than it needs, so that a figure with its peak folded in shows.
  const ballast = Buffer.alloc(300 * 1024 * 1024, 1);

  test("spawn(): resourceUsage().maxRSS is the command's own (GNU time's within 10%), where Bun.spawn's carries this process's peak", async () => {
    const child = spawn(ALLOC, { stdout: "ignore" });
    expect(child.resourceUsage()).toBeUndefined(); // until it has exited, as Bun's
    await child.exited;
    const ours = child.resourceUsage()!.maxRSS;
    const bun = Bun.spawn(ALLOC, { stdout: "ignore" });
    await bun.exited;
    const theirs = gnuKiB(ALLOC) * 1024;
    expect(ballast.length).toBeGreaterThan(0);
    expect(bun.resourceUsage()!.maxRSS).toBeGreaterThanOrEqual(runnerPeak() * 0.9); // Bun's: our peak folded in
    if (!ownPeak) return void expect((await child.result).peakRssIsOwn).toBe(false);
    expect(Math.abs(ours - theirs) / theirs).toBeLessThan(0.1);
    expect(ours).toBeLessThan(runnerPeak() / 2);
    const result = await child.result;
    expect(result).toMatchObject({ peakRssIsOwn: true, peakNote: null, peakRssBytes: ours, exitCode: 0, signal: null });
  });

  test("spawnSync(): the same, and .result is run()'s result for the same child", () => {
    const r = spawnSync(ALLOC);
    const theirs = gnuKiB(ALLOC) * 1024;
    expect(r.exitCode).toBe(0);
    expect(r.result.exitCode).toBe(0);
    expect(r.result.pid).toBe(r.pid);
    expect(r.result.peakRssBytes).toBe(r.resourceUsage.maxRSS);
    if (!ownPeak) return void expect(r.result.peakRssIsOwn).toBe(false);
    expect(Math.abs(r.resourceUsage.maxRSS - theirs) / theirs).toBeLessThan(0.1);
  });

  test('peak: "plain" spawns directly: the figure carries this process\'s peak and says so', async () => {
    const child = spawn(["true"], { peak: "plain" });
    await child.exited;
    const result = await child.result;
    expect(result.peakRssIsOwn).toBe(false);
    if (underEmulation()) expect(result.peakRssBytes).toBeGreaterThan(50 * 1024 * 1024);
    else expect(result.peakRssBytes).toBeGreaterThanOrEqual(runnerPeak() * 0.9);
  });

  test("a #! script is handed over like a binary; a file the kernel cannot run is started directly, so it fails as Bun's does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bun-wait4-exec-format-"));
    try {
      writeFileSync(join(dir, "script"), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
      writeFileSync(join(dir, "bare"), "exit 3\n", { mode: 0o755 });
      const script = spawn([join(dir, "script")]);
      expect(await script.exited).toBe(3);
      expect((await script.result).peakRssIsOwn).toBe(ownPeak);
      // Under qemu-user posix_spawn is a fork: the exec failure is the child's exit 127 (DESIGN §7).
      if (underEmulation()) expect(await spawn([join(dir, "bare")]).exited).toBe(127);
      else expect((thrown(() => spawn([join(dir, "bare")])) as { code?: string }).code).toBe("ENOEXEC");
      const own = thrown(() => spawn([join(dir, "bare")], { peak: "own" })) as { code?: string; message: string };
      expect(own.code).toBe("ERR_BUN_WAIT4_PEAK_UNAVAILABLE");
      if (ownPeak) expect(own.message).toContain("neither an ELF file nor a #! script");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an unknown peak throws ERR_INVALID_ARG_VALUE listing every value, from spawn() and spawnSync()", () => {
    for (const start of [(options: object) => spawn(["true"], options), (options: object) => spawnSync(["true"], options)]) {
      expect(thrown(() => start({ peak: "mine" }))).toMatchObject({
        code: "ERR_INVALID_ARG_VALUE",
        message: `The argument 'peak' must be "own", "plain" or "auto". Received 'mine'`,
      });
    }
  });

  test('peak: "own" where the hand-off cannot be done throws ERR_BUN_WAIT4_PEAK_UNAVAILABLE and starts nothing', () => {
    const before = childPids();
    const error = thrown(() => spawn(["true"], { peak: "own", detached: true }));
    expect(error).toBeInstanceOf(PeakUnavailableError);
    expect(error).toMatchObject({ name: "Error", code: "ERR_BUN_WAIT4_PEAK_UNAVAILABLE" });
    // The reason: the detached child, or (qemu-user) the hand-off's own absence.
    expect((error as Error).message).toStartWith("bun-wait4: cannot start the command with its own peak memory: ");
    expect([...childPids()].filter((pid) => !before.has(pid) && !isHandoffShell(pid))).toEqual([]);
  });
});

describe("result: run()'s figures for the same child", () => {
  test("a death by signal: exit code XOR signal, names, JSON-safe, wall time", async () => {
    const child = spawn(["sleep", "30"], { stdout: "ignore" });
    child.kill("SIGKILL");
    expect(await child.exited).toBe(137);
    const result = await child.result;
    expect(result).toMatchObject({ exitCode: null, signal: 9, signalName: "SIGKILL", signalDescription: "Killed", shellExitCode: 137 });
    expect(JSON.parse(JSON.stringify(result)).rusage.ru_maxrss).toBe(result.rusage.ru_maxrss);
    expect(result.wallSeconds).toBeGreaterThan(0);
    expect(result).not.toHaveProperty("stdout"); // the streams are the caller's: nothing captured
  });

  test("a timeout and an abort say which ended it", async () => {
    const timedOut = await spawn(["sleep", "30"], { timeout: 50, stdout: "ignore" }).result;
    expect(timedOut).toMatchObject({ timedOut: true, canceled: false, signalName: "SIGTERM" });
    const controller = new AbortController();
    const child = spawn(["sleep", "30"], { signal: controller.signal, stdout: "ignore" });
    controller.abort();
    expect(await child.result).toMatchObject({ timedOut: false, canceled: true, signalName: "SIGTERM" });
  });
});

describe("options bun-wait4 does not do are refused by name, never ignored", () => {
  for (const [option, why] of Object.entries(REFUSED_OPTIONS)) {
    test(`${option}: ERR_INVALID_ARG_VALUE naming it, nothing started (spawn and spawnSync)`, () => {
      const before = [...childPids()].filter((p) => !isHandoffShell(p));
      for (const call of [spawn, spawnSync] as ((...a: unknown[]) => unknown)[]) {
        const error = thrown(() => call(["true"], { [option]: option === "lazy" ? true : 1 })) as { code?: string; message?: string };
        expect(error.code).toBe("ERR_INVALID_ARG_VALUE");
        expect(error.message).toContain(option);
        expect(error.message).toContain(why.slice(0, 20));
      }
      expect([...childPids()].filter((p) => !isHandoffShell(p))).toEqual(before);
    });
  }
  test("an option Bun does not have either: refused, not ignored", () => {
    expect((thrown(() => spawn(["true"], { stdout: "ignore", stdoutt: "pipe" } as never)) as { code?: string }).code).toBe("ERR_INVALID_ARG_VALUE");
  });
});

describe("each option is read exactly once", () => {
  test("spawn and spawnSync read every option and every env variable once", async () => {
    for (const call of ["spawn", "spawnSync"] as const) {
      const c = counter();
      const envReads = counter();
      const env = countingProxy({ PATH: process.env.PATH!, A: "1" }, envReads);
      const options = countingProxy({ cmd: ["sh", "-c", "echo $A"], env, stdout: "pipe", stderr: "ignore", timeout: 10_000, killSignal: "SIGTERM" }, c);
      if (call === "spawn") {
        const child = spawn(options as never);
        expect(await (child.stdout as ReadableStream).text()).toBe("1\n");
        await child.exited;
      } else {
        expect(spawnSync(options as never).stdout!.toString()).toBe("1\n");
      }
      for (const [key, reads] of Object.entries(c.reads())) expect(reads, `${call} read option ${key}`).toBe(1);
      for (const [key, reads] of Object.entries(envReads.reads())) expect(reads, `${call} read env ${key}`).toBe(1);
      expect(Object.keys(envReads.reads())).toContain("get A");
    }
  });

  test("every other option, each item of cmd and each slot of stdio are read once too", async () => {
    const dir = realpathSync(tmpdir());
    for (const call of ["spawn", "spawnSync"] as const) {
      const optionReads = counter();
      const cmdReads = counter();
      const stdioReads = counter();
      // argv0 "sh": busybox as /bin/sh picks its applet by argv[0].
      const cmd = countingProxy(["sh", "-c", "pwd -P; cat"], cmdReads);
      const stdio = countingProxy([new TextEncoder().encode("fed\n"), "pipe", "ignore"], stdioReads);
      const given: Record<string, unknown> = {
        cmd, cwd: dir, stdio, maxBuffer: 1_000_000, argv0: "sh", detached: false, windowsHide: false, windowsVerbatimArguments: false, peak: "plain", killSignal: 15,
      };
      if (call === "spawn") Object.assign(given, { onExit: () => {}, signal: new AbortController().signal, timeout: 10_000 });
      const options = countingProxy(given, optionReads);
      const out =
        call === "spawn"
          ? await (async () => {
              const child = spawn(options as never);
              const text = await (child.stdout as ReadableStream).text();
              await child.exited;
              return text;
            })()
          : spawnSync(options as never).stdout!.toString();
      expect(out).toBe(`${dir}\nfed\n`);
      for (const [name, c] of [["option", optionReads], ["cmd", cmdReads], ["stdio", stdioReads]] as const) {
        for (const [key, reads] of Object.entries(c.reads())) expect(reads, `${call} read ${name} ${key}`).toBe(1);
      }
      for (const key of Object.keys(given)) expect(optionReads.reads(), `${call} read option ${key}`).toHaveProperty(`get ${key}`);
      expect(Object.keys(cmdReads.reads())).toEqual(expect.arrayContaining(["get 0", "get 1", "get 2"]));
      expect(Object.keys(stdioReads.reads())).toEqual(expect.arrayContaining(["get 0", "get 1", "get 2"]));
    }
  });
});
