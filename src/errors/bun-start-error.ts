/**
 * The errors spawn() and spawnSync() throw when a command cannot start, shaped as Bun.spawn's
 * (a plain Error with `code`, `errno` and, but for a program not found, `syscall`
 * "posix_spawn" and `path` naming the program): code written for Bun.spawn catches them alike.
 */

/**
 * Bun.spawn's form of a start failure `error` of a command whose program is `file`. `stage`:
 * whether the error came from looking the program up ("lookup") or from starting it. Bun says
 * "not found in $PATH" only for a bare name; a path with a slash fails as posix_spawn's ENOENT.
 */
export function bunStartError(error: unknown, file: string, stage: "lookup" | "start"): unknown {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown };
  if (typeof e !== "object" || e === null || typeof e.code !== "string" || typeof e.errno !== "number") return error;
  if (stage === "lookup" && e.code === "ENOENT" && !file.includes("/")) {
    const notFound = new Error(`Executable not found in $PATH: "${file}"`);
    return Object.assign(notFound, file === "" ? { code: e.code, errno: e.errno } : { code: e.code, path: file, errno: e.errno });
  }
  const description = String(e.message).replace(/^[A-Z]+: /, "").replace(/, [a-z_0-9]+( '.*')?$/, "");
  return Object.assign(new Error(`${e.code}: ${description}, posix_spawn '${file}'`), { code: e.code, path: file, syscall: "posix_spawn", errno: e.errno });
}
