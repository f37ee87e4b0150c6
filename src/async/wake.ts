/**
 * What wakes the waits: a SIGCHLD listener, held exactly while a wait is pending, together with
 * a ref'd interval while any of those waits keeps the process alive, since a lone signal
 * listener busy-spins (docs/DESIGN.md §5.3). A wait that must not keep the process alive (an
 * unref'd subprocess) holds the listener only.
 */

/** The longest delay (ms) a timer takes: a longer one is clamped to 1 ms and fires at once. */
export const TIMER_MAX_MS = 2 ** 31 - 1;

let holders = 0;
let refs = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;
let listener: (() => void) | undefined;

/** Registers `onSigchld` (the same function on every call); `ref`: and keeps the process alive. */
export function hold(onSigchld: () => void, ref = true): void {
  if (holders++ === 0) {
    listener = onSigchld;
    process.on("SIGCHLD", listener);
  }
  if (ref) addRef();
}

/** Undoes one `hold` (with the same `ref`); the last one removes the listener. */
export function release(ref = true): void {
  if (holders === 0) return;
  if (ref) dropRef();
  if (--holders > 0) return;
  if (listener !== undefined) process.off("SIGCHLD", listener);
  listener = undefined;
}

/** One more hold keeps the process alive. */
export function addRef(): void {
  if (refs++ === 0) keepAlive = setInterval(() => {}, TIMER_MAX_MS);
}

/** One hold fewer keeps the process alive; at none, the process may exit. */
export function dropRef(): void {
  if (refs === 0 || --refs > 0) return;
  clearInterval(keepAlive);
  keepAlive = undefined;
}
