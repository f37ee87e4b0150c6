/** CPython as the reference: running snippets, reading its os constants, finding the real interpreter. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCaptured } from "./live.ts";

/** Runs `python3 -c code` and parses the JSON it prints on stdout. */
export function runPythonJson(code: string, cwd?: string): unknown {
  const result = Bun.spawnSync(["python3", "-c", code], { stdout: "pipe", stderr: "pipe", cwd });
  if (result.exitCode !== 0) {
    throw new Error(`python3 exited ${result.exitCode}: ${result.stderr.toString()}`);
  }
  return JSON.parse(result.stdout.toString());
}

/** CPython's values of the os constants the live tests expect in results. */
export interface PythonOsConstants {
  CLD_EXITED: number;
  CLD_KILLED: number;
  CLD_DUMPED: number;
  CLD_STOPPED: number;
  CLD_CONTINUED: number;
}

let pythonConstants: PythonOsConstants | undefined;

/** Reads the `CLD_*` values from CPython's `os` module (the reference, not our table). */
export function pythonOsConstants(): PythonOsConstants {
  pythonConstants ??= runPythonJson(
    "import os, json; print(json.dumps({k: getattr(os, k) for k in " +
      "['CLD_EXITED', 'CLD_KILLED', 'CLD_DUMPED', 'CLD_STOPPED', 'CLD_CONTINUED']}))",
  ) as PythonOsConstants;
  return pythonConstants;
}

let pythonPath: string | undefined;

/**
 * The real python3 interpreter, by absolute path. `python3` on the PATH may be a wrapper
 * script (pyenv's shim adds variables to the environment), so ask it once for `sys.executable`.
 */
export function realPython(): string {
  if (pythonPath === undefined) {
    const result = Bun.spawnSync(["python3", "-c", "import sys; print(sys.executable)"], { stdout: "pipe" });
    const path = result.stdout.toString().trim();
    if (result.exitCode !== 0 || !path.startsWith("/")) throw new Error(`python3 did not name its executable: ${path}`);
    pythonPath = path;
  }
  return pythonPath;
}

const CPYTHON_ANSWERS = `
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

/**
 * What CPython's calls `expressions` (Python source, each with `p` its own sleeping child, `os`
 * and `libc_getrusage(who)` at hand) did: "ok", or the errno name of the OSError each raised.
 * CPython asserts its child was untouched after each call. The reference for `kernelAnswers`
 * (helpers/live.ts).
 */
export function cpythonAnswers(expressions: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "bun-wait4-cpython-"));
  try {
    const out = join(dir, "answers.json");
    const run = runCaptured(realPython(), ["python3", "-c", CPYTHON_ANSWERS, out, JSON.stringify(expressions)], 30_000);
    if (run.status !== 0 || run.stderr !== "") throw new Error(`python3 failed (status ${run.status}):\n${run.stderr}`);
    return JSON.parse(readFileSync(out, "utf8")) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
