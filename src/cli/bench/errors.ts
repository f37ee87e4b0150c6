/**
 * The two ways a benchmark stops early: an error hyperfine reports as `Error: …` with exit
 * status 1, and a `--debug-mode` command that is not `sleep X` (hyperfine panics: 101).
 * @module
 */

/** An error hyperfine prints as `Error: <message>` before exiting with status 1. */
export class BenchError extends Error {
  override name = "BenchError";
}

/** `--debug-mode` was asked to "run" something other than `sleep <seconds>` (hyperfine: a panic, 101). */
export class DebugModeError extends Error {
  override name = "DebugModeError";
  constructor(readonly commandLine: string) {
    super(`--debug-mode runs only 'sleep <seconds>' commands, not '${commandLine}'`);
  }
}
