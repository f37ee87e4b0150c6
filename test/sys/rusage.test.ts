/**
 * Resource usage from real work: a child's CPU time (measured by the child itself), a
 * child's peak memory (checked against GNU time, whose number comes from its own wait4
 * of a small parent), getrusage(RUSAGE_CHILDREN/SELF/THREAD) against Bun's own
 * process.resourceUsage(), and getrusage's bad arguments: argument errors, and the `who` values
 * only the kernel can judge, which fail with the errno the same call gets from C (through
 * CPython's ctypes).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import {
  getrusage,
  posix_spawnp,
  RUSAGE_CHILDREN,
  RUSAGE_FIELDS,
  RUSAGE_SELF,
  RUSAGE_THREAD,
  SystemError,
  wait4,
  WEXITSTATUS,
  WIFEXITED,
  type Rusage,
} from "../../src/index.ts";
import { intArgumentCases } from "../helpers/bad-values.ts";
import { kernelAnswers, killAndReap } from "../helpers/live.ts";
import { cpythonAnswers } from "../helpers/python.ts";
import { thrown } from "../helpers/thrown.ts";

// Live children, CPython and fixture subprocesses: slow CI and qemu runs need more than
// bun's 5 s default (bunfig.toml's [test] timeout is not a setting bun reads).
setDefaultTimeout(60_000);

const MIB_IN_KIB = 1024;
const TOUCH_100_MIB = "b = b'\\x01' * (100 * 1024 * 1024); assert b[-1] == 1";
// The child measures its own CPU clock, so it burns at least 0.3 s of CPU wherever it runs.
const BURN_CPU = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass";

function cpu(usage: Rusage): number {
  return usage.ru_utime + usage.ru_stime;
}

/** Spawns python3 -c code with posix_spawnp and wait4s it; checks it exited 0. */
function runPython(code: string): { usage: Rusage; wall: number } {
  const start = performance.now();
  const pid = posix_spawnp("python3", ["python3", "-c", code], process.env);
  try {
    const [got, status, usage] = wait4(pid, 0);
    const wall = (performance.now() - start) / 1000;
    expect(got).toBe(pid);
    expect(WIFEXITED(status)).toBe(true);
    expect(WEXITSTATUS(status)).toBe(0);
    return { usage, wall };
  } finally {
    killAndReap(pid);
  }
}

