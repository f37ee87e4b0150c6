/**
 * Starting a hand-off shell (the forker, or a one-shot intermediate) with its descriptors in
 * the places scripts.ts names, an environment of its own (nothing of the user's can steer it;
 * only a PATH, without which yash in POSIX mode finds no regular built-in such as echo), 0-2
 * on /dev/null (a shell reports a killed job there: dash, bash, busybox and mksh print "Killed")
 * and every signal at its default.
 */
import { constants } from "node:fs";
import { MAX_SIGNAL } from "../../sys/signals.ts";
import { checkedRequest, POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, POSIX_SPAWN_OPEN, spawnChecked, type CheckedAction } from "../../sys/spawn.ts";

/** Every signal number: the shell (and so the command) starts with all at their default. */
export const ALL_SIGNALS: readonly number[] = Array.from({ length: MAX_SIGNAL }, (_, i) => i + 1);

/** The hand-off shells' own environment (the request script unsets PATH before the command's). */
const SHELL_ENVIRONMENT = { names: ["PATH", "LC_CTYPE"], values: ["/usr/bin:/bin", "C.UTF-8"] };

/** A descriptor for the shell: one of ours, or /dev/null. */
export type ShellFd = number | "null";

/**
 * File actions that give the child `targets` (target → source) without one move destroying a
 * source another still needs: every source is first copied to a parking number that is
 * neither a source nor a target (the lowest such from 3: posix_spawn refuses numbers at or above
 * RLIMIT_NOFILE, and in the child a parked copy only replaces what was inherited there), then
 * from there to its target, and the parked copies are closed. Then 0-2 get /dev/null unless
 * they are targets themselves.
 */
export function placeFds(targets: ReadonlyMap<number, ShellFd>): CheckedAction[] {
  const moves = [...targets].filter((entry): entry is [number, number] => entry[1] !== "null");
  const taken = new Set<number>([...targets.keys(), ...moves.map(([, source]) => source)]);
  const parking: number[] = [];
  for (let fd = 3; parking.length < moves.length; fd++) if (!taken.has(fd)) parking.push(fd);
  const actions: CheckedAction[] = [];
  const devNull = (fd: number): CheckedAction => ({ tag: POSIX_SPAWN_OPEN, fd, path: "/dev/null", flags: constants.O_RDWR, mode: 0 });
  moves.forEach(([, source], i) => actions.push({ tag: POSIX_SPAWN_DUP2, fd: source, newFd: parking[i]! }));
  moves.forEach(([target], i) => actions.push({ tag: POSIX_SPAWN_DUP2, fd: parking[i]!, newFd: target }));
  moves.forEach((_, i) => actions.push({ tag: POSIX_SPAWN_CLOSE, fd: parking[i]! }));
  for (const [target, source] of targets) if (source === "null") actions.push(devNull(target));
  for (const fd of [0, 1, 2]) if (!targets.has(fd)) actions.push(devNull(fd));
  return actions;
}

/** How a hand-off shell is started. */
export interface ShellStart {
  shell: string;
  script: string;
  args: readonly string[];
  fds: ReadonlyMap<number, ShellFd>;
  /** 0: the shell leads a new process group (its spare stays in it). */
  setpgroup?: number;
}

/** Starts the shell as `sh` (so bash and zsh take their POSIX modes); returns its pid. */
export function startShell(start: ShellStart): number {
  return spawnChecked(
    "posix_spawn",
    checkedRequest(start.shell, ["sh", "-c", start.script, "sh", ...start.args], SHELL_ENVIRONMENT, {
      fileActions: placeFds(start.fds),
      setsigdef: ALL_SIGNALS,
      setsigmask: [],
      setpgroup: start.setpgroup,
    }),
  );
}
