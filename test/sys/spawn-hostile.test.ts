/**
 * posix_spawn against hostile but legal callers (issue 8): iterators that disagree with
 * indices, Proxies whose reads change, getters that change after k reads, own methods
 * shadowing Array.prototype, sparse arrays, non-plain objects as env, boxed primitives and
 * lone surrogates. Each case runs in a Bun process of its own (test/fixtures/spawn-hostile.ts),
 * so a crash fails that case; a spawned child's /proc cmdline and environ are compared byte
 * for byte with what the case says the child must get.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HOSTILE_CASES } from "../helpers/hostile-spawn.ts";
import { FIXTURES } from "../helpers/live.ts";

const root = mkdtempSync(join(tmpdir(), "bun-wait4-hostile-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  exitCode: number | null;
  signalCode: string | null;
  stderr: string;
  report?: {
    outcome: { spawned: true } | { spawned: false; name: string; code: unknown; message: string };
    reads: Record<string, number>;
    cmdline?: string;
    environ?: string;
    reaped?: boolean;
    otherChild: number | null | string;
  };
}

const runs = new Map<string, Run>();
const dirs = new Map<string, string>();

beforeAll(async () => {
  // Four fixture processes at a time.
  const queue = HOSTILE_CASES.map((c, i) => ({ c, dir: join(root, String(i)) }));
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      mkdirSync(next.dir);
      dirs.set(next.c.name, next.dir);
      const proc = Bun.spawn([process.execPath, join(FIXTURES, "spawn-hostile.ts"), next.c.name, next.dir], {
        cwd: next.dir,
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
      await proc.exited;
      let report: Run["report"];
      try {
        report = JSON.parse(stdout);
      } catch {}
      runs.set(next.c.name, { exitCode: proc.exitCode, signalCode: proc.signalCode === null ? null : String(proc.signalCode), stderr, report });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}, 600_000);

/** NUL-separated strings of a /proc file, as base64. */
const nulList = (base64: string): string[] => {
  const text = Buffer.from(base64, "base64").toString("utf8");
  return text === "" ? [] : text.replace(/\0$/, "").split("\0");
};

describe("posix_spawn with hostile arguments (each case in its own Bun process)", () => {
  for (const c of HOSTILE_CASES) {
    test(c.name, () => {
      const run = runs.get(c.name)!;
      // A crash (segfault, panic) shows here as a signal or a non-zero exit without a report.
      expect({ exitCode: run.exitCode, signalCode: run.signalCode }, run.stderr).toEqual({ exitCode: 0, signalCode: null });
      const report = run.report!;
      expect(report, run.stderr).toBeDefined();
      const dir = dirs.get(c.name)!;
      if (c.expect.kind === "throws") {
        expect(report.outcome).toMatchObject({ spawned: false, name: c.expect.name, code: c.expect.code });
        expect((report.outcome as { message: string }).message).toContain(c.expect.mention);
        expect(report.cmdline).toBeUndefined();
      } else {
        expect(report.outcome).toEqual({ spawned: true });
        expect(nulList(report.cmdline!)).toEqual([...c.expect.argv]);
        expect(nulList(report.environ!)).toEqual([...c.expect.env]);
        expect(report.reaped).toBe(true);
        for (const file of c.expect.creates ?? []) expect(existsSync(join(dir, file)), file).toBe(true);
        for (const file of c.expect.notCreated ?? []) expect(existsSync(join(dir, file)), file).toBe(false);
      }
      expect(report.otherChild).toBeNull();
      for (const [name, count] of Object.entries(c.reads ?? {})) {
        expect(Object.hasOwn(report.reads, name) ? report.reads[name] : 0, name).toBe(count);
      }
    });
  }
});
