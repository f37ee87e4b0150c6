/**
 * PEP 475: a call interrupted by a signal (`EINTR`) is retried, and nothing else is. Every
 * blocking call writes its loop as
 *   while ((result = libc.call(...)) === -1) retryOrThrow("call");
 */
import { systemError } from "../errors/system-error.ts";
import { libc, runningAbi } from "../ffi/load.ts";

const EINTR = runningAbi?.errnos.EINTR;

/** Returns (so the caller retries) if the failed call was interrupted; throws its error otherwise. */
export function retryOrThrow(syscall: string): void {
  const errnum = libc.errno();
  if (errnum !== EINTR) throw systemError(syscall, errnum);
}
