/**
 * PEP 475: a call interrupted by a signal (`EINTR`) is retried, and nothing else is. Every
 * blocking call writes its own loop, in the public function itself:
 *
 *   while ((result = libc.call(...)) === -1) {
 *     const errnum = libc.errno();
 *     if (errnum !== EINTR) throw systemError("call", errnum);
 *   }
 *
 * Not a shared helper that throws: each frame between the public function and the error's
 * construction made a caught ECHILD ~90 ns slower in Bun 1.4 (two frames took the error path
 * from 0.78 to 0.97 µs, BENCHMARKS.md "Error path").
 */
import { runningAbi } from "../ffi/load.ts";

/** The running platform's EINTR (4 on Linux, macOS and FreeBSD); undefined where unsupported. */
export const EINTR: number | undefined = runningAbi?.errnos.EINTR;
