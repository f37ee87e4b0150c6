/**
 * Whether the kernel itself runs a file, read from its first bytes as execve(2) does: an ELF
 * image, or a `#!` script whose interpreter the kernel runs in turn. Bun.spawn execs a file
 * without either, and fails (ENOEXEC; ENOENT for a missing interpreter), where a shell's `exec`
 * and execvp(3) run it as a shell script instead; so spawn() starts such a file directly,
 * where its exec answers as Bun's does (or binfmt_misc runs it), rather than hand it to a shell.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { executable } from "./resolve.ts";

/** BINPRM_BUF_SIZE (include/uapi/linux/binfmts.h): how much of the file the kernel reads to decide. */
const HEADER_BYTES = 256;
/** How many interpreters deep the kernel follows `#!` (fs/exec.c: 5 levels of binfmt). */
const MAX_DEPTH = 4;

/** The first bytes of `path`, or undefined if it cannot be read. */
function header(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const bytes = new Uint8Array(HEADER_BYTES);
    return bytes.subarray(0, readSync(fd, bytes, 0, HEADER_BYTES, 0));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The interpreter a `#!` line names (fs/binfmt_script.c: after blanks, up to a blank or the line's end). */
function interpreterOf(bytes: Uint8Array): string | undefined {
  let start = 2;
  while (bytes[start] === 0x20 || bytes[start] === 0x09) start++;
  let end = start;
  while (end < bytes.length && bytes[end] !== 0x20 && bytes[end] !== 0x09 && bytes[end] !== 0x0a && bytes[end] !== 0) end++;
  if (end === start) return undefined;
  return Buffer.from(bytes.subarray(start, end)).toString("latin1");
}

/**
 * True when execve(2) of `path` runs it without help: an ELF file (of any machine: binfmt_misc
 * runs foreign ones), or a `#!` script whose interpreter is such a file. `cwd` is the child's
 * directory, where a relative interpreter is looked up.
 */
export function kernelRuns(path: string, cwd: string | undefined, depth = 0): boolean {
  const bytes = header(path);
  if (bytes === undefined) return false;
  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return true;
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21 || depth >= MAX_DEPTH) return false;
  const interpreter = interpreterOf(bytes);
  if (interpreter === undefined) return false;
  const at = cwd === undefined || isAbsolute(interpreter) ? interpreter : join(cwd, interpreter);
  return executable(at) === "ok" && kernelRuns(at, cwd, depth + 1);
}
