/**
 * Every pending async wait, by pid, and the one loop that settles them: on each SIGCHLD, the
 * pids the exit watch reports, plus every pid whose waiters want stops or continues (a pidfd
 * or knote never fires for those), plus every pid that could not be watched (the fallback),
 * get one non-blocking look (`PidWaits.check`). Only pids that have a pending wait are ever
 * looked at, so no child is reaped that nobody asked for.
 */
import { runningAbi } from "../ffi/load.ts";
import { scanWatch, type ExitWatch } from "./exit-watch.ts";
import { selectExitWatch } from "./select-watch.ts";
import type { Waiter } from "./pid-waits.ts";
import { PidWaits } from "./pid-waits.ts";
import { kernel } from "./kernel.ts";
import { keepChildrenWaitable } from "../sys/sigchld.ts";
import { addRef, dropRef, hold, release } from "./wake.ts";

const pids = new Map<number, PidWaits>();
/** Pids the exit watch could not take: looked at on every SIGCHLD. */
const unwatched = new Set<number>();
/** Pids with a waiter for stops or continues: looked at on every SIGCHLD. */
const stopWatched = new Set<number>();
/** Pids whose waits do not keep the process alive (an unref'd subprocess). */
const unrefd = new Set<number>();

/** The exit watch, chosen at the first wait; until then every list it would answer is empty. */
let watch: ExitWatch = scanWatch;
let started = false;

/**
 * What the first wait sets up, and nothing before it (importing changes nothing in the
 * process): an inherited SIGCHLD=SIG_IGN reset (src/sys/sigchld.ts) and the exit watch
 * (`BUN_WAIT4_EXIT_WATCH=scan` forces the fallback).
 */
function start(): void {
  if (runningAbi !== undefined) keepChildrenWaitable();
  watch = selectExitWatch(process.env.BUN_WAIT4_EXIT_WATCH);
  started = true;
}

/** The exit watch in use, or undefined before the first wait (tests, benchmarks). */
export function exitWatchKind(): ExitWatch["kind"] | undefined {
  return started ? watch.kind : undefined;
}

function forget(pid: number): void {
  if (!pids.delete(pid)) return;
  watch.remove(pid);
  unwatched.delete(pid);
  stopWatched.delete(pid);
  release(!unrefd.delete(pid));
}

/**
 * Whether the pending waits of `pid` keep the process alive (they do unless told otherwise;
 * the setting lasts while `pid` has pending waits). False if `pid` has none.
 */
export function setRef(pid: number, ref: boolean): boolean {
  if (!pids.has(pid)) return false;
  if (ref && unrefd.delete(pid)) addRef();
  else if (!ref && !unrefd.has(pid)) {
    unrefd.add(pid);
    dropRef();
  }
  return true;
}

/** One non-blocking look at `pid`, settling what it can. */
function check(pid: number): void {
  const entry = pids.get(pid);
  if (entry === undefined) return;
  const gone = entry.check(kernel);
  if (gone || entry.waiters.size === 0) forget(pid);
  else if (entry.watchesStops()) stopWatched.add(pid);
  else stopWatched.delete(pid);
}

/** The SIGCHLD listener: also called once at each registration. */
function onSigchld(): void {
  for (const pid of watch.exited()) check(pid);
  for (const pid of [...unwatched]) check(pid);
  for (const pid of [...stopWatched]) check(pid);
}

/**
 * Adds `waiter` for `pid` and looks at the child at once, so an exit that happened before is
 * not missed and a pid that is not our child fails now. Order: the wake first, then the watch,
 * then the look: a change after the look always brings a SIGCHLD or a readable pidfd.
 */
export function addWaiter(pid: number, waiter: Waiter): void {
  if (!started) start();
  let entry = pids.get(pid);
  const isNew = entry === undefined;
  if (entry === undefined) {
    entry = new PidWaits(pid);
    pids.set(pid, entry);
    hold(onSigchld);
  }
  // The waiter before anything that can throw: the caller's removeWaiter then finds it, and
  // the entry and the wake's hold go with it.
  entry.waiters.add(waiter);
  if (isNew && !watch.add(pid)) unwatched.add(pid);
  check(pid);
}

/** Removes a waiter that is still pending (an abort, or a WNOHANG that found nothing). */
export function removeWaiter(pid: number, waiter: Waiter): boolean {
  const entry = pids.get(pid);
  if (entry === undefined || !entry.waiters.delete(waiter)) return false;
  if (entry.waiters.size === 0) forget(pid);
  else if (!entry.watchesStops()) stopWatched.delete(pid);
  return true;
}

/** How many pids have pending waits (tests, benchmarks). */
export function pendingPids(): number {
  return pids.size;
}
