/**
 * posix_spawn and posix_spawnp with CPython's arguments. Children made here are unknown to
 * Bun's own reaper, so waiting on them by pid is always safe.
 */
import {
  checkInt32,
  checkInteger,
  InvalidArgTypeError,
  InvalidArgValueError,
  OutOfRangeError,
} from "../errors/arguments.ts";
import { systemError } from "../errors/system-error.ts";
import { libc, runningAbi } from "../ffi/load.ts";
import { packStrings, stableBytes } from "../ffi/memory.ts";

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
  file_actions?: readonly FileAction[];
  /** Put the child in process group `setpgroup`; 0 makes a new group led by the child. */
  setpgroup?: number;
  /** Make the child's effective ids its real ids (`POSIX_SPAWN_RESETIDS`). */
  resetids?: boolean;
  /** Start a new session (`POSIX_SPAWN_SETSID`; not on FreeBSD). */
  setsid?: boolean;
  /** Signal numbers blocked in the child; all others unblocked. */
  setsigmask?: Iterable<number>;
  /** Signal numbers reset to their default action in the child. */
  setsigdef?: Iterable<number>;
}

const OPTION_NAMES = new Set(["file_actions", "setpgroup", "resetids", "setsid", "setsigmask", "setsigdef"]);

/** Environment as `NAME=value` strings, checked as CPython checks them. */
function environmentStrings(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (typeof value !== "string") throw new InvalidArgTypeError(`env.${name}`, "of type string", value);
    if (name === "" || name.includes("=") || name.includes("\0")) {
      throw new InvalidArgValueError("env", "has an illegal environment variable name", name);
    }
    if (value.includes("\0")) throw new InvalidArgValueError(`env.${name}`, "must not contain null bytes", value);
    out.push(`${name}=${value}`);
  }
  return out;
}

function checkString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") throw new InvalidArgTypeError(name, "of type string", value);
  if (value.includes("\0")) throw new InvalidArgValueError(name, "must not contain null bytes", value);
}

function checkArgv(argv: unknown): asserts argv is readonly string[] {
  if (!Array.isArray(argv)) throw new InvalidArgTypeError("argv", "an array of strings", argv);
  if (argv.length === 0) throw new InvalidArgValueError("argv", "must not be empty", argv);
  argv.forEach((arg, i) => checkString(arg, `argv[${i}]`));
  if (argv[0] === "") throw new InvalidArgValueError("argv[0]", "must not be empty", argv[0]);
}

function checkFileAction(action: unknown, i: number): asserts action is FileAction {
  const name = `file_actions[${i}]`;
  if (!Array.isArray(action)) throw new InvalidArgTypeError(name, "an array", action);
  if (action.length === 0) throw new InvalidArgValueError(name, "must not be empty", action);
  const [tag, ...rest] = action as unknown[];
  const expect = (length: number, what: string) => {
    if (rest.length !== length) throw new InvalidArgValueError(name, `must be ${what}`, action);
  };
  switch (tag) {
    case POSIX_SPAWN_OPEN:
      expect(4, "[POSIX_SPAWN_OPEN, fd, path, flags, mode]");
      checkInt32(rest[0], `${name}[1] (fd)`);
      checkString(rest[1], `${name}[2] (path)`);
      checkInt32(rest[2], `${name}[3] (flags)`);
      checkInteger(rest[3], `${name}[4] (mode)`, 0, 0o7777);
      return;
    case POSIX_SPAWN_CLOSE:
      expect(1, "[POSIX_SPAWN_CLOSE, fd]");
      checkInt32(rest[0], `${name}[1] (fd)`);
      return;
    case POSIX_SPAWN_DUP2:
      expect(2, "[POSIX_SPAWN_DUP2, fd, newFd]");
      checkInt32(rest[0], `${name}[1] (fd)`);
      checkInt32(rest[1], `${name}[2] (newFd)`);
      return;
    default:
      throw new InvalidArgValueError(name, "must start with POSIX_SPAWN_OPEN, POSIX_SPAWN_CLOSE or POSIX_SPAWN_DUP2", action);
  }
}

function checkSignals(value: unknown, name: string): number[] {
  if (value === null || typeof value !== "object" || !(Symbol.iterator in value)) {
    throw new InvalidArgTypeError(name, "an iterable of signal numbers", value);
  }
  const signals = [...(value as Iterable<unknown>)];
  signals.forEach((signal, i) => checkInt32(signal, `${name}[${i}]`));
  return signals as number[];
}

