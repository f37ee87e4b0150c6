/**
 * The wait functions' integer arguments and the bad values each is tried with: one table for
 * the subprocess fixture that makes the calls (fixtures/wait-arguments.ts) and for the test that
 * reads its report (test/sys/wait-arguments.test.ts).
 */
import { P_PID, wait3, wait4, waitid, waitpid, WEXITED, WNOHANG } from "../../src/index.ts";
import { BAD_NON_NEGATIVE, badFor, type BadNumber } from "./bad-values.ts";

/** One argument of one wait function. */
export interface WaitArgument {
  /** "wait4/pid": its cases are reported as `${key}/${bad.label}`. */
  key: string;
  /** The argument's name, as the error message must quote it. */
  arg: string;
  bad: BadNumber[];
  /** Makes the call with `value` as this argument; `sleeper` is a child no call may touch. */
  call: (value: never, sleeper: number) => unknown;
}

const argument = (fn: string, arg: string, call: WaitArgument["call"], extra: readonly BadNumber[] = []): WaitArgument => ({
  key: `${fn}/${arg}`,
  arg,
  bad: badFor({ extra }),
  call,
});

export const WAIT_ARGUMENTS: readonly WaitArgument[] = [
  argument("wait4", "pid", (v) => wait4(v, WNOHANG)),
  argument("wait4", "options", (v, sleeper) => wait4(sleeper, v)),
  argument("waitpid", "pid", (v) => waitpid(v, WNOHANG)),
  argument("waitpid", "options", (v, sleeper) => waitpid(sleeper, v)),
  argument("waitid", "idtype", (v, sleeper) => waitid(v, sleeper, WEXITED | WNOHANG)),
  argument("waitid", "id", (v) => waitid(P_PID, v, WEXITED | WNOHANG), BAD_NON_NEGATIVE),
  argument("waitid", "options", (v, sleeper) => waitid(P_PID, sleeper, v)),
  argument("wait3", "options", (v) => wait3(v)),
];
