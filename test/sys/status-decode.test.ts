/**
 * decodeStatus on status words made by real children (exit, kill, stop, continue), and
 * signalName against os.constants.signals. Every status seen is also handed to CPython's
 * os.W* functions at the end, so the kinds are checked against a second decoder. Last, what
 * every status function (W*, waitstatus_to_exitcode, decodeStatus) throws for a word that is
 * no C int.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { constants } from "node:os";
import {
  decodeStatus,
  posix_spawnp,
  signalName,
  waitpid,
  waitstatus_to_exitcode,
  WCONTINUED,
  WCOREDUMP,
  WEXITSTATUS,
  WIFCONTINUED,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WNOHANG,
  WSTOPSIG,
  WTERMSIG,
  WUNTRACED,
  type ProcessState,
} from "../../src/index.ts";
import { intArgumentCases, range } from "../helpers/bad-values.ts";

const { signals } = constants;

/** Children not yet reaped; afterEach kills and reaps whatever a failed test left behind. */
const live = new Set<number>();
/** Every [status, kind] seen from a real child, for the CPython cross-check. */
const seen: [status: number, kind: ProcessState["kind"]][] = [];

function spawn(argv: string[]): number {
  const pid = posix_spawnp(argv[0]!, argv, process.env);
  live.add(pid);
  return pid;
}

/** waitpid for our own pid only; records the child as reaped when it is. */
function wait(pid: number, options: number): ProcessState {
  const [got, status] = waitpid(pid, options);
  expect(got).toBe(pid);
  const state = decodeStatus(status);
  seen.push([status, state.kind]);
  if (state.kind === "exited" || state.kind === "signaled") live.delete(pid);
  return state;
}

afterEach(() => {
  for (const pid of live) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone; still a zombie to reap
    }
    try {
      waitpid(pid, 0);
    } catch {
      // nothing to reap
    }
    live.delete(pid);
  }
});

