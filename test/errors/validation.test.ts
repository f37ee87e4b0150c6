/**
 * Bad input for every public function: the right error class and `code`, a message that
 * names the argument, nothing converted (no valueOf/toString calls), nothing changed (a child
 * stays waitable, no child is created), and, for values only the kernel can judge, the same
 * errno that CPython's os module gets for the same call.
 *
 * The wait functions are tried in a separate bun process (test/fixtures/spawn-wait-validation.ts):
 * a value that slipped through could become a wait on -1, 0 or a group, and wait()/wait3() always
 * wait on -1, which must never happen inside the test runner.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, mkdtempSync, readFileSync, rmSync, constants as fsConstants } from "node:fs";
import { constants as osConstants, tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodeStatus,
  getrusage,
  pidfd_open,
  posix_spawn,
  posix_spawnp,
  wait4,
  waitid,
  waitpid,
  waitstatus_to_exitcode,
  SystemError,
  POSIX_SPAWN_CLOSE,
  POSIX_SPAWN_DUP2,
  POSIX_SPAWN_OPEN,
  P_PID,
  WCOREDUMP,
  WEXITED,
  WEXITSTATUS,
  WIFCONTINUED,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WNOHANG,
  WNOWAIT,
  WSTOPSIG,
  WTERMSIG,
} from "../../src/index.ts";
import {
  badFor,
  BAD_NON_NEGATIVE,
  coercionSpy,
  outcomeOf,
  type BadNumber,
  type ErrorClass,
  type Outcome,
} from "../helpers/bad-values.ts";
import { reap } from "../helpers/live.ts";
import { childPids, reapNewChildren } from "../helpers/procfs.ts";
import { realPython } from "../helpers/python.ts";

const { O_WRONLY, O_CREAT, O_TRUNC, O_RDONLY } = fsConstants;
const { SIGKILL } = osConstants.signals;

const dir = mkdtempSync(join(tmpdir(), "bun-wait4-validation-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
const tempPath = (name: string) => join(dir, `${name}-${fileCounter++}`);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The argument's name, quoted as Node quotes it ("pid" or 'pid'). */
const names = (arg: string) => new RegExp(`["']${escapeRegExp(arg)}["']`);

/** Checks that an outcome is the expected throw. */
function expectRejected(outcome: Outcome, error: ErrorClass, code: string, mention: RegExp | string): void {
  expect(outcome).toMatchObject({ threw: true, name: error, code });
  if (!outcome.threw) return;
  expect(outcome.isTypeError).toBe(error === "TypeError");
  expect(outcome.isRangeError).toBe(error === "RangeError");
  if (typeof mention === "string") expect(outcome.message).toContain(mention);
  else expect(outcome.message).toMatch(mention);
}

/** Runs `argv` with stdout and stderr in files; polls for its end so a hang cannot block the runner. */
function runCaptured(path: string, argv: string[], limitMs: number): { status: number; stdout: string; stderr: string } {
  const stdout = tempPath("stdout");
  const stderr = tempPath("stderr");
  const pid = posix_spawn(path, argv, null, {
    file_actions: [
      [POSIX_SPAWN_OPEN, 0, "/dev/null", O_RDONLY, 0],
      [POSIX_SPAWN_OPEN, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600],
      [POSIX_SPAWN_OPEN, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600],
    ],
  });
  const deadline = Date.now() + limitMs;
  let result: [number, number] = [0, 0];
  while ((result = waitpid(pid, WNOHANG))[0] === 0) {
    if (Date.now() > deadline) {
      process.kill(pid, SIGKILL);
      reap(pid);
      throw new Error(`${argv.join(" ")} did not finish within ${limitMs} ms`);
    }
    Bun.sleepSync(10);
  }
  return { status: result[1], stdout: readFileSync(stdout, "utf8"), stderr: readFileSync(stderr, "utf8") };
}

// ---------------------------------------------------------------------------------------------
// The wait functions, in a subprocess.

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
      const fixture = join(import.meta.dir, "..", "fixtures", "spawn-wait-validation.ts");
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

// Must match the table in the fixture (same functions, arguments and value lists).
const WAIT_TABLE: [fn: string, arg: string, extra: readonly BadNumber[]][] = [
  ["wait4", "pid", []],
  ["wait4", "options", []],
  ["waitpid", "pid", []],
  ["waitpid", "options", []],
  ["waitid", "idtype", []],
  ["waitid", "id", BAD_NON_NEGATIVE],
  ["waitid", "options", []],
  ["wait3", "options", []],
];

