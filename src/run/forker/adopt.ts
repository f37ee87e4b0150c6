/**
 * The subreaper window (docs/DESIGN.md §6): the intermediate shell is killed while this
 * process is a child subreaper, so its children — the spares — become ours. The flag is
 * process-wide, so the window is synchronous and short: flag on, SIGKILL, wait until the
 * intermediate has exited (re-parenting is done by then), flag off, with no await between. A
 * process that already is a subreaper keeps the flag.
 *
 * The flag is process-wide: a descendant orphaned during the window (a background job whose
 * shell ended just then) is re-parented here too, not to init. Such a stray is found by
 * comparing this thread's children before and after, and reaped when it ends, as init would.
 */
import { closeSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import { P_PID, WEXITED, WNOHANG, WNOWAIT } from "../../sys/constants.ts";
import { pidfd_open } from "../../sys/pidfd.ts";
import { childSubreaper, pollReadable, withStdioTaken } from "../../sys/process.ts";
import { waitpid } from "../../sys/wait.ts";
import { waitid } from "../../sys/waitid.ts";
import { waitpid as waitpidAsync } from "../../async/api.ts";
import { setRef } from "../../async/registry.ts";
import type { Batch } from "./forker.ts";

/** How long the window may wait for a SIGKILLed shell to be gone before giving up (ms). */
const EXIT_DEADLINE_MS = 2000;

/** Whether `pid` is a child of this process (alive, or a zombie not yet reaped). */
function isOurChild(pid: number): boolean {
  try {
    waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT);
    return true;
  } catch {
    return false; // ECHILD: someone else's
  }
}

/** Whether our child `pid` has ended (a zombie waiting to be reaped); false if it runs or is not ours. */
export function hasEnded(pid: number): boolean {
  try {
    return waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT) !== null;
  } catch {
    return false;
  }
}

/** The parent pid of `pid` as /proc says, or 0 if it is gone. */
function parentOf(pid: number): number {
  try {
    const stat = withStdioTaken(() => readFileSync(`/proc/${pid}/stat`, "latin1"));
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/**
 * The children of this process's main thread, the one orphans are re-parented to
 * (/proc/PID/task/TID/children, Linux 3.5+ with CONFIG_PROC_CHILDREN, on in common kernels);
 * undefined where it cannot be read.
 */
function mainThreadChildren(): Set<number> | undefined {
  try {
    // Bun keeps a descriptor it got as 0-2 open (sys/process.ts): not this file's.
    const list = withStdioTaken(() => readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "latin1"));
    return new Set(list.split(" ").filter((pid) => pid !== "").map(Number));
  } catch {
    return undefined;
  }
}

/** Reaps the stray `pid` once it has ended, without holding this process open (as init would). */
function reapWhenEnded(pid: number): void {
  waitpidAsync(pid, 0).catch(() => {}); // ECHILD: someone reaped it first
  setRef(pid, false);
}

/**
 * Kills `intermediate` and makes its children `spares` ours. `ownChild`: the intermediate is
 * our own child (a one-shot shell), reaped here; otherwise it is the forker's child and its
 * exit is seen through a pidfd (or, without pidfds, by watching the spares' parent). Returns
 * the spares that are now our children; the others are lost (killed already, or adopted
 * elsewhere because the intermediate died before the window) and left alone.
 */
export function adoptSpares(batch: Batch, ownChild: boolean): number[] {
  const { intermediate } = batch;
  const spares = [...batch.spares.values()];
  let pidfd = -1;
  if (!ownChild) {
    try {
      pidfd = pidfd_open(intermediate);
    } catch {
      pidfd = -1; // ESRCH (already gone: nothing to adopt, checked below), ENOSYS, EPERM, EMFILE
    }
  }
  const wasOn = childSubreaper.get() === true;
  // Strays are ours to reap only where this window made us a subreaper.
  const before = wasOn ? undefined : mainThreadChildren();
  if (!wasOn) childSubreaper.set(true);
  try {
    try {
      process.kill(intermediate, constants.signals.SIGKILL);
    } catch {}
    if (ownChild) waitpid(intermediate, 0);
    else if (pidfd !== -1) pollReadable(pidfd, EXIT_DEADLINE_MS);
    else {
      const deadline = performance.now() + EXIT_DEADLINE_MS;
      while (spares.some((pid) => parentOf(pid) === intermediate) && performance.now() < deadline);
    }
  } finally {
    if (!wasOn) childSubreaper.set(false);
    if (pidfd !== -1) closeSync(pidfd);
  }
  const after = before === undefined ? undefined : mainThreadChildren();
  for (const pid of after ?? []) {
    if (!before!.has(pid) && !spares.includes(pid) && pid !== batch.trailer && pid !== intermediate) reapWhenEnded(pid);
  }
  // The trailer ends by itself; if it was still there at the kill, it is ours now.
  if (batch.trailer !== undefined && isOurChild(batch.trailer)) waitpid(batch.trailer, 0);
  return spares.filter(isOurChild);
}