describe("decodeStatus on real children", () => {
  test('sh -c "exit 7" -> exited with code 7', () => {
    const pid = spawn(["sh", "-c", "exit 7"]);
    expect(wait(pid, 0)).toEqual({ kind: "exited", code: 7 });
  });

  test("true -> exited with code 0", () => {
    const pid = spawn(["true"]);
    expect(wait(pid, 0)).toEqual({ kind: "exited", code: 0 });
  });

  test("killed by SIGTERM -> signaled SIGTERM, no core", () => {
    const pid = spawn(["sleep", "30"]);
    process.kill(pid, "SIGTERM");
    expect(wait(pid, 0)).toEqual({
      kind: "signaled",
      signal: signals.SIGTERM,
      signalName: "SIGTERM",
      coreDumped: false,
    });
  });

  test("SIGSTOP -> stopped (WUNTRACED), SIGCONT -> continued (WCONTINUED), SIGKILL -> signaled", () => {
    const pid = spawn(["sleep", "30"]);
    process.kill(pid, "SIGSTOP");
    expect(wait(pid, WUNTRACED)).toEqual({ kind: "stopped", signal: signals.SIGSTOP, signalName: "SIGSTOP" });
    // Nothing more to report until it is continued.
    expect(waitpid(pid, WNOHANG | WUNTRACED | WCONTINUED)).toEqual([0, 0]);

    process.kill(pid, "SIGCONT");
    expect(wait(pid, WCONTINUED)).toEqual({ kind: "continued" });

    process.kill(pid, "SIGKILL");
    expect(wait(pid, 0)).toEqual({
      kind: "signaled",
      signal: signals.SIGKILL,
      signalName: "SIGKILL",
      coreDumped: false,
    });
  });

  test("waitstatus_to_exitcode on the same kinds of real statuses", () => {
    const exited = spawn(["sh", "-c", "exit 42"]);
    const [, exitStatus] = waitpid(exited, 0);
    live.delete(exited);
    expect(waitstatus_to_exitcode(exitStatus)).toBe(42);

    const stopped = spawn(["sleep", "30"]);
    process.kill(stopped, "SIGSTOP");
    const [, stopStatus] = waitpid(stopped, WUNTRACED);
    let error: unknown;
    try {
      waitstatus_to_exitcode(stopStatus);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as { code?: unknown }).code).toBe("ERR_INVALID_ARG_VALUE");
    expect((error as Error).message).toBe(`process stopped by delivery of signal ${signals.SIGSTOP}`);

    process.kill(stopped, "SIGKILL");
    const [, killStatus] = waitpid(stopped, 0);
    live.delete(stopped);
    expect(waitstatus_to_exitcode(killStatus)).toBe(-signals.SIGKILL);
    seen.push([exitStatus, "exited"], [stopStatus, "stopped"], [killStatus, "signaled"]);
  });

  test("CPython's os.W* functions put every status seen above in the same kind", () => {
    expect(seen.length).toBeGreaterThanOrEqual(9);
    const script = `
import json, os, sys
out = []
for s in json.load(sys.stdin):
    kinds = [k for k, f in (("continued", os.WIFCONTINUED), ("exited", os.WIFEXITED),
                            ("signaled", os.WIFSIGNALED), ("stopped", os.WIFSTOPPED)) if f(s)]
    out.append(kinds)
json.dump(out, sys.stdout)
`;
    const run = Bun.spawnSync(["python3", "-c", script], {
      stdin: new TextEncoder().encode(JSON.stringify(seen.map(([s]) => s))),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(run.stderr.toString()).toBe("");
    const kinds = JSON.parse(run.stdout.toString()) as string[][];
    expect(kinds).toEqual(seen.map(([, kind]) => [kind]));
  });
});

describe("signalName", () => {
  test("names every number in os.constants.signals with a name of that number", () => {
    const table = signals as Record<string, number>;
    for (const [name, value] of Object.entries(table)) {
      const got = signalName(value);
      expect(got, `signalName(${value}) for ${name}`).toBeDefined();
      expect(table[got!], `${got} should be ${value}`).toBe(value);
    }
    expect(signalName(signals.SIGKILL)).toBe("SIGKILL");
    expect(signalName(signals.SIGCHLD)).toBe("SIGCHLD");
  });

  test("is undefined for numbers that are no signal", () => {
    const values = new Set<number>(Object.values(signals as Record<string, number>));
    const candidates = [0, -1, 65, 200, 1000, 1.5].filter((n) => !values.has(n));
    expect(candidates.length).toBeGreaterThanOrEqual(5);
    for (const n of candidates) expect(signalName(n)).toBeUndefined();
  });
});

describe("decodeStatus rejects", () => {
  // Neither exited, signaled, stopped nor continued under glibc's or musl's macros: the low
  // 7 bits are 0177 (so not exited or signaled) but the low byte is not 0177 (not stopped).
  for (const word of [0x1ff, 0x7fff, 0x12ff]) {
    test(`the invalid word 0x${word.toString(16)} with CPython's message`, () => {
      let error: unknown;
      try {
        decodeStatus(word);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RangeError);
      expect((error as { code?: unknown }).code).toBe("ERR_INVALID_ARG_VALUE");
      expect((error as Error).message).toBe(`invalid wait status: ${word}`);
    });
  }

});

describe("every status function rejects a word that is no C int", () => {
  const STATUS_FUNCTIONS: Record<string, (status: never) => unknown> = {
    WIFEXITED,
    WEXITSTATUS,
    WIFSIGNALED,
    WTERMSIG,
    WCOREDUMP,
    WIFSTOPPED,
    WSTOPSIG,
    WIFCONTINUED,
    waitstatus_to_exitcode,
    decodeStatus,
  };
  // Beyond every C int argument's bad values: a float whose integer part is a valid (stopped)
  // word must not be truncated to it.
  const extra = [range("Number.MAX_SAFE_INTEGER", Number.MAX_SAFE_INTEGER), range("-0.25", -0.25), range("0x137f + 0.5", 0x137f + 0.5)];
  for (const [name, f] of Object.entries(STATUS_FUNCTIONS)) {
    describe(name, () => {
      for (const c of intArgumentCases(f, "status", { extra })) {
        test(c.label, () => {
          const { actual, expected, shown } = c.run();
          expect(actual, shown).toEqual(expected);
        });
      }
    });
  }
});