describe("wait functions reject bad arguments and leave a waiting child alone (subprocess)", () => {
  for (const [fn, arg, extra] of WAIT_TABLE) {
    describe(`${fn} ${arg}`, () => {
      for (const bad of badFor(false, extra)) {
        test(`${bad.label} -> ${bad.error} ${bad.code}`, () => {
          const found = waitReport().cases.find((c) => c.key === `${fn}/${arg}/${bad.label}`);
          expect(found).toBeDefined();
          expectRejected(found!.outcome, bad.error, bad.code, names(arg));
          // The sleep child of the fixture is still running and unreaped.
          expect(found!.after).toEqual({ threw: false, returned: "[0,0]" });
        });
      }
    });
  }

  test("the fixture tried exactly the cases listed here", () => {
    const expected = WAIT_TABLE.flatMap(([fn, arg, extra]) => badFor(false, extra).map((b) => `${fn}/${arg}/${b.label}`));
    expect(waitReport().cases.map((c) => c.key)).toEqual(expected);
  });

  test("an object with side-effecting valueOf/toString/toPrimitive is never converted", () => {
    const spies = waitReport().spies;
    expect(Object.keys(spies).sort()).toEqual(
      ["wait3/options", "wait4/options", "wait4/pid", "waitid/id", "waitid/idtype", "waitid/options", "waitpid/options", "waitpid/pid"],
    );
    for (const [key, { outcome, conversions }] of Object.entries(spies)) {
      expectRejected(outcome, "TypeError", "ERR_INVALID_ARG_TYPE", names(key.split("/")[1]!));
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

// ---------------------------------------------------------------------------------------------
// Pure functions and the calls that cannot wait on anything: in this process.

const STATUS_FUNCTIONS: [string, (status: never) => unknown][] = [
  ["WIFEXITED", WIFEXITED],
  ["WEXITSTATUS", WEXITSTATUS],
  ["WIFSIGNALED", WIFSIGNALED],
  ["WTERMSIG", WTERMSIG],
  ["WCOREDUMP", WCOREDUMP],
  ["WIFSTOPPED", WIFSTOPPED],
  ["WSTOPSIG", WSTOPSIG],
  ["WIFCONTINUED", WIFCONTINUED],
  ["waitstatus_to_exitcode", waitstatus_to_exitcode],
  ["decodeStatus", decodeStatus],
];

/** Runs a call that must fail; if it returned a pidfd after all, closes it. */
function tryCall(call: () => unknown, returnsFd = false): Outcome {
  const outcome = outcomeOf(call);
  if (returnsFd && !outcome.threw && /^\d+$/.test(outcome.returned)) closeSync(Number(outcome.returned));
  return outcome;
}

type LocalRow = [fn: string, arg: string, optional: boolean, call: (v: never) => unknown, returnsFd: boolean];
const LOCAL_TABLE: LocalRow[] = [
  ...STATUS_FUNCTIONS.map(([fn, f]): LocalRow => [fn, "status", false, (v) => f(v), false]),
  ["getrusage", "who", false, (v) => getrusage(v), false],
  ["pidfd_open", "pid", false, (v) => pidfd_open(v, 0), true],
  ["pidfd_open", "flags", true, (v) => pidfd_open(process.pid, v), true],
];

describe("status functions, getrusage and pidfd_open reject bad arguments", () => {
  for (const [fn, arg, optional, call, returnsFd] of LOCAL_TABLE) {
    describe(`${fn} ${arg}`, () => {
      for (const bad of badFor(optional)) {
        test(`${bad.label} -> ${bad.error} ${bad.code}`, () => {
          expectRejected(tryCall(() => call(bad.value as never), returnsFd), bad.error, bad.code, names(arg));
        });
      }
      test("an object with side-effecting conversions is rejected unconverted", () => {
        const spy = coercionSpy();
        expectRejected(tryCall(() => call(spy.value as never), returnsFd), "TypeError", "ERR_INVALID_ARG_TYPE", names(arg));
        expect(spy.calls()).toBe(0);
      });
    });
  }

  test("pidfd_open's flags may be omitted or undefined (default 0)", () => {
    const a = pidfd_open(process.pid);
    const b = pidfd_open(process.pid, undefined as never);
    closeSync(a);
    closeSync(b);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Values only the kernel can judge: compared with CPython making the same calls.

const NOT_OUR_CHILD = 1; // init is never our child

/** Each case: how CPython makes the call (with `p` its own sleeping child), and how we do. */
const KERNEL_CASES: [label: string, python: string, ours: (child: number) => unknown][] = [
  ["waitpid unknown option bit 0x10", "os.waitpid(p, 0x10 | os.WNOHANG)", (c) => waitpid(c, 0x10 | WNOHANG)],
  ["waitpid unknown option bit 0x10000000", "os.waitpid(p, 0x10000000 | os.WNOHANG)", (c) => waitpid(c, 0x10000000 | WNOHANG)],
  ["waitpid WNOWAIT (waitid only)", "os.waitpid(p, os.WNOWAIT | os.WNOHANG)", (c) => waitpid(c, WNOWAIT | WNOHANG)],
  ["waitpid WEXITED (waitid only)", "os.waitpid(p, os.WEXITED | os.WNOHANG)", (c) => waitpid(c, WEXITED | WNOHANG)],
  ["wait4 unknown option bit 0x10", "os.wait4(p, 0x10 | os.WNOHANG)", (c) => wait4(c, 0x10 | WNOHANG)],
  ["wait4 unknown option bit 0x10000000", "os.wait4(p, 0x10000000 | os.WNOHANG)", (c) => wait4(c, 0x10000000 | WNOHANG)],
  ["wait4 WNOWAIT (waitid only)", "os.wait4(p, os.WNOWAIT | os.WNOHANG)", (c) => wait4(c, WNOWAIT | WNOHANG)],
  // 0x40000000 is Linux's __WALL: a valid wait4 option, not an unknown bit.
  ["wait4 0x40000000 (__WALL) is accepted", "os.wait4(p, 0x40000000 | os.WNOHANG)", (c) => wait4(c, 0x40000000 | WNOHANG)],
  ["waitid options 0", "os.waitid(os.P_PID, p, 0)", (c) => waitid(P_PID, c, 0)],
  ["waitid WNOHANG alone", "os.waitid(os.P_PID, p, os.WNOHANG)", (c) => waitid(P_PID, c, WNOHANG)],
  ["waitid idtype 99", "os.waitid(99, p, os.WEXITED | os.WNOHANG)", (c) => waitid(99, c, WEXITED | WNOHANG)],
  ["waitid unknown option bit", "os.waitid(os.P_PID, p, 0x10000000 | os.WEXITED | os.WNOHANG)", (c) => waitid(P_PID, c, 0x10000000 | WEXITED | WNOHANG)],
  ["waitpid on a process that is not our child", `os.waitpid(${NOT_OUR_CHILD}, os.WNOHANG)`, () => waitpid(NOT_OUR_CHILD, WNOHANG)],
  ["wait4 on a process that is not our child", `os.wait4(${NOT_OUR_CHILD}, os.WNOHANG)`, () => wait4(NOT_OUR_CHILD, WNOHANG)],
  ["waitid on a process that is not our child", `os.waitid(os.P_PID, ${NOT_OUR_CHILD}, os.WEXITED | os.WNOHANG)`, () => waitid(P_PID, NOT_OUR_CHILD, WEXITED | WNOHANG)],
  ["getrusage(42)", "libc_getrusage(42)", () => getrusage(42)],
  ["getrusage(-3)", "libc_getrusage(-3)", () => getrusage(-3)],
  ["getrusage(7)", "libc_getrusage(7)", () => getrusage(7)],
  // Linux's RUSAGE_BOTH (-2) exists in the headers, but the getrusage system call refuses it.
  ["getrusage(-2), RUSAGE_BOTH", "libc_getrusage(-2)", () => getrusage(-2)],
  ["pidfd_open flags 0x1234", "os.pidfd_open(p, 0x1234)", (c) => pidfd_open(c, 0x1234)],
  ["pidfd_open pid -1", "os.pidfd_open(-1)", () => pidfd_open(-1)],
  ["pidfd_open pid 0", "os.pidfd_open(0)", () => pidfd_open(0)],
  ["pidfd_open pid that does not exist", "os.pidfd_open(2**31 - 1)", () => pidfd_open(2 ** 31 - 1)],
];

const PYTHON_KERNEL_REFERENCE = `
import sys, os, json, errno, ctypes, subprocess
libc = ctypes.CDLL(None, use_errno=True)
def libc_getrusage(who):
    buf = ctypes.create_string_buffer(512)
    if libc.getrusage(who, buf) == -1:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return "ok"
p = subprocess.Popen(["sleep", "30"]).pid
results = []
for expr in json.loads(sys.argv[2]):
    try:
        r = eval(expr)
        if expr.startswith("os.pidfd_open"):
            os.close(r)
        results.append("ok")
    except OSError as e:
        results.append(errno.errorcode[e.errno])
    # the child must not have been touched by a rejected call
    assert os.waitpid(p, os.WNOHANG) == (0, 0), expr
os.kill(p, 9)
os.waitpid(p, 0)
json.dump(results, open(sys.argv[1], "w"))
`;

describe("values the kernel rejects: the same errno as CPython, and nothing changed", () => {
  test("every call fails (or succeeds) exactly as the same call from CPython", () => {
    const out = tempPath("kernel");
    const expressions = JSON.stringify(KERNEL_CASES.map(([, python]) => python));
    const run = runCaptured(realPython(), ["python3", "-c", PYTHON_KERNEL_REFERENCE, out, expressions], 30_000);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const reference: string[] = JSON.parse(readFileSync(out, "utf8"));

    const sleeper = posix_spawnp("sleep", ["sleep", "30"], null);
    const ours: string[] = [];
    const untouched: boolean[] = [];
    try {
      for (const [label, , call] of KERNEL_CASES) {
        const outcome = tryCall(() => call(sleeper), label.startsWith("pidfd_open"));
        if (!outcome.threw) ours.push("ok");
        else ours.push(outcome.name === "SystemError" ? String(outcome.code) : `${outcome.name} ${String(outcome.code)}`);
        const after = waitpid(sleeper, WNOHANG);
        untouched.push(after[0] === 0 && after[1] === 0);
      }
    } finally {
      process.kill(sleeper, SIGKILL);
      expect(reap(sleeper)).toBe(SIGKILL);
    }
    const labels = KERNEL_CASES.map(([label]) => label);
    expect(Object.fromEntries(labels.map((l, i) => [l, ours[i]]))).toEqual(
      Object.fromEntries(labels.map((l, i) => [l, reference[i]])),
    );
    expect(untouched.every(Boolean)).toBe(true);
    // The cases the brief names are all EINVAL in the reference itself.
    for (const label of ["waitpid unknown option bit 0x10000000", "waitid options 0", "waitid idtype 99", "getrusage(42)", "pidfd_open flags 0x1234"]) {
      expect(reference[labels.indexOf(label)]).toBe("EINVAL");
    }
  });

  test("a kernel rejection is a SystemError shaped like Bun's own", () => {
    const sleeper = posix_spawnp("sleep", ["sleep", "30"], null);
    const errors: unknown[] = [];
    try {
      for (const call of [
        () => wait4(sleeper, 0x10000000),
        () => waitpid(sleeper, 0x10000000),
        () => waitid(P_PID, sleeper, 0),
        () => getrusage(42),
        () => pidfd_open(sleeper, 0x1234),
      ]) {
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
      process.kill(sleeper, SIGKILL);
      reap(sleeper);
    }
    const syscalls = ["wait4", "waitpid", "waitid", "getrusage", "pidfd_open"];
    errors.forEach((error, i) => {
      expect(error).toBeInstanceOf(SystemError);
      expect(error).toBeInstanceOf(Error);
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

// ---------------------------------------------------------------------------------------------
// posix_spawn and posix_spawnp.

type SpawnArgs = [path: unknown, argv: unknown, env: unknown, options: unknown];
interface SpawnCase {
  label: string;
  /** Builds the arguments; `program` is "/bin/true" (posix_spawn) or "true" (posix_spawnp). */
  args: (program: string) => SpawnArgs;
  error: ErrorClass;
  code: "ERR_INVALID_ARG_TYPE" | "ERR_OUT_OF_RANGE" | "ERR_INVALID_ARG_VALUE";
  /** Text the message must contain; "$path" stands for "path" or "file". */
  mention: string;
}

const TYPE = "ERR_INVALID_ARG_TYPE" as const;
const RANGE = "ERR_OUT_OF_RANGE" as const;
const VALUE = "ERR_INVALID_ARG_VALUE" as const;

const withPath = (label: string, path: unknown, error: ErrorClass, code: SpawnCase["code"]): SpawnCase => ({
  label: `path ${label}`,
  args: () => [path, ["true"], null, undefined],
  error,
  code,
  mention: "$path",
});
const withArgv = (label: string, argv: unknown, error: ErrorClass, code: SpawnCase["code"], mention = "argv"): SpawnCase => ({
  label: `argv ${label}`,
  args: (program) => [program, argv, null, undefined],
  error,
  code,
  mention,
});
const withEnv = (label: string, env: unknown, error: ErrorClass, code: SpawnCase["code"], mention = "env"): SpawnCase => ({
  label: `env ${label}`,
  args: (program) => [program, ["true"], env, undefined],
  error,
  code,
  mention,
});
const withOptions = (label: string, options: unknown, error: ErrorClass, code: SpawnCase["code"], mention: string): SpawnCase => ({
  label: `options ${label}`,
  args: (program) => [program, ["true"], null, options],
  error,
  code,
  mention,
});
const withAction = (label: string, action: unknown, error: ErrorClass, code: SpawnCase["code"]): SpawnCase =>
  withOptions(`file_actions ${label}`, { file_actions: [[POSIX_SPAWN_CLOSE, 9], action] }, error, code, "file_actions[1]");

const DEV_NULL = "/dev/null";
const SPAWN_CASES: SpawnCase[] = [
  withPath("number", 1, "TypeError", TYPE),
  withPath("null", null, "TypeError", TYPE),
  withPath("undefined", undefined, "TypeError", TYPE),
  withPath("object", {}, "TypeError", TYPE),
  withPath("array", ["/bin/true"], "TypeError", TYPE),
  withPath("bigint", 1n, "TypeError", TYPE),
  withPath("symbol", Symbol("path"), "TypeError", TYPE),
  withPath("boolean", true, "TypeError", TYPE),
  withPath("with a NUL byte", "/bin/true\0--", "TypeError", VALUE),

  withArgv("a string", "true", "TypeError", TYPE),
  withArgv("null", null, "TypeError", TYPE),
  withArgv("undefined", undefined, "TypeError", TYPE),
  withArgv("an array-like object", { length: 1, 0: "true" }, "TypeError", TYPE),
  withArgv("a number", 1, "TypeError", TYPE),
  withArgv("empty", [], "TypeError", VALUE),
  withArgv("with argv[0] empty", [""], "TypeError", VALUE, "argv[0]"),
  withArgv("with a number element", ["true", 1], "TypeError", TYPE, "argv[1]"),
  withArgv("with a null element", ["true", null], "TypeError", TYPE, "argv[1]"),
  withArgv("with a bigint element", ["true", 1n], "TypeError", TYPE, "argv[1]"),
  withArgv("with a NUL byte in an element", ["true", "a\0b"], "TypeError", VALUE, "argv[1]"),

  withEnv("a string", "A=1", "TypeError", TYPE),
  withEnv("a number", 1, "TypeError", TYPE),
  withEnv("a boolean", true, "TypeError", TYPE),
  withEnv("a symbol", Symbol("env"), "TypeError", TYPE),
  withEnv("a function", () => ({}), "TypeError", TYPE),
  withEnv("with a number value", { A: 1 }, "TypeError", TYPE),
  withEnv("with a null value", { A: null }, "TypeError", TYPE),
  withEnv("with a bigint value", { A: 1n }, "TypeError", TYPE),
  withEnv("with an object value", { A: {} }, "TypeError", TYPE),
  withEnv("with '=' in a name", { "A=B": "1" }, "TypeError", VALUE),
  withEnv("with an empty name", { "": "1" }, "TypeError", VALUE),
  withEnv("with a NUL byte in a name", { "A\0B": "1" }, "TypeError", VALUE),
  withEnv("with a NUL byte in a value", { A: "x\0y" }, "TypeError", VALUE),

  withOptions("a number", 1, "TypeError", TYPE, "options"),
  withOptions("a string", "setsid", "TypeError", TYPE, "options"),
  withOptions("a boolean", true, "TypeError", TYPE, "options"),
  withOptions("unknown key setpgrp", { setpgrp: 0 }, "TypeError", VALUE, "setpgrp"),
  withOptions("unknown key next to valid ones", { setsid: true, file_action: [] }, "TypeError", VALUE, "file_action"),
  withOptions("file_actions a string", { file_actions: "x" }, "TypeError", TYPE, "file_actions"),
  withOptions("file_actions an object", { file_actions: {} }, "TypeError", TYPE, "file_actions"),
  withOptions("file_actions a number", { file_actions: 1 }, "TypeError", TYPE, "file_actions"),
  withAction("a string", "close 0", "TypeError", TYPE),
  withAction("a number", 1, "TypeError", TYPE),
  withAction("unknown tag 99", [99, 0], "TypeError", VALUE),
  withAction("unknown tag -1", [-1, 0], "TypeError", VALUE),
  withAction("tag as a string", [String(POSIX_SPAWN_CLOSE), 0], "TypeError", VALUE),
  withAction("OPEN too short", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY], "TypeError", VALUE),
  withAction("OPEN too long", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, 0, 0], "TypeError", VALUE),
  withAction("CLOSE without fd", [POSIX_SPAWN_CLOSE], "TypeError", VALUE),
  withAction("CLOSE too long", [POSIX_SPAWN_CLOSE, 0, 1], "TypeError", VALUE),
  withAction("DUP2 too short", [POSIX_SPAWN_DUP2, 1], "TypeError", VALUE),
  withAction("CLOSE fd 1.5", [POSIX_SPAWN_CLOSE, 1.5], "RangeError", RANGE),
  withAction("CLOSE fd NaN", [POSIX_SPAWN_CLOSE, Number.NaN], "RangeError", RANGE),
  withAction("CLOSE fd 2**31", [POSIX_SPAWN_CLOSE, 2 ** 31], "RangeError", RANGE),
  withAction("CLOSE fd '0'", [POSIX_SPAWN_CLOSE, "0"], "TypeError", TYPE),
  withAction("CLOSE fd 0n", [POSIX_SPAWN_CLOSE, 0n], "TypeError", TYPE),
  withAction("DUP2 newFd 2.5", [POSIX_SPAWN_DUP2, 1, 2.5], "RangeError", RANGE),
  withAction("DUP2 fd null", [POSIX_SPAWN_DUP2, null, 1], "TypeError", TYPE),
  withAction("OPEN fd Infinity", [POSIX_SPAWN_OPEN, Number.POSITIVE_INFINITY, DEV_NULL, O_RDONLY, 0], "RangeError", RANGE),
  withAction("OPEN path a number", [POSIX_SPAWN_OPEN, 1, 7, O_RDONLY, 0], "TypeError", TYPE),
  withAction("OPEN path with a NUL byte", [POSIX_SPAWN_OPEN, 1, `${DEV_NULL}\0x`, O_RDONLY, 0], "TypeError", VALUE),
  withAction("OPEN flags 1.5", [POSIX_SPAWN_OPEN, 1, DEV_NULL, 1.5, 0], "RangeError", RANGE),
  withAction("OPEN flags '0'", [POSIX_SPAWN_OPEN, 1, DEV_NULL, "0", 0], "TypeError", TYPE),
  withAction("OPEN mode -1", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, -1], "RangeError", RANGE),
  withAction("OPEN mode 0o10000", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, 0o10000], "RangeError", RANGE),
  withAction("OPEN mode '644'", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, "644"], "TypeError", TYPE),
  withOptions("setpgroup '0'", { setpgroup: "0" }, "TypeError", TYPE, "setpgroup"),
  withOptions("setpgroup true", { setpgroup: true }, "TypeError", TYPE, "setpgroup"),
  withOptions("setpgroup 0n", { setpgroup: 0n }, "TypeError", TYPE, "setpgroup"),
  withOptions("setpgroup 1.5", { setpgroup: 1.5 }, "RangeError", RANGE, "setpgroup"),
  withOptions("setpgroup NaN", { setpgroup: Number.NaN }, "RangeError", RANGE, "setpgroup"),
  withOptions("setpgroup -1", { setpgroup: -1 }, "RangeError", RANGE, "setpgroup"),
  withOptions("setpgroup 2**31", { setpgroup: 2 ** 31 }, "RangeError", RANGE, "setpgroup"),
  withOptions("setsid 1", { setsid: 1 }, "TypeError", TYPE, "setsid"),
  withOptions("setsid 'true'", { setsid: "true" }, "TypeError", TYPE, "setsid"),
  withOptions("resetids 1", { resetids: 1 }, "TypeError", TYPE, "resetids"),
  withOptions("resetids 'yes'", { resetids: "yes" }, "TypeError", TYPE, "resetids"),
  withOptions("setsigmask a number", { setsigmask: 10 }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask a string", { setsigmask: "10" }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask a plain object", { setsigmask: {} }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask element '10'", { setsigmask: ["10"] }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask element 10n", { setsigmask: [10n] }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask element 1.5", { setsigmask: [1.5] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask element NaN", { setsigmask: [Number.NaN] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask element 2**31", { setsigmask: [2 ** 31] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal 0", { setsigmask: [0] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal 65", { setsigmask: [65] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal 1000", { setsigmask: [1000] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal -1", { setsigmask: [-1] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask a bad signal after good ones", { setsigmask: [10, 12, 65] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigdef a number", { setsigdef: 2 }, "TypeError", TYPE, "setsigdef"),
  withOptions("setsigdef element '2'", { setsigdef: ["2"] }, "TypeError", TYPE, "setsigdef"),
  withOptions("setsigdef signal 0", { setsigdef: [0] }, "RangeError", RANGE, "setsigdef"),
  withOptions("setsigdef signal 65", { setsigdef: [65] }, "RangeError", RANGE, "setsigdef"),
  withOptions("setsigdef signal 1000", { setsigdef: [1000] }, "RangeError", RANGE, "setsigdef"),
];

type AnySpawn = (...args: SpawnArgs) => unknown;
const SPAWNERS: [name: string, program: string, pathName: string, spawn: AnySpawn][] = [
  ["posix_spawn", "/bin/true", "path", posix_spawn as AnySpawn],
  ["posix_spawnp", "true", "file", posix_spawnp as AnySpawn],
];

for (const [name, program, pathName, spawn] of SPAWNERS) {
  describe(`${name} rejects bad arguments before any child exists`, () => {
    test("control: the same valid call does make a child", () => {
      const pid = spawn(program, ["true"], null, undefined);
      expect(typeof pid).toBe("number");
      expect(reap(pid as number)).toBe(0);
    });

    for (const c of SPAWN_CASES) {
      test(`${c.label} -> ${c.error} ${c.code}`, () => {
        const before = childPids();
        const outcome = outcomeOf(() => spawn(...c.args(program)));
        const extra = reapNewChildren(before);
        expectRejected(outcome, c.error, c.code, c.mention === "$path" ? names(pathName) : c.mention);
        expect(extra).toEqual([]);
      });
    }

    test("objects with side-effecting conversions are rejected unconverted", () => {
      const cases: ((spy: object) => SpawnArgs)[] = [
        (spy) => [spy, ["true"], null, undefined],
        (spy) => [program, spy, null, undefined],
        (spy) => [program, ["true", spy], null, undefined],
        (spy) => [program, ["true"], { A: spy }, undefined],
        (spy) => [program, ["true"], null, { setpgroup: spy }],
        (spy) => [program, ["true"], null, { file_actions: [[POSIX_SPAWN_CLOSE, spy]] }],
        (spy) => [program, ["true"], null, { file_actions: [[POSIX_SPAWN_OPEN, 1, spy, O_RDONLY, 0]] }],
        (spy) => [program, ["true"], null, { setsigmask: [spy] }],
        (spy) => [program, ["true"], null, { setsigdef: [spy] }],
      ];
      const before = childPids();
      const results = cases.map((make) => {
        const spy = coercionSpy();
        const outcome = outcomeOf(() => spawn(...make(spy.value)));
        return { threw: outcome.threw, name: outcome.threw ? outcome.name : "", conversions: spy.calls() };
      });
      const extra = reapNewChildren(before);
      expect(results).toEqual(cases.map(() => ({ threw: true, name: "TypeError", conversions: 0 })));
      expect(extra).toEqual([]);
    });
  });
}
