/**
 * The arguments of `posix_spawn`/`posix_spawnp`, read exactly once into plain values and
 * validated (read-once.ts says how each kind of value is read). Nothing after
 * `spawnRequest` looks at the caller's objects again: packing and the C calls see only the
 * returned snapshot.
 */
import { checkCString, checkInt32, checkInteger, INT32_MAX, InvalidArgTypeError, InvalidArgValueError } from "../errors/arguments.ts";
import { readList, readMapping, readNumberSet } from "./read-once.ts";
import { runningAbi } from "../ffi/load.ts";
import { envBlock, readEnv, type EnvBlock, type EnvView } from "./env-block.ts";
import { MAX_SIGNAL } from "./signals.ts";

/** Tag of a file action that opens `path` as `fd` in the child (CPython's value). */
export const POSIX_SPAWN_OPEN = 0;
/** Tag of a file action that closes `fd` in the child (CPython's value). */
export const POSIX_SPAWN_CLOSE = 1;
/** Tag of a file action that duplicates `fd` onto `newFd` in the child (CPython's value). */
export const POSIX_SPAWN_DUP2 = 2;

/** One step applied in the child before it execs, in order, as CPython's `file_actions`. */
export type FileAction =
  | readonly [tag: typeof POSIX_SPAWN_OPEN, fd: number, path: string, flags: number, mode: number]
  | readonly [tag: typeof POSIX_SPAWN_CLOSE, fd: number]
  | readonly [tag: typeof POSIX_SPAWN_DUP2, fd: number, newFd: number];

/** Options of `posix_spawn`/`posix_spawnp`, as CPython's keyword arguments. */
export interface SpawnOptions {
  /** Opens, closes and dups done in the child before exec, in order. */
  file_actions?: readonly FileAction[] | null;
  /** Put the child in process group `setpgroup`; 0 makes a new group led by the child. */
  setpgroup?: number | null;
  /** Make the child's effective ids its real ids (`POSIX_SPAWN_RESETIDS`). */
  resetids?: boolean | null;
  /** Start a new session (`POSIX_SPAWN_SETSID`; not on FreeBSD). */
  setsid?: boolean | null;
  /** Signal numbers blocked in the child; all others unblocked. */
  setsigmask?: Iterable<number> | null;
  /** Signal numbers reset to their default action in the child. */
  setsigdef?: Iterable<number> | null;
  /**
   * bun-wait4's extension (CPython has none): the child's working directory, changed to before
   * the file actions run (`posix_spawn_file_actions_addchdir_np`: glibc ≥ 2.29, musl ≥ 1.1.24,
   * macOS ≥ 10.15, FreeBSD ≥ 13.1). A directory that cannot be entered fails the spawn.
   */
  cwd?: string | null;
}

/** A checked file action, copied out of the caller's arrays. */
export type CheckedAction =
  | { tag: typeof POSIX_SPAWN_OPEN; fd: number; path: string; flags: number; mode: number }
  | { tag: typeof POSIX_SPAWN_CLOSE; fd: number }
  | { tag: typeof POSIX_SPAWN_DUP2; fd: number; newFd: number };

/** Everything one spawn needs, as plain checked values. */
export interface SpawnRequest {
  path: string;
  argv: readonly string[];
  /** The child's environment, checked and packed (`env-block.ts`). */
  env: EnvBlock;
  fileActions: CheckedAction[];
  setpgroup: number | undefined;
  resetids: boolean;
  setsid: boolean;
  setsigmask: readonly number[] | undefined;
  setsigdef: readonly number[] | undefined;
  cwd: string | undefined;
}

/** More arguments than any kernel takes (Linux: ARG_MAX 2 MiB, each at least 2 bytes). */
const MAX_LIST = 1 << 20;
/** More elements than a signal set can name. */
const MAX_SIGNALS = 4096;

const OPTION_NAMES = new Set(["file_actions", "setpgroup", "resetids", "setsid", "setsigmask", "setsigdef", "cwd"]);

/** Reads an argv once: a non-empty list of C strings whose first is not empty. */
export function readArgv(value: unknown): string[] {
  const argv = readList(value, "argv", MAX_LIST, "an array of strings");
  if (argv.length === 0) throw new InvalidArgValueError("argv", "must not be empty", value);
  for (let i = 0; i < argv.length; i++) checkCString(argv[i], `argv[${i}]`);
  if (argv[0] === "") throw new InvalidArgValueError("argv[0]", "must not be empty", "");
  return argv as string[];
}

