/**
 * posix_spawn and posix_spawnp with CPython's arguments. Children made here are unknown to
 * Bun's own reaper, so waiting on them by pid is always safe.
 *
 * Every argument is read once and checked first (`spawn-request.ts`); from there on only
 * that snapshot is used.
 */
import { libc } from "../ffi/load.ts";
import { packStrings, stableBytes } from "../ffi/memory.ts";
import { systemError } from "./errno.ts";
import { keepChildrenWaitable } from "./sigchld.ts";
import {
  POSIX_SPAWN_CLOSE,
  POSIX_SPAWN_DUP2,
  POSIX_SPAWN_OPEN,
  spawnRequest,
  type CheckedAction,
  type SpawnOptions,
  type SpawnRequest,
} from "./spawn-request.ts";

export { checkedRequest, POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, POSIX_SPAWN_OPEN, type CheckedAction, type FileAction, type SpawnOptions } from "./spawn-request.ts";

// One set of C objects, each over its own ArrayBuffer, reused by every spawn: initialised
// before and destroyed after each use, and no spawn re-enters another. Sizes are at least
// every platform's (glibc's posix_spawnattr_t is 336 bytes, sigset_t 128).
const pidOut = new Int32Array(new ArrayBuffer(8));
const actionsMemory = stableBytes(512);
const attrMemory = stableBytes(512);
const sigsetMemory = stableBytes(256);

/** Fails with the errno a posix_spawn* helper returned (they return it, not -1). */
function check(result: number, call: string): void {
  if (result !== 0) throw systemError(call, result);
}

/** The last sigset filled, kept as bytes: every launch asks for the same full set (64 calls each). */
let lastSigset: { signals: readonly number[]; reserved: boolean; bytes: Uint8Array } | undefined;

