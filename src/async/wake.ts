/**
 * What wakes the waits: a SIGCHLD listener, held exactly while a wait is pending, together with
 * a ref'd interval. A lone signal listener makes Bun spin at 100% CPU (and without a pending
 * top-level await does not keep it alive at all), so the interval — which never fires in
 * practice — keeps the loop alive and idle instead (docs/DESIGN.md §5.3).
 */

/** The longest delay a timer takes without being clamped to 1 ms. */
const NEVER = 2 ** 31 - 1;

let holders = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;
let listener: (() => void) | undefined;

/** Registers `onSigchld` (the same function on every call) and keeps the process alive. */
export function hold(onSigchld: () => void): void {
  if (holders++ > 0) return;
  listener = onSigchld;
  process.on("SIGCHLD", listener);
  keepAlive = setInterval(() => {}, NEVER);
}

/** Undoes one `hold`; the last one removes the listener and lets the process exit. */
export function release(): void {
  if (holders === 0 || --holders > 0) return;
  if (listener !== undefined) process.off("SIGCHLD", listener);
  clearInterval(keepAlive);
  listener = undefined;
  keepAlive = undefined;
}
