/**
 * The child's stdin, stdout and stderr as posix_spawn file actions, and the parent's ends of
 * the pipes. Descriptors given by number mean this process's descriptor as it is now: each is
 * first duplicated above 2, so that setting up fd 1 cannot clobber the fd 2 another stream
 * was told to use (`{ stdout: 2, stderr: 1 }` swaps them, as `2>&1 1>&2`-style plumbing can't).
 */
import { constants } from "node:fs";
import { POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, POSIX_SPAWN_OPEN, type FileAction } from "../sys/spawn.ts";
import { closeFd, duplicate, pipe } from "../sys/process.ts";
import type { Stdio } from "./options.ts";

/** The file actions for the child, and what the parent must do with its descriptors. */
export interface StdioPlan {
  actions: FileAction[];
  /** Parent read ends of stdout/stderr pipes (undefined where not piped). */
  readers: [stdout: number | undefined, stderr: number | undefined];
  /** Descriptors to close in the parent once the child exists (child ends, duplicates). */
  afterSpawn: number[];
}

/** Closes every descriptor a plan made (on failure, or the parent's ends when done). */
export function closePlan(plan: StdioPlan): void {
  for (const fd of [...plan.afterSpawn, ...plan.readers]) {
    if (fd === undefined) continue;
    try {
      closeFd(fd);
    } catch {}
  }
  plan.afterSpawn.length = 0;
  plan.readers = [undefined, undefined];
}

/** Builds the plan for the three streams; on failure closes what it made and throws. */
export function planStdio(stdio: readonly [Stdio, Stdio, Stdio]): StdioPlan {
  const plan: StdioPlan = { actions: [], readers: [undefined, undefined], afterSpawn: [] };
  const later: FileAction[] = [];
  try {
    stdio.forEach((s, target) => {
      if (s === "inherit") return;
      if (s === "ignore") {
        plan.actions.push([POSIX_SPAWN_OPEN, target, "/dev/null", target === 0 ? constants.O_RDONLY : constants.O_WRONLY, 0]);
      } else if (s === "pipe") {
        const [read, write] = pipe();
        if (target === 0) {
          // stdin "pipe": nothing is ever written, so the child reads end-of-file at once.
          plan.afterSpawn.push(read);
          closeFd(write);
          later.push([POSIX_SPAWN_DUP2, read, 0]);
        } else {
          plan.afterSpawn.push(write);
          plan.readers[target - 1] = read;
          later.push([POSIX_SPAWN_DUP2, write, target]);
        }
      } else if (typeof s === "number") {
        const copy = duplicate(s);
        plan.afterSpawn.push(copy);
        later.push([POSIX_SPAWN_DUP2, copy, target], [POSIX_SPAWN_CLOSE, copy]);
      } else {
        const flags = target === 0 ? constants.O_RDONLY : constants.O_WRONLY | constants.O_CREAT | (s.append ? constants.O_APPEND : constants.O_TRUNC);
        plan.actions.push([POSIX_SPAWN_OPEN, target, s.file, flags, 0o666]);
      }
    });
  } catch (error) {
    closePlan(plan);
    throw error;
  }
  // Duplicates (all above 2) are put in place after the OPENs, which only touch 0-2.
  plan.actions.push(...later);
  return plan;
}
