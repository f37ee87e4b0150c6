/**
 * Where the hand-off cannot start a command (no shell passes the probe; or the shell that passed
 * is gone, or dies at once, when a command needs a new one), the command is still run: spawned
 * directly, its result saying so (peakRssIsOwn false, a peakNote naming the shell) and its figure
 * then including this process's own peak. The command-line tool prints its usual report, and
 * where it cannot do what was asked (`--peak own`), a message and 125: never a stack trace.
 * Each case is a process of its own with BUN_WAIT4_HANDOFF_SHELL set, keeping no verdict.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Forker } from "../../src/run/forker/forker.ts";
import { handoffShell, handoffUnavailable } from "../../src/run/handoff.ts";
import { CLI, FIXTURES } from "../helpers/live.ts";

const BREAK = join(FIXTURES, "handoff-break.sh");
const dir = mkdtempSync(join(tmpdir(), "bun-wait4-fallback-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Where the hand-off cannot run at all (qemu-user), no command goes through a shell anyway. */
const handsOver = handoffUnavailable() === undefined;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}
function bun(args: string[], shell: string | undefined): Ran {
  const env = { ...process.env, BUN_WAIT4_CACHE: "off", BUN_WAIT4_HANDOFF_SHELL: shell };
  const r = Bun.spawnSync([process.execPath, ...args], { env, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

interface Recorded {
  label: string;
  exitCode: number | null;
  own: boolean;
  note: string | null;
  peakRssBytes: number;
  ownPeakBefore: number;
}
function fixture(mode: string, shell: string, link?: string): Recorded[] {
  const r = bun([join(FIXTURES, "handoff-fallback.ts"), mode, ...(link === undefined ? [] : [link])], shell);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

/** A plain spawn's result: it ran, says it was not handed over and why (naming `shell`), and its figure holds this process's peak. */
function expectPlain(r: Recorded, shell: string): void {
  expect(r).toMatchObject({ exitCode: 0, own: false });
  expect(r.note).toContain(shell);
  // exec folds the spawning process's high-water mark into the child's (docs/DESIGN.md §6)
  expect(r.peakRssBytes).toBeGreaterThanOrEqual(r.ownPeakBefore * 0.9);
}

/** A link to the shell the hand-off uses here: a shell that passes the probe, at a path the test can take away. */
function linkToShell(name: string): string {
  const chosen = handoffShell();
  if (typeof chosen === "string") throw new Error(`no hand-off here: ${chosen}`);
  const link = join(dir, name);
  symlinkSync(realpathSync(chosen.shell), link);
  return link;
}

const REPORT_SHAPE = (text: string) => text.replace(/\?%/g, "N%").replace(/\d+(\.\d+)?/g, "N");

describe.if(handsOver)("no shell passes the probe", () => {
  const missing = join(dir, "no-such-shell");
  for (const shell of [missing, "/bin/false"]) {
    test(`${shell === missing ? "a missing path" : shell}: run(), spawn().result and spawnSync().result run the command directly and say why`, () => {
      const results = fixture("no-shell", shell);
      expect(results.map((r) => r.label)).toEqual(["run", "spawn", "spawnSync"]);
      for (const r of results) expectPlain(r, shell);
    });
  }

  test("the command-line tool prints its usual report and the command's status", () => {
    const usual = bun([CLI, "true"], undefined);
    expect(usual.code).toBe(0);
    const plain = bun([CLI, "true"], missing);
    expect(plain).toMatchObject({ code: 0, stdout: "" });
    expect(REPORT_SHAPE(plain.stderr)).toBe(REPORT_SHAPE(usual.stderr));
    const failing = ["-f", "%x", "sh", "-c", "exit 3"];
    expect(bun([CLI, ...failing], "/bin/false")).toEqual(bun([CLI, ...failing], undefined));
    const json = bun([CLI, "--json", "true"], missing);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stderr);
    expect(report).toMatchObject({ exitCode: 0, peakRssIsOwn: false });
    expect(report.peakNote).toContain(missing);
  });

  test("the command-line tool with --peak own: one line naming the shell and status 125, nothing run, no stack trace", () => {
    const marker = join(dir, "ran");
    const r = bun([CLI, "--peak", "own", "sh", "-c", 'echo > "$0"', marker], missing);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith("bun-wait4: ")).toBe(true);
    expect(r.stderr).toContain(missing);
    expect(r.stderr.split("\n")).toEqual([r.stderr.trimEnd(), ""]);
    expect(Bun.file(marker).size).toBe(0);
  });
});

describe.if(handsOver)("the shell that passed the probe cannot serve later", () => {
  for (const how of ["remove", "exits"] as const) {
    const what = how === "remove" ? "is removed" : "is replaced by a script that exits at once";
    test(`it ${what}: the one-shot shell, the forker's restart, spawn() and spawnSync() fall back to a plain spawn`, () => {
      const link = linkToShell(`sh-${how}`);
      const results = fixture(`broken-later-${how}`, link, link);
      expect(results[0]).toMatchObject({ label: "break", exitCode: 0, own: true, note: null });
      const [, oneShot, ...later] = results;
      expectPlain(oneShot!, link);
      // The forker's ready spares still serve; once they are used up, its restart fails.
      const handed = later.filter((r) => r.own);
      expect(handed.length).toBeLessThanOrEqual(3);
      for (const r of handed) expect(r).toMatchObject({ exitCode: 0, note: null });
      expect(later.slice(-3).map((r) => r.label)).toEqual(["run", "spawn", "spawnSync"]);
      for (const r of later.slice(handed.length)) expectPlain(r, link);
      expect(later.slice(0, handed.length).every((r) => r.own)).toBe(true);
    });
  }

  test("the command-line tool's later runs (--repeat) report as usual, each exited 0", () => {
    const link = linkToShell("sh-cli");
    const r = bun([CLI, "--json", "--repeat", "5", "sh", BREAK, link, "remove"], link);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stderr);
    expect(report.failed).toEqual([]);
    const runs = report.runs as { exitCode: number; peakRssIsOwn: boolean; peakNote: string | null }[];
    expect(runs).toHaveLength(5);
    expect(runs[0]).toMatchObject({ exitCode: 0, peakRssIsOwn: true });
    // The first run killed the forker: once its spares are used up, every run is a plain spawn.
    expect(runs.at(-1)!.peakRssIsOwn).toBe(false);
    expect(runs.at(-1)!.peakNote).toContain(link);
  });
});

describe.if(handsOver)("a forker whose shell ends before its first batch", () => {
  test("take() throws: no spare is made up", () => {
    const shell = join(dir, "ends-soon");
    Bun.spawnSync(["sh", "-c", `printf '#!/bin/sh\\nsleep 0.05\\n' > "$0" && chmod +x "$0"`, shell]);
    const forker = Forker.start(shell);
    try {
      // The request is written while the shell still runs; its reports then end with no spare.
      expect(() => forker.take()).toThrow(forker.shell);
      expect(forker.failure).toBeInstanceOf(Error);
    } finally {
      forker.close();
    }
  });
});
