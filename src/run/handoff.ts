/**
 * Starting a command so that its `ru_maxrss` is its own (Linux; docs/DESIGN.md §6). A child's
 * peak RSS starts at its parent's — exec folds the replaced image's high-water mark in, and a
 * posix_spawn child replaces Bun's whole image — so the command must be exec'd by a process
 * forked from a small one:
 *
 *   Bun ─posix_spawn→ sh ─fork→ ( subshell ) ─exec→ command            (direct)
 *   Bun ─posix_spawn→ sh ─fork→ ( subshell ) ─exec→ env -i NAME=value… ─exec→ command   (exact)
 *
 * The subshell writes its pid to a pipe and waits for "go"; we kill the outer sh and reap it,
 * so the orphaned subshell is re-parented to us (a child subreaper), and then say "go". Only
 * the kill and the reap run with the process-wide subreaper flag on, synchronously (no await
 * between turning it on and off, so concurrent hand-offs never overlap); if this process
 * already was a subreaper the flag is left alone (it then adopts orphans anyway; the result
 * is the same).
 *
 * Every process in the chain leaves its own high-water mark in the figure, so the chain is as
 * short as the environment allows. "direct": the subshell execs the command itself, with the
 * environment the shell imported — exact when every name is one dash keeps as it is (a shell
 * identifier, none that dash sets itself, none that changes how dash itself runs) and with
 * PWD and OLDPWD put back as given. `true` then peaks at ~1.0 MiB, as under GNU time.
 * "exact" otherwise: `env -i` sets exactly the environment given (~1.4 MiB for `true`).
 */
import { readlinkSync, writeSync } from "node:fs";
import type { SystemError } from "../errors/system-error.ts";
import { POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, posix_spawn, type FileAction } from "../sys/spawn.ts";
import { waitpid } from "../sys/wait.ts";
import { childSubreaper, closeFd, pipe } from "../sys/process.ts";

// The subshell: `( … )` is forked from the small outer sh, so its peak starts small; in the
// foreground, so it keeps stdin and default SIGINT/SIGQUIT as any job has them (a background
// `&` job would get both ignored). It reads its own pid from /proc/self/stat (in a dash
// subshell $$ is the outer shell's), reports it on fd 3, waits for "go" on fd 4, closes both.
const PROLOGUE = "read pid rest < /proc/self/stat; echo $pid >&3; exec 3>&-; read go <&4 || exit 125; exec 4<&-";
/** $1 $2: "+value" to export PWD / OLDPWD with exactly that value, "" to leave them unset; then the command. */
const DIRECT = `(${PROLOGUE}; unset PWD OLDPWD; case $1 in +*) export PWD="\${1#+}";; esac; case $2 in +*) export OLDPWD="\${2#+}";; esac; shift 2; exec "$@")`;
/** NAME=value… then the command: env -i takes the words with "=" as the whole environment. */
const EXACT = `(${PROLOGUE}; exec /usr/bin/env -i -- "$@")`;

/** Names dash sets or resets itself on start (so it would not pass them on as given). */
const DASH_OWN = new Set(["IFS", "PPID", "OPTIND", "PS1", "PS2", "PS4", "LINENO"]);
/** Names that change how dash itself (a glibc or musl program) runs: those must not reach it. */
const LOADER = /^(LD_|GLIBC_TUNABLES$|GCONV_PATH$|LOCPATH$|NLSPATH$|MALLOC_|HOSTALIASES$|RESOLV_)/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True if dash would pass `names` on to the command unchanged (PWD and OLDPWD are put back). */
export function directEnvironment(names: readonly string[]): boolean {
  return names.every((n) => IDENTIFIER.test(n) && !DASH_OWN.has(n) && !LOADER.test(n));
}

/** A command handed over and waiting for `go`. */
export interface HandedOver {
  /** The pid the command will run as: a child of this process. */
  readonly pid: number;
  /** Its process group: the (gone) shell's pid when `setpgroup: 0` was asked for, else ours. */
  readonly group: number;
  /** Lets it exec. */
  go(): void;
}

/** Why the hand-off cannot be used here (undefined: it can). Cached after the first call. */
let unavailable: string | undefined | null = null;

/** Whether this process can hand commands over (Linux, /bin/sh and /usr/bin/env, the subreaper prctl). */
export function handoffUnavailable(): string | undefined {
  if (unavailable !== null) return unavailable;
  if (process.platform !== "linux") return (unavailable = `not needed on ${process.platform}: a child's peak memory is its own`);
  for (const tool of ["/bin/sh", "/usr/bin/env"]) {
    try {
      readlinkSync(tool); // resolves a symlink, or throws EINVAL for a regular file; ENOENT if missing
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return (unavailable = `${tool} is missing`);
    }
  }
  const refused = "the kernel refuses PR_SET_CHILD_SUBREAPER (qemu-user does)";
  const on = childSubreaper.get();
  if (on === undefined) return (unavailable = refused);
  try {
    childSubreaper.set(on); // a no-op set: qemu-user answers PR_GET but refuses PR_SET
  } catch {
    return (unavailable = refused);
  }
  return (unavailable = undefined);
}