function readFileAction(value: unknown, i: number): CheckedAction {
  const name = `file_actions[${i}]`;
  const action = readList(value, name, 5, "an array", () => new InvalidArgValueError(name, "must have at most 5 elements", value));
  if (action.length === 0) throw new InvalidArgValueError(name, "must not be empty", value);
  const [tag, a, b, c, d] = action;
  const expect = (length: number, what: string) => {
    if (action.length !== length) throw new InvalidArgValueError(name, `must be ${what}`, action);
  };
  switch (tag) {
    case POSIX_SPAWN_OPEN:
      expect(5, "[POSIX_SPAWN_OPEN, fd, path, flags, mode]");
      checkInt32(a, `${name}[1] (fd)`);
      checkCString(b, `${name}[2] (path)`);
      checkInt32(c, `${name}[3] (flags)`);
      checkInteger(d, `${name}[4] (mode)`, 0, 0o7777);
      return { tag, fd: a, path: b, flags: c, mode: d };
    case POSIX_SPAWN_CLOSE:
      expect(2, "[POSIX_SPAWN_CLOSE, fd]");
      checkInt32(a, `${name}[1] (fd)`);
      return { tag, fd: a };
    case POSIX_SPAWN_DUP2:
      expect(3, "[POSIX_SPAWN_DUP2, fd, newFd]");
      checkInt32(a, `${name}[1] (fd)`);
      checkInt32(b, `${name}[2] (newFd)`);
      return { tag, fd: a, newFd: b };
    default:
      throw new InvalidArgValueError(name, "must start with POSIX_SPAWN_OPEN, POSIX_SPAWN_CLOSE or POSIX_SPAWN_DUP2", action);
  }
}

function readSignals(value: unknown, name: string): number[] {
  const signals = readNumberSet(value, name, MAX_SIGNALS);
  for (let i = 0; i < signals.length; i++) checkInteger(signals[i], `${name}[${i}]`, 1, MAX_SIGNAL);
  return signals as number[];
}

/** Throws where posix_spawn cannot start a session (FreeBSD has no POSIX_SPAWN_SETSID). */
function checkSetsid(): void {
  if (runningAbi?.spawnFlags.POSIX_SPAWN_SETSID === undefined) {
    throw new InvalidArgValueError("setsid", `is not supported on ${process.platform}`, true);
  }
}

function checkFlag(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new InvalidArgTypeError(name, "of type boolean", value);
  return value;
}

/** Reads and checks every argument of one spawn, each exactly once, before anything is made. */
export function spawnRequest(call: "posix_spawn" | "posix_spawnp", path: unknown, argv: unknown, env: unknown, options: unknown): SpawnRequest {
  checkCString(path, call === "posix_spawn" ? "path" : "file");
  const checkedArgv = readArgv(argv);
  const request = checkedRequest(path, checkedArgv, readEnv(env), {});
  if (options === undefined || options === null) return request;
  for (const [key, value] of readMapping(options, "options", "a plain object")) {
    if (!OPTION_NAMES.has(key)) throw new InvalidArgValueError("options", `has an unknown option "${key}"`, key);
    if (value === undefined || value === null) continue;
    switch (key) {
      case "file_actions":
        request.fileActions = readList(value, "file_actions", MAX_LIST).map(readFileAction);
        break;
      case "setpgroup":
        checkInteger(value, "setpgroup", 0, INT32_MAX);
        request.setpgroup = value;
        break;
      case "resetids":
        request.resetids = checkFlag(value, "resetids");
        break;
      case "setsid":
        request.setsid = checkFlag(value, "setsid");
        if (request.setsid) checkSetsid();
        break;
      case "setsigmask":
        request.setsigmask = readSignals(value, "setsigmask");
        break;
      case "setsigdef":
        request.setsigdef = readSignals(value, "setsigdef");
        break;
      case "cwd":
        checkCString(value, "cwd");
        request.cwd = value;
        break;
    }
  }
  return request;
}


/**
 * A request made of values this package has already read and checked (launch.ts, the hand-off
 * shells): the same checks are not run again per spawn, and no user object is read here.
 * `env` is checked on a miss of the packed environment's cache, as spawnRequest's is.
 */
export function checkedRequest(
  path: string,
  argv: readonly string[],
  env: EnvView,
  rest: Partial<Omit<SpawnRequest, "path" | "argv" | "env">>,
): SpawnRequest {
  if (rest.setsid === true) checkSetsid();
  return {
    path,
    argv,
    env: envBlock(env),
    fileActions: rest.fileActions ?? [],
    setpgroup: rest.setpgroup,
    resetids: rest.resetids ?? false,
    setsid: rest.setsid ?? false,
    setsigmask: rest.setsigmask,
    setsigdef: rest.setsigdef,
    cwd: rest.cwd,
  };
}
