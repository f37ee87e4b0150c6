/**
 * The line GNU time writes before its report when the command did not simply exit 0 (spec
 * §4, "spec" being the GNU time behavioural specification, docs/GNU-TIME.md).
 * @module
 */
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WSTOPSIG, WTERMSIG } from "../index.ts";
import type { TimedRun } from "./format.ts";
import { PORTABLE_FORMAT } from "./formats.ts";

/** Options of {@link statusLine}. */
export interface StatusLineOptions {
  /** `-q` was given. */
  quiet: boolean;
  /** The format is the built-in `-p` format, chosen by `-p` (not text that equals it). */
  portable: boolean;
}

/**
 * The line GNU time writes before the report when the command did not simply exit 0
 * (spec §4; GNU `summarize`, top): checked in the order stopped, signalled, non-zero exit.
 * Nothing with `-q`, nothing with the built-in `-p` format. GNU tests that by pointer
 * identity (spec §1.2), so a `-f`/`$TIME` format equal to {@link PORTABLE_FORMAT} still gets
 * the line: `portable` says which it was, and `format` is only checked against it.
 *
 * @returns "" or one line ending in "\n".
 * @throws TypeError if `portable` is true but `format` is not {@link PORTABLE_FORMAT}.
 */
export function statusLine(run: TimedRun, format: string, options: StatusLineOptions): string {
  if (options.portable && format !== PORTABLE_FORMAT) {
    throw new TypeError("statusLine: portable is true but the format is not PORTABLE_FORMAT");
  }
  if (options.quiet || options.portable) return "";
  const { status } = run;
  if (WIFSTOPPED(status)) return `Command stopped by signal ${WSTOPSIG(status)}\n`;
  if (WIFSIGNALED(status)) return `Command terminated by signal ${WTERMSIG(status)}\n`;
  if (WIFEXITED(status) && WEXITSTATUS(status) !== 0) return `Command exited with non-zero status ${WEXITSTATUS(status)}\n`;
  return "";
}
