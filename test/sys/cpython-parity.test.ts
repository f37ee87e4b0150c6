/**
 * The same live scenarios run twice, once by CPython (python3 with os.posix_spawnp,
 * os.wait4, os.waitpid, os.waitid, printing JSON) and once by us, and the results
 * compared: status words, waitstatus_to_exitcode (and its error text), waitid result
 * fields and their order, WNOHANG results, and the rusage field names and order.
 * Pids differ run to run, so they are compared as "the child's pid" on each side.
 */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { constants } from "node:os";
import {
  P_PID,
  posix_spawnp,
  RUSAGE_FIELDS,
  wait4,
  waitid,
  waitpid,
  waitstatus_to_exitcode,
  WCONTINUED,
  WEXITED,
  WNOHANG,
  WSTOPPED,
  WUNTRACED,
  type WaitidResult,
} from "../../src/index.ts";
import { killAndReap } from "../helpers/live.ts";
import { runPythonJson } from "../helpers/python.ts";

/** `waitstatus_to_exitcode(status)`, or the error text where it refuses. */
type ExitCode = { code: number } | { error: string };

interface WaitidFields {
  pidMatches: boolean;
  si_uid: number;
  si_signo: number;
  si_status: number;
  si_code: number;
}

interface Scenarios {
  exit3: { pidMatches: boolean; status: number; exitcode: ExitCode };
  killed: { pidMatches: boolean; status: number; exitcode: ExitCode };
  stopped: { pidMatches: boolean; status: number; exitcode: ExitCode };
  continued: { pidMatches: boolean; status: number; exitcode: ExitCode };
  waitidExit3: WaitidFields;
  waitidKilled: WaitidFields;
  waitidStopped: WaitidFields;
  nohang: { wait4: [number, number, number[]]; waitpid: [number, number]; waitid: null | WaitidFields };
  rusageFields: string[];
  rusageLength: number;
  waitidFields: string[];
}

// CPython doing every scenario itself. Statuses are passed back raw; exit-code
// conversion errors as their message text.
const PYTHON = String.raw`
import os, json, signal

def spawn(argv):
    return os.posix_spawnp(argv[0], argv, os.environ)

def exitcode(status):
    try:
        return {'code': os.waitstatus_to_exitcode(status)}
    except ValueError as e:
        return {'error': str(e)}

def status_of(pid, got, status):
    return {'pidMatches': got == pid, 'status': status, 'exitcode': exitcode(status)}

def fields(pid, r):
    return {'pidMatches': r.si_pid == pid, 'si_uid': r.si_uid, 'si_signo': r.si_signo,
            'si_status': r.si_status, 'si_code': r.si_code}

out = {}
pid = spawn(['sh', '-c', 'exit 3'])
got, status, ru = os.wait4(pid, 0)
out['exit3'] = status_of(pid, got, status)
out['rusageFields'] = list(type(ru).__match_args__)
out['rusageLength'] = len(ru)

pid = spawn(['sleep', '30'])
os.kill(pid, signal.SIGKILL)
got, status, _ = os.wait4(pid, 0)
out['killed'] = status_of(pid, got, status)

pid = spawn(['sleep', '30'])
os.kill(pid, signal.SIGSTOP)
got, status, _ = os.wait4(pid, os.WUNTRACED)
out['stopped'] = status_of(pid, got, status)
os.kill(pid, signal.SIGCONT)
got, status = os.waitpid(pid, os.WCONTINUED)
out['continued'] = status_of(pid, got, status)

r = os.wait4(pid, os.WNOHANG)
out['nohang'] = {'wait4': [r[0], r[1], list(r[2])], 'waitpid': list(os.waitpid(pid, os.WNOHANG))}
r = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG)
out['nohang']['waitid'] = None if r is None else fields(pid, r)
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)

pid = spawn(['sh', '-c', 'exit 3'])
r = os.waitid(os.P_PID, pid, os.WEXITED)
out['waitidExit3'] = fields(pid, r)
out['waitidFields'] = list(type(r).__match_args__)

pid = spawn(['sleep', '30'])
os.kill(pid, signal.SIGKILL)
out['waitidKilled'] = fields(pid, os.waitid(os.P_PID, pid, os.WEXITED))

pid = spawn(['sleep', '30'])
os.kill(pid, signal.SIGSTOP)
out['waitidStopped'] = fields(pid, os.waitid(os.P_PID, pid, os.WSTOPPED))
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)

print(json.dumps(out))
`;

// Live children, CPython and fixture subprocesses: slow CI and qemu runs need more than
// bun's 5 s default (bunfig.toml's [test] timeout is not a setting bun reads).
setDefaultTimeout(60_000);

function spawn(argv: readonly string[]): number {
  return posix_spawnp(argv[0]!, argv, process.env);
}

