/**
 * What a failed call does with its errno. PEP 475: a call interrupted by a signal (`EINTR`) is
 * retried, and nothing else is; any other errno is thrown as a `SystemError`. Every blocking
 * call writes its own loop, in the public function itself:
 *
 *   while ((result = libc.call(...)) === -1) {
 *     const errnum = libc.errno();
 *     if (errnum !== EINTR) throw systemError("call", errnum);
 *   }
 *
 * Not a shared helper that throws: docs/DESIGN.md §5.7.
 */
import { ERRNO_MESSAGES } from "../errors/errno-messages.ts";
import { errnoName, SystemError } from "../errors/system-error.ts";
import { libc, runningAbi } from "../ffi/load.ts";

/** The running platform's EINTR (4 on Linux, macOS and FreeBSD); undefined where unsupported. */
export const EINTR: number | undefined = runningAbi?.errnos.EINTR;

/** The description of an errno value as Node words it (a fixed table; strerror as a fallback). */
function describeErrno(errnum: number): string {
  const known = ERRNO_MESSAGES[errnoName(errnum)];
  if (known !== undefined) return known;
  const text = libc.strerror(errnum);
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The error for a call that failed with `errnum` (read where the call was made, right after it). */
export function systemError(syscall: string, errnum: number, path?: string): SystemError {
  return new SystemError(errnum, syscall, describeErrno(errnum), path);
}