function checkBoolean(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new InvalidArgTypeError(name, "of type boolean", value);
  return value;
}

interface CheckedOptions {
  fileActions: readonly FileAction[];
  setpgroup: number | undefined;
  resetids: boolean;
  setsid: boolean;
  setsigmask: number[] | undefined;
  setsigdef: number[] | undefined;
}

function checkOptions(options: unknown): CheckedOptions {
  if (options === undefined || options === null) {
    return { fileActions: [], setpgroup: undefined, resetids: false, setsid: false, setsigmask: undefined, setsigdef: undefined };
  }
  if (typeof options !== "object") throw new InvalidArgTypeError("options", "of type object", options);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) throw new InvalidArgValueError("options", `has an unknown option "${key}"`, key);
  }
  const o = options as Record<string, unknown>;
  let fileActions: FileAction[] = [];
  if (o.file_actions !== undefined && o.file_actions !== null) {
    if (!Array.isArray(o.file_actions)) throw new InvalidArgTypeError("file_actions", "an array", o.file_actions);
    o.file_actions.forEach(checkFileAction);
    fileActions = o.file_actions as FileAction[];
  }
  let setpgroup: number | undefined;
  if (o.setpgroup !== undefined && o.setpgroup !== null) {
    checkInteger(o.setpgroup, "setpgroup", 0, 0x7fffffff);
    setpgroup = o.setpgroup;
  }
  const setsid = checkBoolean(o.setsid, "setsid");
  if (setsid && runningAbi?.spawnFlags.POSIX_SPAWN_SETSID === undefined) {
    throw new InvalidArgValueError("setsid", `is not supported on ${process.platform}`, true);
  }
  return {
    fileActions,
    setpgroup,
    resetids: checkBoolean(o.resetids, "resetids"),
    setsid,
    setsigmask: o.setsigmask === undefined || o.setsigmask === null ? undefined : checkSignals(o.setsigmask, "setsigmask"),
    setsigdef: o.setsigdef === undefined || o.setsigdef === null ? undefined : checkSignals(o.setsigdef, "setsigdef"),
  };
}

/** Fails with the errno a posix_spawn* helper returned (they return it, not -1). */
function check(result: number, call: string): void {
  if (result !== 0) throw systemError(call, result);
}

function fillSigset(set: Uint8Array, signals: number[], name: string): void {
  check(libc.sigemptyset(set) === 0 ? 0 : libc.errno(), "sigemptyset");
  for (const signal of signals) {
    if (libc.sigaddset(set, signal) !== 0) throw new OutOfRangeError(name, "a valid signal number", signal);
  }
}

