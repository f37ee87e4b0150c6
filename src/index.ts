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
export { wait, wait3, wait4, waitpid } from "./sys/wait.ts";
export { waitid, type WaitidResult } from "./sys/waitid.ts";
export { pidfd_open } from "./sys/pidfd.ts";
export { getrusage, RUSAGE_FIELDS, type Rusage } from "./sys/rusage.ts";
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
  type ProcessState,
} from "./sys/status.ts";
export { signalName, signalDescription } from "./sys/signals.ts";
export {
  posix_spawn,
  posix_spawnp,
  POSIX_SPAWN_OPEN,
  POSIX_SPAWN_CLOSE,
  POSIX_SPAWN_DUP2,
  type FileAction,
  type SpawnOptions,
} from "./sys/spawn.ts";
export * from "./sys/constants.ts";
export { run, spawn, spawnSync, type RunOptions, type RunResult, type Stdio, type PeakMode } from "./run/entry.ts";
export type { SpawnedSubprocess, PeakOption } from "./run/spawn.ts";
export type { SpawnedSyncSubprocess } from "./run/spawn-sync.ts";
export type { ResourceUsage } from "./run/resource-usage.ts";
export { SystemError } from "./errors/system-error.ts";
export { UnsupportedPlatformError } from "./errors/unsupported-platform.ts";
export { MaxBufferError, PeakUnavailableError } from "./errors/run-errors.ts";
