/**
 * Finding the program as execvp(3) does, before anything is spawned, so that a missing program
 * rejects with ENOENT and one that cannot be run with EACCES — the errors Node users expect —
 * also where the exec itself happens in a handed-over subshell that could only exit 127.
 */
import { accessSync, constants, statSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { isAbsolute, join } from "node:path";
import type { SystemError } from "../errors/system-error.ts";
import { systemError } from "../sys/errno.ts";

/** glibc's and musl's search path when PATH is unset (confstr _CS_PATH). */
const DEFAULT_PATH = "/bin:/usr/bin";

/** The error posix_spawn would give, worded by the errno table (src/errors/errno-messages.ts). */
function error(code: "ENOENT" | "EACCES" | "ENOTDIR", path: string): SystemError {
  return systemError("posix_spawn", osConstants.errno[code], path);
}

/**
 * Throws ENOENT or ENOTDIR unless `cwd` is a directory: checked before the spawn, so the
 * error is the same where posix_spawn cannot report a failed chdir (qemu-user's fork).
 */
export function checkDirectory(cwd: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch (e) {
    throw error((e as { code?: string }).code === "ENOTDIR" ? "ENOTDIR" : "ENOENT", cwd);
  }
  if (!isDirectory) throw error("ENOTDIR", cwd);
}

/** "ok", or the errno name execve would fail with for `path`. */
export function executable(path: string): "ok" | "ENOENT" | "EACCES" {
  let stat;
  try {
    // A miss is the common case in a PATH search: no error object for it (~8 µs each).
    stat = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === "EACCES" ? "EACCES" : "ENOENT";
  }
  if (stat === undefined) return "ENOENT";
  if (!stat.isFile()) return "EACCES";
  try {
    accessSync(path, constants.X_OK);
    return "ok";
  } catch {
    return "EACCES";
  }
}

/**
 * The path execvp would run for `file` with the child's `PATH`: `file` itself when it has a
 * slash, else the first executable match in PATH. Relative paths are looked at from `cwd`,
 * the child's working directory. Throws SystemError ENOENT when there is none, EACCES when
 * only non-executable matches exist (execvp's rule).
 */
export function resolveProgram(file: string, path: string | undefined, cwd?: string): string {
  if (file === "") throw error("ENOENT", file);
  const at = (p: string) => (cwd === undefined || isAbsolute(p) ? p : join(cwd, p));
  if (file.includes("/")) {
    const verdict = executable(at(file));
    if (verdict !== "ok") throw error(verdict, file);
    return file;
  }
  let sawDenied = false;
  for (const dir of (path ?? DEFAULT_PATH).split(":")) {
    const candidate = join(dir === "" ? "." : dir, file);
    const verdict = executable(at(candidate));
    if (verdict === "ok") return candidate;
    if (verdict === "EACCES") sawDenied = true;
  }
  throw error(sawDenied ? "EACCES" : "ENOENT", file);
}
