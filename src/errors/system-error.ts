/** Failed system calls, as errors shaped like the ones Bun's and Node's own `fs` throw. */
import { errnoName } from "../abi/names.ts";
import { libc } from "../ffi/load.ts";
import { ERRNO_MESSAGES } from "./errno-messages.ts";

/**
 * A failed system call, with the fields Bun's and Node's own system errors carry:
 * `code` ("ECHILD"), `errno` (negative, as in Node: -10 for ECHILD on Linux), `syscall`
 * ("wait4"), and `path` where a file name was involved. As on those errors, these four are
 * the only own enumerable properties (so `util.inspect` and `JSON.stringify` show them) and
 * `name` comes from the prototype.
 */
export class SystemError extends Error {
  // `declare`: each is assigned once in the constructor. A plain field compiles (ESNext,
  // useDefineForClassFields) to a define-as-undefined first: ~130 ns of a caught ECHILD.
  /** The errno name, e.g. `"ECHILD"`. */
  declare readonly code: string;
  /** The file the call was about, where there was one (absent otherwise, as in Node). */
  declare readonly path?: string;
  /** The C function that failed, e.g. `"wait4"`. */
  declare readonly syscall: string;
  /** The negated errno value, as Node and Bun report it (`-os.constants.errno[code]`). */
  declare readonly errno: number;

  constructor(errnum: number, syscall: string, description: string, path?: string) {
    const code = errnoName(errnum);
    super(`${code}: ${description}, ${syscall}${path === undefined ? "" : ` '${path}'`}`);
    // The same own properties, in the same order, as Bun's fs errors: code, path, syscall, errno.
    const self = this as { code: string; path?: string; syscall: string; errno: number };
    self.code = code;
    if (path !== undefined) self.path = path;
    self.syscall = syscall;
    self.errno = -errnum;
  }
}
Object.defineProperty(SystemError.prototype, "name", { value: "SystemError", writable: true, configurable: true });

/** The description of an errno value as Node words it (a fixed table; strerror as a fallback). */
function describeErrno(errnum: number): string {
  const known = ERRNO_MESSAGES[errnoName(errnum)];
  if (known !== undefined) return known;
  const text = libc.strerror(errnum);
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The error for a failed call: `errnum` defaults to the calling thread's errno now. */
export function systemError(syscall: string, errnum: number = libc.errno(), path?: string): SystemError {
  return new SystemError(errnum, syscall, describeErrno(errnum), path);
}
