/**
 * EINTR is retried inside the call (docs/DESIGN.md §2, PEP 475). Bun's own signal handlers use
 * SA_RESTART (docs/DESIGN.md §5.5), so a JS signal listener never makes a wait fail with EINTR;
 * this test makes EINTR happen for real, in a separate bun process
 * (fixtures/eintr-retry.ts): a C handler for SIGUSR2 installed without SA_RESTART
 * (fixtures/eintr-handler.c, compiled here with gcc), and a python3 helper
 * (fixtures/eintr-signal-stream.py) that tgkill()s the fixture's main thread every ~2 ms.
 * A raw bun:ffi wait4 declared in the fixture proves the stream produces EINTR; the
 * library's wait4, waitpid, waitid and wait must then return the child's real result.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fixtures = join(import.meta.dir, "..", "fixtures");
// glibc bits/waitstatus.h: exit code in bits 8-15, low 7 bits 0 for a normal exit.
const EXITED_7 = 7 << 8;
// include/uapi/asm-generic/siginfo.h and signal.h.
const CLD_EXITED = 1;
const SIGCHLD = 17;

interface Reaped {
  spawned: number;
  first: number;
  firstErrno: number;
  pid: number;
  status: number;
  eintrs: number;
}
interface Outcome {
  fn: string;
  spawned: number;
  delivered: number;
  result?: Record<string, number>;
  error?: unknown;
}
interface Report {
  uid: number;
  installed: number;
  hasRestart: number;
  streamRunningBefore: boolean;
  raw: Reaped & { delivered: number };
  rawAfter: Reaped;
  library: Outcome[];
  helper: { spawned: number; reaped: { pid?: number; status?: number; error?: unknown } };
  stream: { sent?: number; failed?: number; error?: unknown };
  totalDelivered: number;
  leftover: { result?: unknown; error?: { code?: unknown } };
}

let dir = "";
let report: Report;

/** A C compiler for the architecture this bun runs as (a cross compiler when emulated). */
function compilerForThisArch(): string {
  const machine = process.arch === "arm64" ? "aarch64" : process.arch === "x64" ? "x86_64" : process.arch;
  for (const cc of ["gcc", `${machine}-linux-gnu-gcc`]) {
    try {
      const probe = Bun.spawnSync([cc, "-dumpmachine"], { stdout: "pipe", stderr: "ignore" });
      if (probe.exitCode === 0 && probe.stdout.toString().startsWith(machine)) return cc;
    } catch {
      // not installed
    }
  }
  throw new Error(`no C compiler for ${machine} (gcc, ${machine}-linux-gnu-gcc)`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bun-wait4-eintr-"));
  const so = join(dir, "eintr-handler.so");
  const cc = Bun.spawnSync([compilerForThisArch(), "-shared", "-fPIC", "-O2", "-o", so, join(fixtures, "eintr-handler.c")], {
    stderr: "pipe",
  });
  if (cc.exitCode !== 0) throw new Error(`compiling eintr-handler.c failed: ${cc.stderr.toString()}`);
  const run = Bun.spawnSync(
    [process.execPath, join(fixtures, "eintr-retry.ts"), so, join(fixtures, "eintr-signal-stream.py"), dir],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (run.exitCode !== 0) {
    throw new Error(`fixture exited ${run.exitCode}: ${run.stderr.toString()}\n${run.stdout.toString()}`);
  }
  report = JSON.parse(run.stdout.toString()) as Report;
}, 30_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function outcome(fn: string): Outcome {
  const found = report.library.find((o) => o.fn === fn);
  if (!found) throw new Error(`no outcome for ${fn}`);
  return found;
}

describe("the signal stream really interrupts waits", () => {
  test("the handler is installed without SA_RESTART", () => {
    expect(report.installed).toBe(0);
    expect(report.hasRestart).toBe(0);
    expect(report.streamRunningBefore).toBe(true);
  });

  test("a raw wait4 fails with EINTR under the stream, before and after the library calls", () => {
    for (const raw of [report.raw, report.rawAfter]) {
      expect(raw.first).toBe(-1);
      expect(raw.firstErrno).toBe(4); // EINTR
      expect(raw.eintrs).toBeGreaterThan(0);
      expect(raw.pid).toBe(raw.spawned);
      expect(raw.status).toBe(EXITED_7);
    }
    expect(report.raw.delivered).toBeGreaterThan(0);
  });

  test("the helper sent signals and was stopped and reaped cleanly", () => {
    expect(report.stream.error).toBeUndefined();
    expect(report.stream.sent).toBeGreaterThan(0);
    expect(report.stream.failed).toBe(0);
    // Standard signals do not queue: at most one delivery per signal sent.
    expect(report.totalDelivered).toBeGreaterThan(0);
    expect(report.totalDelivered).toBeLessThanOrEqual(report.stream.sent!);
    expect(report.helper.reaped).toEqual({ pid: report.helper.spawned, status: 0 });
  });

  test("no child is left in the fixture process", () => {
    expect(report.leftover.error?.code).toBe("ECHILD");
  });
});

describe("the library retries EINTR and returns the child's real result", () => {
  for (const fn of ["wait4", "waitpid", "wait"]) {
    test(`${fn} returns the pid and exit status 7`, () => {
      const o = outcome(fn);
      expect(o.error).toBeUndefined();
      // Signals were handled while the call was blocked, so the kernel returned EINTR to it.
      expect(o.delivered).toBeGreaterThan(0);
      expect(o.result?.pid).toBe(o.spawned);
      expect(o.result?.status).toBe(EXITED_7);
      expect(o.result?.status).toBe(report.raw.status); // what the raw call saw for the same command
    });
  }

  test("wait4 also returns the child's rusage", () => {
    expect(outcome("wait4").result?.ru_maxrss).toBeGreaterThan(0);
  });

  test("waitid returns si_status 7, CLD_EXITED", () => {
    const o = outcome("waitid");
    expect(o.error).toBeUndefined();
    expect(o.delivered).toBeGreaterThan(0);
    expect(o.result).toEqual({
      si_pid: o.spawned,
      si_uid: report.uid,
      si_signo: SIGCHLD,
      si_status: 7,
      si_code: CLD_EXITED,
    });
  });
});