/** What the hand-off spawns: the command, its environment and the shell's spawn options. */
export interface HandoffRequest {
  argv: readonly string[];
  /** The command's whole environment (names without "=", values without NUL). */
  env: { names: readonly string[]; values: readonly string[] };
  cwd: string | undefined;
  /** Its stdin/stdout/stderr set-up, on 0-2 only (applied to the shell, inherited by the command). */
  fileActions: readonly FileAction[];
  setpgroup: number | undefined;
  /** Every signal at its default action in the command (none inherited ignored). */
  setsigdef: readonly number[];
}

/**
 * Reads the subshell's pid line from `fd` without blocking the event loop. Up to the newline,
 * not to EOF: the outer shell holds the write end open until we kill it.
 */
async function readPid(fd: number): Promise<number> {
  const reader = Bun.file(fd).stream().getReader();
  let text = "";
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const pid = Number.parseInt(text, 10);
  if (!(pid > 0)) throw new Error(`bun-wait4: the hand-off shell reported no pid (${JSON.stringify(text)})`);
  return pid;
}

/**
 * The DUP2s that put the pid pipe's write end at 3 and the go pipe's read end at 4 in the
 * shell (its script names them literally: dash reads one digit as a descriptor), after the
 * stdio set-up, which writes only 0-2. A source already at its target is dup'ed in place (which
 * clears close-on-exec); a go end sitting at 3 is first parked at 5 (or 6) so that moving the
 * pid end there cannot destroy it.
 */
export function placeAt3And4(pidWrite: number, goRead: number): FileAction[] {
  const actions: FileAction[] = [];
  let go = goRead;
  if (go === 3) {
    go = pidWrite === 5 ? 6 : 5;
    actions.push([POSIX_SPAWN_DUP2, goRead, go]);
  }
  actions.push([POSIX_SPAWN_DUP2, pidWrite, 3], [POSIX_SPAWN_DUP2, go, 4]);
  if (go !== goRead) actions.push([POSIX_SPAWN_CLOSE, go]);
  return actions;
}

/**
 * Hands `request` over. Resolves once the command is our child and waiting for `go`; on any
 * failure every process and descriptor it made is gone again before it rejects.
 */
export async function handOver(request: HandoffRequest): Promise<HandedOver> {
  const { names, values } = request.env;
  const direct = directEnvironment(names);
  let args: string[];
  let shellEnv: Record<string, string>;
  if (direct) {
    shellEnv = Object.create(null); // so a variable named __proto__ is a variable too
    let pwd = "";
    let oldpwd = "";
    names.forEach((name, i) => {
      if (name === "PWD") pwd = `+${values[i]}`;
      else if (name === "OLDPWD") oldpwd = `+${values[i]}`;
      else shellEnv[name] = values[i]!;
    });
    args = ["sh", "-c", DIRECT, "sh", pwd, oldpwd, ...request.argv];
  } else {
    if (request.argv[0]!.includes("=")) {
      throw new Error("bun-wait4: with this environment a command name containing '=' cannot be handed over (env would read it as a variable)");
    }
    shellEnv = {}; // the shell and subshell run with none; env -i sets the command's
    args = ["sh", "-c", EXACT, "sh", ...names.map((name, i) => `${name}=${values[i]}`), ...request.argv];
  }
  const [pidRead, pidWrite] = pipe();
  const [goRead, goWrite] = pipe();
  let shell = 0;
  const opened = new Set([pidRead, pidWrite, goRead, goWrite]);
  const close = (fd: number) => {
    if (opened.delete(fd)) closeFd(fd);
  };
  try {
    shell = posix_spawn("/bin/sh", args, shellEnv, {
      file_actions: [...request.fileActions, ...placeAt3And4(pidWrite, goRead)],
      setsigdef: request.setsigdef,
      setsigmask: [],
      cwd: request.cwd,
      setpgroup: request.setpgroup,
    });
    close(pidWrite);
    close(goRead);
    const subshell = await readPid(pidRead);
    close(pidRead);
    // The window: the only time the process-wide flag is on. No await until it is off again.
    const wasOn = childSubreaper.get() === true;
    if (!wasOn) childSubreaper.set(true);
    try {
      process.kill(shell, "SIGKILL");
      waitpid(shell, 0); // the subshell is orphaned now, and re-parented to us
    } finally {
      if (!wasOn) childSubreaper.set(false);
    }
    const group = request.setpgroup === 0 ? shell : process.pid;
    shell = 0;
    const go = () => {
      try {
        writeGo(goWrite);
      } finally {
        close(goWrite);
      }
    };
    return { pid: subshell, group, go };
  } catch (error) {
    for (const fd of [...opened]) close(fd);
    if (shell !== 0) {
      try {
        process.kill(shell, "SIGKILL");
      } catch {}
      waitpid(shell, 0);
    }
    throw error;
  }
}

/** Writes "go\n" to the go pipe (which has room for it: nothing else is ever written there). */
function writeGo(fd: number): void {
  try {
    writeSync(fd, "go\n");
  } catch (error) {
    if ((error as SystemError).code !== "EPIPE") throw error; // EPIPE: it died before go
  }
}
