/** Failed system calls, as errors shaped like the ones Bun's and Node's own `fs` throw. */

let errnoNames: Map<number, string> | undefined;

/**
 * `ECHILD` for 10 on Linux: the running platform's name for an errno value, from Node's
 * `os.constants.errno` (which Bun fills from the platform's headers), or `E<n>` if it has none.
 * The first name of a number wins (EAGAIN over EWOULDBLOCK). `node:os` loads on the first name
 * asked for, not at import (docs/DESIGN.md §3.1).
 */
export function errnoName(errnum: number): string {
  if (errnoNames === undefined) {
    errnoNames = new Map();
    for (const [name, value] of Object.entries(process.getBuiltinModule("node:os").constants.errno)) if (!errnoNames.has(value)) errnoNames.set(value, name);
  }
  return errnoNames.get(errnum) ?? `E${errnum}`;
}

/**
 * A failed system call, with the fields Bun's and Node's own system errors carry:
 * `code` ("ECHILD"), `errno` (negative, as in Node: -10 for ECHILD on Linux), `syscall`
 * ("wait4"), and `path` where a file name was involved. As on those errors, these four are
 * the only own enumerable properties (so `util.inspect` and `JSON.stringify` show them) and
 * `name` comes from the prototype.
 */
export class SystemError extends Error {
  // `declare`d, each assigned once in the constructor: not class fields (docs/DESIGN.md §5.7).
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
