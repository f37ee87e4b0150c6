/**
 * GNU time's own exit status and its "unknown status" diagnostic (spec §5.2, "spec" being the
 * GNU time behavioural specification, docs/GNU-TIME.md; GNU `main`).
 * @module
 */
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WSTOPSIG, WTERMSIG } from "../index.ts";

/** True if a wait status is none of stopped, signalled, exited (GNU `main`'s "shouldn't happen"). */
function unknownStatus(status: number): boolean {
  return !WIFSTOPPED(status) && !WIFSIGNALED(status) && !WIFEXITED(status);
}

/**
 * GNU time's own exit status for the command's wait status (spec §5.2; GNU `main`): 128 +
 * the signal if it was stopped or killed, the exit code if it exited, 1 for a status that
 * is none of these. Returned as a parent sees it, i.e. the low 8 bits of what GNU passes to
 * `exit()` (only a "stopped by signal > 127" word, impossible on Linux, is changed by that).
 */
export function gnuExitStatus(status: number): number {
  let code: number;
  if (WIFSTOPPED(status)) code = WSTOPSIG(status) + 128;
  else if (WIFSIGNALED(status)) code = WTERMSIG(status) + 128;
  else if (WIFEXITED(status)) code = WEXITSTATUS(status);
  else code = 1;
  return code & 0xff;
}

/**
 * The diagnostic GNU `main` writes to stderr after the report for a wait status that is
 * none of stopped, signalled, exited (spec §5.2, §10: e.g. 0xffff on Linux): "" otherwise.
 *
 * @param argv0 the program name as invoked (`argv[0]`, unchanged).
 */
export function unknownStatusMessage(argv0: string, status: number): string {
  return unknownStatus(status) ? `${argv0}: unknown status from command (${status})\n` : "";
}
