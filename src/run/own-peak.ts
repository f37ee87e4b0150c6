/**
 * Starting a command so that its `ru_maxrss` is its own (Linux). A child's peak RSS
 * starts at its parent's: exec folds the replaced image's high-water mark into the
 * process's maxrss, and posix_spawn's vfork-style child replaces Bun's whole image
 * (docs/DESIGN.md §6). So the command must be exec'd by a process forked from a small one:
 *
 *   Bun ─posix_spawn→ sh ─fork→ ( subshell ) ─exec→ sh ─exec→ env -i … command
 *
 * The subshell reports its pid and waits for "go"; we kill the outer sh and reap it, so
 * the subshell (a child subreaper's orphan) becomes our child; then we say "go" and it
 * execs the command with exactly the environment given. Only the moment of the hand-off
 * runs with the process-wide subreaper flag on.
 */
import { closeSync, readSync, writeSync } from "node:fs";
import { systemError, type SystemError } from "../errors/system-error.ts";
import { libc } from "../ffi/load.ts";
import { posix_spawn, POSIX_SPAWN_DUP2, type SpawnOptions } from "../sys/spawn.ts";
import { waitpid } from "../sys/wait.ts";

// $0 is "sh"; "$@" is NAME=value… then the command. The foreground subshell keeps the
// terminal's stdin and default SIGINT/SIGQUIT, which a background job (&) would lose.
const SCRIPT =
  '(exec /bin/sh -c \'echo $$ >&3; exec 3>&-; read go <&4 || exit 125; exec 4<&-; exec /usr/bin/env -i "$@"\' sh "$@")';

/** A command that has been set up but not yet started. */
export interface PendingChild {
  /** The pid the command will run as: wait on it. */
  readonly pid: number;
  /** Lets the command exec. Call once. */
  start(): void;
}

function makePipe(): [read: number, write: number] {
  const fds = new Int32Array(new ArrayBuffer(8));
  if (libc.pipe2(fds, libc.abi.fileFlags.O_CLOEXEC) === -1) throw systemError("pipe2");
  return [fds[0]!, fds[1]!];
}

function readPid(fd: number): number {
  const buffer = Buffer.alloc(32);
  let text = "";
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) break;
    text += buffer.toString("latin1", 0, n);
    if (text.includes("\n")) break;
  }
  const pid = Number.parseInt(text, 10);
  if (!(pid > 0)) throw new Error(`bun-wait4: the hand-off shell reported no pid (${JSON.stringify(text)})`);
  return pid;
}

/**
 * Prepares `argv` (looked up in `env.PATH` by `env`) to run as a direct child of this
 * process whose peak RSS is its own. Linux only; `argv[0]` must not contain "=".
 */
export function spawnWithOwnPeak(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  signals: Pick<SpawnOptions, "setsigdef" | "setsigmask"> = {},
): PendingChild {
  if (argv.length === 0 || argv[0]!.includes("=")) throw new Error("bun-wait4: the command name must not contain '='");
  const envStrings = Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
  const [pidRead, pidWrite] = makePipe();
  const [goRead, goWrite] = makePipe();
  let shell = 0;
  let subshell = 0;
  try {
    shell = posix_spawn("/bin/sh", ["sh", "-c", SCRIPT, "sh", ...envStrings, ...argv], env, {
      file_actions: [
        [POSIX_SPAWN_DUP2, pidWrite, 3],
        [POSIX_SPAWN_DUP2, goRead, 4],
      ],
      ...signals,
    });
    closeSync(pidWrite);
    closeSync(goRead);
    subshell = readPid(pidRead);
    if (libc.setChildSubreaper(true) === -1) throw systemError("prctl");
    try {
      process.kill(shell, "SIGKILL");
      waitpid(shell, 0); // the subshell is orphaned now, and so ours
    } finally {
      libc.setChildSubreaper(false);
    }
    shell = 0;
  } catch (error) {
    for (const fd of [pidWrite, goRead, goWrite]) {
      try {
        closeSync(fd);
      } catch {}
    }
    if (shell !== 0) {
      process.kill(shell, "SIGKILL");
      waitpid(shell, 0);
    }
    throw error;
  } finally {
    closeSync(pidRead);
  }
  const pid = subshell;
  let started = false;
  return {
    pid,
    start() {
      if (started) return;
      started = true;
      try {
        writeSync(goWrite, "go\n");
      } catch (error) {
        if (!(error instanceof Error && (error as SystemError).code === "EPIPE")) throw error;
      } finally {
        closeSync(goWrite);
      }
    },
  };
}
