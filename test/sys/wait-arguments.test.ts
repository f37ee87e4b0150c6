/**
 * Bad arguments of the waits (wait4, waitpid, wait3, wait, waitid) and of pidfd_open: the right
 * error class and `code`, a message that names the argument, nothing converted (no
 * valueOf/toString calls), nothing changed (a child stays waitable), and, for values only the
 * kernel can judge, the same errno that CPython's os module gets for the same call.
 *
 * The wait functions are tried in a separate bun process (test/fixtures/wait-arguments.ts): a
 * value that slipped through could become a wait on -1, 0 or a group, and wait()/wait3() always
 * wait on -1, which must never happen inside the test runner.
 */
import { describe, expect, test } from "bun:test";
import { closeSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { pidfd_open, posix_spawnp, SystemError, wait4, waitid, waitpid, P_PID, WEXITED, WNOHANG, WNOWAIT } from "../../src/index.ts";
import { argumentName, intArgumentCases, rejected, rejectionOf, type Outcome } from "../helpers/bad-values.ts";
import { kernelAnswers, killAndReap, runCaptured, type KernelCall } from "../helpers/live.ts";
import { cpythonAnswers } from "../helpers/python.ts";
import { WAIT_ARGUMENTS } from "../helpers/wait-arguments.ts";

const { SIGKILL } = osConstants.signals;

interface WaitReport {
  sleeper: number;
  cases: { key: string; outcome: Outcome; after: Outcome }[];
  spies: Record<string, { outcome: Outcome; conversions: number }>;
  stillThere: Outcome;
  sleeperStatus: Outcome;
  afterAllGone: { wait: Outcome; wait3: Outcome; wait3NoHang: Outcome };
}

let report: WaitReport | Error | undefined;
/** Runs the fixture once; a failure fails each test that needs it, not the whole file. */
function waitReport(): WaitReport {
  if (report === undefined) {
    try {
      const fixture = new URL("../fixtures/wait-arguments.ts", import.meta.url).pathname;
      const run = runCaptured(process.execPath, [process.execPath, fixture], 45_000);
      if (run.status !== 0) throw new Error(`fixture failed (status ${run.status}):\n${run.stderr}`);
      report = JSON.parse(run.stdout) as WaitReport;
    } catch (error) {
      report = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (report instanceof Error) throw report;
  return report;
}

describe("wait functions reject bad arguments and leave a waiting child alone (subprocess)", () => {
  for (const { key, arg, bad } of WAIT_ARGUMENTS) {
    describe(key.replace("/", " "), () => {
      for (const b of bad) {
        test(`${b.label} -> ${b.error} ${b.code}`, () => {
          const found = waitReport().cases.find((c) => c.key === `${key}/${b.label}`);
          expect(found).toBeDefined();
          expect(rejectionOf(found!.outcome, argumentName(arg)), JSON.stringify(found!.outcome)).toEqual(rejected(b.error, b.code));
          // The sleep child of the fixture is still running and unreaped.
          expect(found!.after).toEqual({ threw: false, returned: "[0,0]" });
        });
      }
    });
  }

  test("the fixture tried exactly the cases listed here", () => {
    const expected = WAIT_ARGUMENTS.flatMap(({ key, bad }) => bad.map((b) => `${key}/${b.label}`));
    expect(waitReport().cases.map((c) => c.key)).toEqual(expected);
  });

  test("an object with side-effecting valueOf/toString/toPrimitive is never converted", () => {
    const spies = waitReport().spies;
    expect(Object.keys(spies).sort()).toEqual(
      ["wait3/options", "wait4/options", "wait4/pid", "waitid/id", "waitid/idtype", "waitid/options", "waitpid/options", "waitpid/pid"],
    );
    for (const [key, { outcome, conversions }] of Object.entries(spies)) {
      expect(rejectionOf(outcome, argumentName(key.split("/")[1]!)), JSON.stringify(outcome)).toEqual(rejected("TypeError", "ERR_INVALID_ARG_TYPE"));
      expect({ key, conversions }).toEqual({ key, conversions: 0 });
    }
  });

  test("after every bad call the child was still there to be killed and reaped", () => {
    const r = waitReport();
    expect(r.stillThere).toEqual({ threw: false, returned: "[0,0]" });
    // Killed by SIGKILL: raw status 9 on Linux.
    expect(r.sleeperStatus).toEqual({ threw: false, returned: JSON.stringify([r.sleeper, SIGKILL]) });
  });

  test("wait() and wait3() with no child left: SystemError ECHILD", () => {
    const { wait, wait3, wait3NoHang } = waitReport().afterAllGone;
    expect(wait).toMatchObject({ threw: true, name: "SystemError", code: "ECHILD", message: "ECHILD: no child processes, wait" });
    expect(wait3).toMatchObject({ threw: true, name: "SystemError", code: "ECHILD" });
    expect(wait3NoHang).toMatchObject({ threw: true, name: "SystemError", code: "ECHILD" });
  });
});

/** A pidfd a call that should have failed returned after all, closed. */
function closed(fd: number): number {
  closeSync(fd);
  return fd;
}

describe("pidfd_open rejects bad arguments", () => {
  const ARGUMENTS = [
    { arg: "pid", optional: false, call: (v: never) => closed(pidfd_open(v, 0)) },
    { arg: "flags", optional: true, call: (v: never) => closed(pidfd_open(process.pid, v)) },
  ];
  for (const { arg, optional, call } of ARGUMENTS) {
    describe(arg, () => {
      for (const c of intArgumentCases(call, arg, { optional })) {
        test(c.label, () => {
          const { actual, expected, shown } = c.run();
          expect(actual, shown).toEqual(expected);
        });
      }
    });
  }

  test("flags may be omitted or undefined (default 0)", () => {
    const a = pidfd_open(process.pid);
    const b = pidfd_open(process.pid, undefined as never);
    closeSync(a);
    closeSync(b);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
  });
});

const NOT_OUR_CHILD = 1; // init is never our child

/** Each case: how CPython makes the call (with `p` its own sleeping child), and how we do. */
const KERNEL_CASES: (KernelCall & { label: string; python: string })[] = [
  { label: "waitpid unknown option bit 0x10", python: "os.waitpid(p, 0x10 | os.WNOHANG)", call: (c) => waitpid(c, 0x10 | WNOHANG) },
  { label: "waitpid unknown option bit 0x10000000", python: "os.waitpid(p, 0x10000000 | os.WNOHANG)", call: (c) => waitpid(c, 0x10000000 | WNOHANG) },
  { label: "waitpid WNOWAIT (waitid only)", python: "os.waitpid(p, os.WNOWAIT | os.WNOHANG)", call: (c) => waitpid(c, WNOWAIT | WNOHANG) },
  { label: "waitpid WEXITED (waitid only)", python: "os.waitpid(p, os.WEXITED | os.WNOHANG)", call: (c) => waitpid(c, WEXITED | WNOHANG) },
  { label: "wait4 unknown option bit 0x10", python: "os.wait4(p, 0x10 | os.WNOHANG)", call: (c) => wait4(c, 0x10 | WNOHANG) },
  { label: "wait4 unknown option bit 0x10000000", python: "os.wait4(p, 0x10000000 | os.WNOHANG)", call: (c) => wait4(c, 0x10000000 | WNOHANG) },
  { label: "wait4 WNOWAIT (waitid only)", python: "os.wait4(p, os.WNOWAIT | os.WNOHANG)", call: (c) => wait4(c, WNOWAIT | WNOHANG) },
  // 0x40000000 is Linux's __WALL: a valid wait4 option, not an unknown bit.
  { label: "wait4 0x40000000 (__WALL) is accepted", python: "os.wait4(p, 0x40000000 | os.WNOHANG)", call: (c) => wait4(c, 0x40000000 | WNOHANG) },
  { label: "waitid options 0", python: "os.waitid(os.P_PID, p, 0)", call: (c) => waitid(P_PID, c, 0) },
  { label: "waitid WNOHANG alone", python: "os.waitid(os.P_PID, p, os.WNOHANG)", call: (c) => waitid(P_PID, c, WNOHANG) },
  { label: "waitid idtype 99", python: "os.waitid(99, p, os.WEXITED | os.WNOHANG)", call: (c) => waitid(99, c, WEXITED | WNOHANG) },
  {
    label: "waitid unknown option bit",
    python: "os.waitid(os.P_PID, p, 0x10000000 | os.WEXITED | os.WNOHANG)",
    call: (c) => waitid(P_PID, c, 0x10000000 | WEXITED | WNOHANG),
  },
  { label: "waitpid on a process that is not our child", python: `os.waitpid(${NOT_OUR_CHILD}, os.WNOHANG)`, call: () => waitpid(NOT_OUR_CHILD, WNOHANG) },
  { label: "wait4 on a process that is not our child", python: `os.wait4(${NOT_OUR_CHILD}, os.WNOHANG)`, call: () => wait4(NOT_OUR_CHILD, WNOHANG) },
  {
    label: "waitid on a process that is not our child",
    python: `os.waitid(os.P_PID, ${NOT_OUR_CHILD}, os.WEXITED | os.WNOHANG)`,
    call: () => waitid(P_PID, NOT_OUR_CHILD, WEXITED | WNOHANG),
  },
  { label: "pidfd_open flags 0x1234", python: "os.pidfd_open(p, 0x1234)", call: (c) => pidfd_open(c, 0x1234), returnsFd: true },
  { label: "pidfd_open pid -1", python: "os.pidfd_open(-1)", call: () => pidfd_open(-1), returnsFd: true },
  { label: "pidfd_open pid 0", python: "os.pidfd_open(0)", call: () => pidfd_open(0), returnsFd: true },
  { label: "pidfd_open pid that does not exist", python: "os.pidfd_open(2**31 - 1)", call: () => pidfd_open(2 ** 31 - 1), returnsFd: true },
];

describe("values the kernel rejects: the same errno as CPython, and nothing changed", () => {
  test("every call fails (or succeeds) exactly as the same call from CPython", () => {
    const reference = cpythonAnswers(KERNEL_CASES.map((c) => c.python));
    const { answers, untouched } = kernelAnswers(KERNEL_CASES);
    const labelled = (list: string[]) => Object.fromEntries(KERNEL_CASES.map((c, i) => [c.label, list[i]]));
    expect(labelled(answers)).toEqual(labelled(reference));
    expect(untouched).toBe(true);
    // These are EINVAL in the reference itself.
    for (const label of ["waitpid unknown option bit 0x10000000", "waitid options 0", "waitid idtype 99", "pidfd_open flags 0x1234"]) {
      expect(labelled(reference)[label]).toBe("EINVAL");
    }
  });

  test("a kernel rejection is a SystemError shaped like Bun's own", () => {
    const sleeper = posix_spawnp("sleep", ["sleep", "30"], null);
    const errors: unknown[] = [];
    try {
      for (const call of [() => wait4(sleeper, 0x10000000), () => waitpid(sleeper, 0x10000000), () => waitid(P_PID, sleeper, 0), () => pidfd_open(sleeper, 0x1234)]) {
        try {
          const fd = call();
          if (typeof fd === "number") closeSync(fd);
          errors.push(undefined);
        } catch (error) {
          errors.push(error);
        }
      }
      expect(waitpid(sleeper, WNOHANG)).toEqual([0, 0]);
    } finally {
      killAndReap(sleeper);
    }
    const syscalls = ["wait4", "waitpid", "waitid", "pidfd_open"];
    errors.forEach((error, i) => {
      expect(error).toBeInstanceOf(SystemError);
      expect(error).toMatchObject({
        name: "SystemError",
        code: "EINVAL",
        errno: -osConstants.errno.EINVAL,
        syscall: syscalls[i],
        message: `EINVAL: invalid argument, ${syscalls[i]}`,
      });
    });
  });
});