function spawnWith(
  call: "posix_spawn" | "posix_spawnp",
  path: unknown,
  argv: unknown,
  env: unknown,
  options: unknown,
): number {
  checkString(path, call === "posix_spawn" ? "path" : "file");
  checkArgv(argv);
  let envStrings: string[];
  if (env === undefined || env === null) envStrings = environmentStrings(process.env);
  else if (typeof env !== "object" || Array.isArray(env)) throw new InvalidArgTypeError("env", "an object mapping names to values", env);
  else envStrings = environmentStrings(env as Record<string, string | undefined>);
  const opts = checkOptions(options);
  const abi = libc.abi; // throws on unsupported platforms, before anything is made

  // Strings first: [path, open-paths...] and the argv and envp arrays.
  const openPaths = opts.fileActions.flatMap((a) => (a[0] === POSIX_SPAWN_OPEN ? [a[2]] : []));
  const packed = packStrings([path, ...openPaths], [argv, envStrings]);
  const pidOut = new Int32Array(new ArrayBuffer(8));

  let actions: Uint8Array | null = null;
  let attr: Uint8Array | null = null;
  try {
    if (opts.fileActions.length > 0) {
      const a = stableBytes(Math.max(abi.layouts.spawnFileActionsSize, 512));
      check(libc.posix_spawn_file_actions_init(a), "posix_spawn_file_actions_init");
      actions = a;
      let openIndex = 1;
      for (const action of opts.fileActions) {
        if (action[0] === POSIX_SPAWN_OPEN) {
          const [, fd, , flags, mode] = action;
          const at = packed.strings[openIndex++]!;
          check(libc.posix_spawn_file_actions_addopen(a, fd, at, flags, mode), "posix_spawn_file_actions_addopen");
        } else if (action[0] === POSIX_SPAWN_CLOSE) {
          check(libc.posix_spawn_file_actions_addclose(a, action[1]), "posix_spawn_file_actions_addclose");
        } else {
          check(libc.posix_spawn_file_actions_adddup2(a, action[1], action[2]), "posix_spawn_file_actions_adddup2");
        }
      }
    }

    const f = abi.spawnFlags;
    let flags = 0;
    if (opts.setpgroup !== undefined) flags |= f.POSIX_SPAWN_SETPGROUP;
    if (opts.resetids) flags |= f.POSIX_SPAWN_RESETIDS;
    if (opts.setsid) flags |= f.POSIX_SPAWN_SETSID!;
    if (opts.setsigmask !== undefined) flags |= f.POSIX_SPAWN_SETSIGMASK;
    if (opts.setsigdef !== undefined) flags |= f.POSIX_SPAWN_SETSIGDEF;
    if (flags !== 0) {
      const t = stableBytes(Math.max(abi.layouts.spawnattrSize, 512));
      check(libc.posix_spawnattr_init(t), "posix_spawnattr_init");
      attr = t;
      check(libc.posix_spawnattr_setflags(t, flags), "posix_spawnattr_setflags");
      if (opts.setpgroup !== undefined) {
        check(libc.posix_spawnattr_setpgroup(t, opts.setpgroup), "posix_spawnattr_setpgroup");
      }
      const set = stableBytes(Math.max(abi.layouts.sigsetSize, 128));
      if (opts.setsigmask !== undefined) {
        fillSigset(set, opts.setsigmask, "setsigmask");
        check(libc.posix_spawnattr_setsigmask(t, set), "posix_spawnattr_setsigmask");
      }
      if (opts.setsigdef !== undefined) {
        fillSigset(set, opts.setsigdef, "setsigdef");
        check(libc.posix_spawnattr_setsigdefault(t, set), "posix_spawnattr_setsigdefault");
      }
    }

    const spawn = call === "posix_spawn" ? libc.posix_spawn : libc.posix_spawnp;
    const result = spawn(pidOut, packed.strings[0]!, actions, attr, packed.arrays[0]!, packed.arrays[1]!);
    if (result !== 0) throw systemError(call, result, path);
    return pidOut[0]!;
  } finally {
    if (actions !== null) libc.posix_spawn_file_actions_destroy(actions);
    if (attr !== null) libc.posix_spawnattr_destroy(attr);
    void packed.memory; // keeps the strings alive until here
  }
}

/**
 * Starts the program at `path` (no PATH search) and returns its pid, as CPython's
 * `os.posix_spawn`. `argv[0]` is the name the program sees; `env` maps variable names to
 * values (`process.env` if null or omitted).
 *
 * The child is not known to Bun, so waiting on it (`waitpid(pid, 0)`, `wait4`, `waitid`)
 * is safe, and you must wait on it: otherwise it stays a zombie until this process exits.
 *
 * @throws SystemError from the spawn (e.g. "ENOENT" when `path` does not exist).
 * @example
 * const pid = posix_spawn("/bin/sh", ["sh", "-c", "exit 3"], process.env);
 * const [, status] = waitpid(pid, 0);
 * WEXITSTATUS(status); // 3
 */
export function posix_spawn(
  path: string,
  argv: readonly string[],
  env?: Record<string, string | undefined> | null,
  options?: SpawnOptions,
): number {
  return spawnWith("posix_spawn", path, argv, env, options);
}

/**
 * Like `posix_spawn`, but looks `file` up in the PATH (of this process) when it has no
 * slash, as CPython's `os.posix_spawnp`.
 *
 * @example
 * const pid = posix_spawnp("ls", ["ls", "-l"], process.env, {
 *   file_actions: [[POSIX_SPAWN_OPEN, 1, "/tmp/out.txt", fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644]],
 * });
 * waitpid(pid, 0);
 */
export function posix_spawnp(
  file: string,
  argv: readonly string[],
  env?: Record<string, string | undefined> | null,
  options?: SpawnOptions,
): number {
  return spawnWith("posix_spawnp", file, argv, env, options);
}

