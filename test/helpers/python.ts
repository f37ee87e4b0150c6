/** CPython as the reference: running snippets, reading its os constants, finding the real interpreter. */

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
