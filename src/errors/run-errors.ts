/**
 * The errors of run(), spawn() and spawnSync() beyond system and argument errors. (Only the
 * `RunResult` type is named from run/: nothing of run/ loads with this file.)
 */
import type { RunResult } from "../run/result.ts";
import { ERRNO_MESSAGES } from "./errno-messages.ts";

/**
 * run()'s rejection when a captured stream passes `maxBuffer`: `RangeError` with Node's `code`
 * `"ERR_CHILD_PROCESS_STDIO_MAXBUFFER"`. The child has been killed and reaped; `result` holds
 * how it ended and what was captured up to the limit.
 */
export class MaxBufferError extends RangeError {
  readonly code = "ERR_CHILD_PROCESS_STDIO_MAXBUFFER";
  constructor(
    stream: "stdout" | "stderr",
    /** The run's result, with the output kept up to `maxBuffer`. */
    readonly result: RunResult,
  ) {
    super(`${stream} maxBuffer length exceeded`);
    this.name = "RangeError";
  }
}

/**
 * What `peak: "own"` throws (spawn(), spawnSync()) or rejects with (run()) where the command
 * cannot be started with its own peak memory (under qemu-user, for a detached child, with
 * descriptors above 2, …): `code` `"ERR_BUN_WAIT4_PEAK_UNAVAILABLE"`, the reason in the message.
 * Nothing was started. `peak: "auto"` starts such a command directly instead.
 */
export class PeakUnavailableError extends Error {
  readonly code = "ERR_BUN_WAIT4_PEAK_UNAVAILABLE";
  constructor(why: string) {
    super(`bun-wait4: cannot start the command with its own peak memory: ${why}`);
  }
}

/** errno.h's EMFILE and ENFILE: the same numbers on Linux, macOS and FreeBSD. */
const DESCRIPTOR_ERRNOS = { EMFILE: 24, ENFILE: 23 } as const;

/** Whether `error` is EMFILE or ENFILE (by its code): this process or the system is out of descriptors. */
export function outOfDescriptors(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && Object.hasOwn(DESCRIPTOR_ERRNOS, code);
}

/**
 * The error of a first run(), spawn() or spawnSync() whose code could not be loaded for want of
 * descriptors (Bun's loader says "EMFILE reading <file>", without a code): an Error with the
 * `code` and `errno` a spawn would fail with.
 */
export function loadingError(code: keyof typeof DESCRIPTOR_ERRNOS): Error {
  return Object.assign(new Error(`${code}: ${ERRNO_MESSAGES[code]} (loading bun-wait4's spawn)`), { code, errno: -DESCRIPTOR_ERRNOS[code] });
}

/**
 * What spawn() and spawnSync() throw for a signal that is already aborted, as Bun's do: a
 * DOMException named "AbortError" whose `cause` is the signal's reason.
 */
export function abortedError(reason: unknown): DOMException {
  return Object.assign(new DOMException("The operation was aborted.", "AbortError"), { cause: reason });
}