function exitcode(status: number): ExitCode {
  try {
    return { code: waitstatus_to_exitcode(status) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function statusOf(pid: number, got: number, status: number) {
  return { pidMatches: got === pid, status, exitcode: exitcode(status) };
}

function fields(pid: number, r: WaitidResult | null): WaitidFields | null {
  if (r === null) return null;
  return { pidMatches: r.si_pid === pid, si_uid: r.si_uid, si_signo: r.si_signo, si_status: r.si_status, si_code: r.si_code };
}

/** Our side of the same scenarios, every child reaped even when something throws. */
function ours(): Scenarios {
  const children: number[] = [];
  const child = (argv: readonly string[]) => {
    const pid = spawn(argv);
    children.push(pid);
    return pid;
  };
  try {
    let pid = child(["sh", "-c", "exit 3"]);
    let [got, status, ru] = wait4(pid, 0);
    const exit3 = statusOf(pid, got, status);
    const rusageFields = Object.keys(ru);

    pid = child(["sleep", "30"]);
    process.kill(pid, "SIGKILL");
    [got, status] = wait4(pid, 0);
    const killed = statusOf(pid, got, status);

    pid = child(["sleep", "30"]);
    process.kill(pid, "SIGSTOP");
    [got, status] = wait4(pid, WUNTRACED);
    const stopped = statusOf(pid, got, status);
    process.kill(pid, "SIGCONT");
    [got, status] = waitpid(pid, WCONTINUED);
    const continued = statusOf(pid, got, status);

    const [p4, s4, r4] = wait4(pid, WNOHANG);
    const nohang = {
      wait4: [p4, s4, RUSAGE_FIELDS.map((f) => r4[f])] as [number, number, number[]],
      waitpid: waitpid(pid, WNOHANG),
      waitid: fields(pid, waitid(P_PID, pid, WEXITED | WNOHANG)),
    };
    process.kill(pid, "SIGKILL");
    waitpid(pid, 0);

    pid = child(["sh", "-c", "exit 3"]);
    const exit3Info = waitid(P_PID, pid, WEXITED);
    const waitidExit3 = fields(pid, exit3Info)!;

    pid = child(["sleep", "30"]);
    process.kill(pid, "SIGKILL");
    const waitidKilled = fields(pid, waitid(P_PID, pid, WEXITED))!;

    pid = child(["sleep", "30"]);
    process.kill(pid, "SIGSTOP");
    const waitidStopped = fields(pid, waitid(P_PID, pid, WSTOPPED))!;
    process.kill(pid, "SIGKILL");
    waitpid(pid, 0);

    return {
      exit3,
      killed,
      stopped,
      continued,
      waitidExit3,
      waitidKilled,
      waitidStopped,
      nohang,
      rusageFields,
      rusageLength: rusageFields.length,
      waitidFields: Object.keys(exit3Info!),
    };
  } finally {
    for (const pid of children) killAndReap(pid);
  }
}

let python: Scenarios;
let us: Scenarios;

beforeAll(() => {
  python = runPythonJson(PYTHON) as Scenarios;
  us = ours();
});

describe("status words match CPython's", () => {
  test("exit 3", () => {
    expect(python.exit3.pidMatches).toBe(true);
    expect(us.exit3).toEqual(python.exit3);
    expect(python.exit3.exitcode).toEqual({ code: 3 });
  });

  test("killed by SIGKILL", () => {
    expect(us.killed).toEqual(python.killed);
    expect(python.killed.exitcode).toEqual({ code: -constants.signals.SIGKILL });
  });

  test("stopped by SIGSTOP via WUNTRACED, including waitstatus_to_exitcode's refusal text", () => {
    expect(us.stopped).toEqual(python.stopped);
    expect("error" in python.stopped.exitcode).toBe(true);
  });

  test("continued via WCONTINUED, including waitstatus_to_exitcode's refusal text", () => {
    expect(us.continued).toEqual(python.continued);
    expect("error" in python.continued.exitcode).toBe(true);
  });
});

describe("waitid results match CPython's", () => {
  test("exit 3: si_uid, si_signo, si_status, si_code", () => {
    expect(us.waitidExit3).toEqual(python.waitidExit3);
    expect(python.waitidExit3.si_status).toBe(3);
  });

  test("SIGKILL: si_uid, si_signo, si_status, si_code", () => {
    expect(us.waitidKilled).toEqual(python.waitidKilled);
    expect(python.waitidKilled.si_status).toBe(constants.signals.SIGKILL);
  });

  test("WSTOPPED: si_uid, si_signo, si_status, si_code", () => {
    expect(us.waitidStopped).toEqual(python.waitidStopped);
  });

  test("the result has CPython's waitid_result fields in CPython's order", () => {
    expect(us.waitidFields).toEqual(python.waitidFields);
  });
});

describe("WNOHANG results match CPython's", () => {
  test("wait4 (with its zeroed rusage), waitpid and waitid on a running child", () => {
    expect(us.nohang).toEqual(python.nohang);
    expect(python.nohang.waitid).toBeNull();
  });
});

describe("rusage objects match CPython's struct_rusage", () => {
  test("16 fields with the same names in the same order", () => {
    expect(python.rusageLength).toBe(16);
    expect(python.rusageFields).toHaveLength(16);
    expect(us.rusageFields).toEqual(python.rusageFields);
    const names: string[] = [...RUSAGE_FIELDS];
    expect(names).toEqual(python.rusageFields);
  });
});
