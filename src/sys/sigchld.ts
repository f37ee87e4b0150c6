/**
 * An inherited `SIGCHLD` set to `SIG_IGN` makes the kernel reap every child itself, so no
 * wait can ever report one: every wait gets ECHILD (Bun PRs #38022/#43203 hit this). POSIX
 * leaves such a disposition in place across exec, so a parent can hand it to us. bun-wait4
 * resets it to `SIG_DFL` for this process before its first spawn and its first async wait,
 * never at import (a handler Bun or the program installed is left alone; docs/DESIGN.md §9).
 */
import { libc } from "../ffi/load.ts";
import { stableBytes } from "../ffi/memory.ts";
import { systemError } from "./errno.ts";

/** `(void (*)(int))1` on every supported platform (checked by the C asserts). */
const SIG_IGN = 1n;

/** Resets SIGCHLD from SIG_IGN to SIG_DFL; true if it had to. */
function resetIgnoredSigchld(): boolean {
  const { SIGCHLD } = libc.abi.signals;
  const size = libc.abi.layouts.sigactionSize;
  const old = stableBytes(size);
  if (libc.sigaction(SIGCHLD, null, old) === -1) throw systemError("sigaction", libc.errno());
  const handler = new DataView(old.buffer).getBigUint64(0, true); // the first field everywhere
  if (handler !== SIG_IGN) return false;
  const dfl = stableBytes(size); // all zero: SIG_DFL (0), no flags, empty mask
  if (libc.sigaction(SIGCHLD, dfl, null) === -1) throw systemError("sigaction", libc.errno());
  return true;
}

let checked = false;

/**
 * Makes sure the children this process starts stay waitable: resets an inherited SIG_IGN
 * the first time it is called, and does nothing after that.
 */
export function keepChildrenWaitable(): void {
  if (checked) return;
  resetIgnoredSigchld();
  checked = true;
}
