/**
 * bun-wait4: the POSIX process-waiting API of CPython's `os` and `resource` modules,
 * for Bun, through `bun:ffi`. Same names, argument order and results as CPython.
 *
 * @example
 * import { posix_spawnp, wait4, decodeStatus } from "bun-wait4";
 * const pid = posix_spawnp("sh", ["sh", "-c", "exit 3"], process.env);
 * const [, status, usage] = wait4(pid, 0);
 * decodeStatus(status); // { kind: "exited", code: 3 }
 * @module
 */
export { wait, wait3, wait4, waitid, waitpid, pidfd_open, getrusage, type WaitidResult } from "./wait.ts";
export {
  WIFEXITED,
  WEXITSTATUS,
  WIFSIGNALED,
  WTERMSIG,
  WCOREDUMP,
  WIFSTOPPED,
  WSTOPSIG,
  WIFCONTINUED,
  waitstatus_to_exitcode,
  decodeStatus,
  signalName,
  type ProcessState,
} from "./status.ts";
export {
  posix_spawn,
  posix_spawnp,
  POSIX_SPAWN_OPEN,
  POSIX_SPAWN_CLOSE,
  POSIX_SPAWN_DUP2,
  type FileAction,
  type SpawnOptions,
} from "./spawn.ts";
export * from "./constants.ts";
export { RUSAGE_FIELDS, type Rusage } from "./rusage.ts";
export { SystemError } from "./errors.ts";
export { UnsupportedPlatformError } from "./abi/select.ts";