function sameSignals(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Fills the sigset with `signals` (already range-checked). A number the C library refuses is
 * skipped, as CPython's posix_spawn does (it warns): glibc reserves 32 and 33 for itself, so
 * `setsigmask: range(1, 65)` still spawns.
 */
function fillSigset(signals: readonly number[], reserved: boolean): void {
  if (lastSigset !== undefined && lastSigset.reserved === reserved && sameSignals(lastSigset.signals, signals)) {
    sigsetMemory.set(lastSigset.bytes);
    return;
  }
  check(libc.sigemptyset(sigsetMemory) === 0 ? 0 : libc.errno(), "sigemptyset");
  for (const signal of signals) {
    if (libc.sigaddset(sigsetMemory, signal) === 0 || !reserved) continue;
    // A signal the C library keeps for itself (glibc 32-33, musl 32-34): its bit is set by hand
    // (a sigset_t is a bitmask, signal n at bit n - 1, little-endian: the C asserts check the
    // layout). glibc's posix_spawn otherwise sets these to SIG_IGN in the child whenever the
    // parent has a handler for them, and an ignored signal stays ignored across exec.
    sigsetMemory[(signal - 1) >> 3]! |= 1 << ((signal - 1) & 7);
  }
  lastSigset = { signals, reserved, bytes: sigsetMemory.slice() }; // `signals` is a snapshot, never changed
}

function addActions(actions: readonly CheckedAction[], openPaths: readonly number[]): void {
  let open = 0;
  for (const action of actions) {
    switch (action.tag) {
      case POSIX_SPAWN_OPEN:
        check(
          libc.posix_spawn_file_actions_addopen(actionsMemory, action.fd, openPaths[open++]!, action.flags, action.mode),
          "posix_spawn_file_actions_addopen",
        );
        break;
      case POSIX_SPAWN_CLOSE:
        check(libc.posix_spawn_file_actions_addclose(actionsMemory, action.fd), "posix_spawn_file_actions_addclose");
        break;
      case POSIX_SPAWN_DUP2:
        check(libc.posix_spawn_file_actions_adddup2(actionsMemory, action.fd, action.newFd), "posix_spawn_file_actions_adddup2");
        break;
    }
  }
}

/** The posix_spawnattr_setflags bits `request` needs (0: no attribute object at all). */
function attrFlags(request: SpawnRequest): number {
  const f = libc.abi.spawnFlags;
  let flags = 0;
  if (request.setpgroup !== undefined) flags |= f.POSIX_SPAWN_SETPGROUP;
  if (request.resetids) flags |= f.POSIX_SPAWN_RESETIDS;
  if (request.setsid) flags |= f.POSIX_SPAWN_SETSID ?? 0; // checked present in spawnRequest
  if (request.setsigmask !== undefined) flags |= f.POSIX_SPAWN_SETSIGMASK;
  if (request.setsigdef !== undefined) flags |= f.POSIX_SPAWN_SETSIGDEF;
  return flags;
}

function setAttributes(request: SpawnRequest, flags: number): void {
  check(libc.posix_spawnattr_setflags(attrMemory, flags), "posix_spawnattr_setflags");
  if (request.setpgroup !== undefined) {
    check(libc.posix_spawnattr_setpgroup(attrMemory, request.setpgroup), "posix_spawnattr_setpgroup");
  }
  if (request.setsigmask !== undefined) {
    fillSigset(request.setsigmask, false);
    check(libc.posix_spawnattr_setsigmask(attrMemory, sigsetMemory), "posix_spawnattr_setsigmask");
  }
  if (request.setsigdef !== undefined) {
    fillSigset(request.setsigdef, true);
    check(libc.posix_spawnattr_setsigdefault(attrMemory, sigsetMemory), "posix_spawnattr_setsigdefault");
  }
}

function spawnWith(call: "posix_spawn" | "posix_spawnp", path: unknown, argv: unknown, env: unknown, options: unknown): number {
  return spawnChecked(call, spawnRequest(call, path, argv, env, options));
}

/**
 * Spawns a request whose values are all checked (spawnRequest, or checkedRequest for this
 * package's own launches); returns the child's pid.
 */
export function spawnChecked(call: "posix_spawn" | "posix_spawnp", request: SpawnRequest): number {
  const spawn = call === "posix_spawn" ? libc.posix_spawn : libc.posix_spawnp; // throws where unsupported
  keepChildrenWaitable();

  const openPaths: string[] = [];
  for (const action of request.fileActions) if (action.tag === POSIX_SPAWN_OPEN) openPaths.push(action.path);
  const cwd = request.cwd === undefined ? [] : [request.cwd];
  const packed = packStrings([request.path, ...cwd, ...openPaths], [request.argv]);

  let actions: Uint8Array | null = null;
  let attr: Uint8Array | null = null;
  try {
    if (request.fileActions.length > 0 || request.cwd !== undefined) {
      check(libc.posix_spawn_file_actions_init(actionsMemory), "posix_spawn_file_actions_init");
      actions = actionsMemory;
      // The chdir first, as a shell's `cd dir && cmd`: relative OPEN paths are then in `cwd`.
      if (request.cwd !== undefined) {
        check(libc.posix_spawn_file_actions_addchdir_np(actionsMemory, packed.strings[1]!), "posix_spawn_file_actions_addchdir_np");
      }
      addActions(request.fileActions, packed.strings.slice(1 + cwd.length));
    }
    const flags = attrFlags(request);
    if (flags !== 0) {
      check(libc.posix_spawnattr_init(attrMemory), "posix_spawnattr_init");
      attr = attrMemory;
      setAttributes(request, flags);
    }
    const result = spawn(pidOut, packed.strings[0]!, actions, attr, packed.arrays[0]!, request.env.envp);
    if (result !== 0) throw systemError(call, result, request.path);
    return pidOut[0]!;
  } finally {
    if (actions !== null) libc.posix_spawn_file_actions_destroy(actions);
    if (attr !== null) libc.posix_spawnattr_destroy(attr);
    // Keep the strings and the environment alive until C has copied them (the child has exec'd).
    void packed.memory;
    void request.env.memory;
  }
}

/**
 * Starts the program at `path` (no PATH search) and returns its pid, as CPython's
 * `os.posix_spawn`. `argv[0]` is the name the program sees; `env` maps variable names to
 * values (`process.env` if null or omitted).
 *
 * Each argument is read exactly once before anything is done: arrays by index (never their
 * iterator or methods; holes are errors), `env` and `options` as plain objects (own keys,
 * each value once), signal sets by index or by one pass of their iterator. Strings must hold
 * no NUL and no lone surrogate.
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
  options?: SpawnOptions | null,
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
  options?: SpawnOptions | null,
): number {
  return spawnWith("posix_spawnp", file, argv, env, options);
}