describe("a child's rusage from wait4", () => {
  test("a child that burns 0.3 s of CPU reports ru_utime + ru_stime >= 0.2 and <= wall time", () => {
    const { usage, wall } = runPython(BURN_CPU);
    expect(cpu(usage)).toBeGreaterThanOrEqual(0.2);
    // One thread cannot use more CPU than the time it existed.
    expect(cpu(usage)).toBeLessThanOrEqual(wall + 0.01);
  });

  test("a child that touches 100 MiB reports ru_maxrss >= 100 MiB, as GNU time does", () => {
    const { usage } = runPython(TOUCH_100_MIB);
    // Lower bound only: a child spawned from Bun may also carry Bun's peak (docs/DESIGN.md §6).
    expect(usage.ru_maxrss).toBeGreaterThanOrEqual(100 * MIB_IN_KIB);

    // GNU time forks the program from its own small process and reports the true peak.
    const dir = mkdtempSync(join(tmpdir(), "bun-wait4-rusage-"));
    const out = join(dir, "maxrss");
    const pid = posix_spawnp(
      "/usr/bin/time",
      ["/usr/bin/time", "-f", "%M", "-o", out, "python3", "-c", TOUCH_100_MIB],
      process.env,
    );
    try {
      const [, status, timeUsage] = wait4(pid, 0);
      expect(WIFEXITED(status)).toBe(true);
      expect(WEXITSTATUS(status)).toBe(0);
      const gnuTime = Number(readFileSync(out, "utf8").trim());
      expect(gnuTime).toBeGreaterThanOrEqual(100 * MIB_IN_KIB);
      // wait4 on `time` includes the children `time` reaped, so it is at least time's figure.
      expect(timeUsage.ru_maxrss).toBeGreaterThanOrEqual(gnuTime);
    } finally {
      killAndReap(pid);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("getrusage", () => {
  test("RUSAGE_CHILDREN grows by a reaped child's CPU time; maxrss does not shrink", () => {
    const before = getrusage(RUSAGE_CHILDREN);
    const { usage } = runPython(BURN_CPU);
    const after = getrusage(RUSAGE_CHILDREN);
    expect(cpu(after) - cpu(before)).toBeGreaterThanOrEqual(0.2);
    // Other reaped children (Bun's own) can only add to it.
    expect(cpu(after) - cpu(before)).toBeGreaterThanOrEqual(cpu(usage) - 0.01);
    expect(after.ru_maxrss).toBeGreaterThanOrEqual(before.ru_maxrss);
    expect(after.ru_maxrss).toBeGreaterThanOrEqual(usage.ru_maxrss);
    expect(after.ru_minflt - before.ru_minflt).toBeGreaterThanOrEqual(usage.ru_minflt);
  });

  test("RUSAGE_SELF is monotonic and brackets Bun's process.resourceUsage()", () => {
    const first = getrusage(RUSAGE_SELF);
    const bun = process.resourceUsage();
    let x = 0;
    for (let i = 0; i < 2_000_000; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const second = getrusage(RUSAGE_SELF);
    expect(Object.keys(second)).toEqual([...RUSAGE_FIELDS]);
    for (const field of RUSAGE_FIELDS) expect(second[field]).toBeGreaterThanOrEqual(first[field]);
    expect(cpu(second)).toBeGreaterThan(cpu(first));
    // Bun reports microseconds and KiB, read between our two calls.
    expect(bun.userCPUTime).toBeGreaterThanOrEqual(Math.floor(first.ru_utime * 1e6));
    expect(bun.userCPUTime).toBeLessThanOrEqual(Math.ceil(second.ru_utime * 1e6));
    expect(bun.systemCPUTime).toBeGreaterThanOrEqual(Math.floor(first.ru_stime * 1e6));
    expect(bun.systemCPUTime).toBeLessThanOrEqual(Math.ceil(second.ru_stime * 1e6));
    expect(bun.maxRSS).toBeGreaterThanOrEqual(first.ru_maxrss);
    expect(bun.maxRSS).toBeLessThanOrEqual(second.ru_maxrss);
    expect(bun.minorPageFault).toBeGreaterThanOrEqual(first.ru_minflt);
    expect(bun.minorPageFault).toBeLessThanOrEqual(second.ru_minflt);
  });

  test("RUSAGE_THREAD reports this thread: what /proc says of it, no more than the whole process", () => {
    // /proc/<pid>/task/<tid>/stat fields 14-15: this thread's utime and stime in clock ticks.
    // Bun runs JavaScript on the process's first thread, whose tid is the pid.
    const tick = 1 / Number(Bun.spawnSync(["getconf", "CLK_TCK"], { stdout: "pipe" }).stdout.toString().trim());
    const procThreadCpu = (): number => {
      const text = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) * tick; // fields 14 and 15
    };
    let x = 0;
    for (let i = 0; i < 3_000_000; i++) x += Math.sqrt(i); // some CPU on this thread
    expect(x).toBeGreaterThan(0);
    const low = procThreadCpu();
    const thread = getrusage(RUSAGE_THREAD!);
    const high = procThreadCpu();
    const self = getrusage(RUSAGE_SELF);
    // /proc rounds utime and stime down to whole ticks, each on its own: up to 2 ticks lost.
    expect(cpu(thread)).toBeGreaterThanOrEqual(low - 1e-9);
    expect(cpu(thread)).toBeLessThan(high + 2 * tick + 1e-9);
    expect(Object.keys(thread)).toEqual([...RUSAGE_FIELDS]);
    expect(cpu(thread)).toBeGreaterThan(0);
    // Compare totals only: the kernel splits user/system time per task and per process
    // separately (cputime_adjust), so one thread's utime may exceed the process's.
    expect(cpu(thread)).toBeLessThanOrEqual(cpu(self) + 0.001);
    expect(thread.ru_minflt).toBeLessThanOrEqual(self.ru_minflt);
    // Linux reports the process's peak for a thread too (kernel/sys.c getrusage).
    expect(thread.ru_maxrss).toBeGreaterThan(0);
  });

  test("an unknown who (42) throws SystemError EINVAL from getrusage", () => {
    const error = thrown(() => getrusage(42));
    expect(error).toBeInstanceOf(SystemError);
    expect((error as SystemError).code).toBe("EINVAL");
    expect((error as SystemError).errno).toBe(-constants.errno.EINVAL);
    expect((error as SystemError).syscall).toBe("getrusage");
    expect((error as SystemError).message).toBe("EINVAL: invalid argument, getrusage");
  });
});

describe("getrusage rejects a bad who", () => {
  for (const c of intArgumentCases((v) => getrusage(v), "who")) {
    test(c.label, () => {
      const { actual, expected, shown } = c.run();
      expect(actual, shown).toEqual(expected);
    });
  }

  test("who values the kernel refuses fail as the same getrusage(2) call from C does", () => {
    // Linux's RUSAGE_BOTH (-2) exists in the headers, but the getrusage system call refuses it.
    const whos = [42, -3, 7, -2];
    const reference = cpythonAnswers(whos.map((who) => `libc_getrusage(${who})`));
    expect(kernelAnswers(whos.map((who) => ({ call: () => getrusage(who) })))).toEqual({ answers: reference, untouched: true });
    expect(reference[0]).toBe("EINVAL");
  });
});
