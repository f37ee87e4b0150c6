/**
 * Finding the program as execvp(3) does, before anything is spawned, so that a missing program
 * rejects with ENOENT and one that cannot be run with EACCES — the errors Node users expect —
 * also where the exec itself happens in a handed-over subshell that could only exit 127.
 */
import { statSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { isAbsolute, join } from "node:path";
import type { SystemError } from "../errors/system-error.ts";
import { libc } from "../ffi/load.ts";
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

/** access(2)'s X_OK: the same bit on every platform. */
const X_OK = 1;
const encoder = new TextEncoder();

/** "ok", or the errno name execve would fail with for `path`. */
export function executable(path: string): "ok" | "ENOENT" | "EACCES" {
  // access(2) first: a miss is the common case in a PATH search, and a call through the FFI
  // makes no Stats object (resolveProgram("sh") over 8 PATH entries: 15 µs, 22 with statSync).
  if (libc.access(encoder.encode(`${path}\0`), X_OK) !== 0) {
    return libc.errno() === osConstants.errno.EACCES ? "EACCES" : "ENOENT";
  }
  // Executable for us, but execve runs regular files only (a directory has x too).
  let stat;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    return (e as { code?: string }).code === "EACCES" ? "EACCES" : "ENOENT";
  }
  if (stat === undefined) return "ENOENT"; // removed meanwhile
  return stat.isFile() ? "ok" : "EACCES";
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
