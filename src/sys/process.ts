/**
 * The few process-control calls that `run()` and the command-line tool need beyond CPython's
 * `os` API: pipes, closing and duplicating descriptors, and Linux's child-subreaper flag.
 * bun-wait4's own internals (not exported from the package entry points).
 */
import { systemError } from "../errors/system-error.ts";
import { libc } from "../ffi/load.ts";

/**
 * A pipe, both ends close-on-exec, both numbered above 2 (a process whose stdin, stdout or
 * stderr is closed would otherwise get one of those numbers, which a child's stdio then
 * overwrites). Returns [read end, write end].
 */
export function pipe(): [read: number, write: number] {
  const fds = new Int32Array(new ArrayBuffer(8));
  if (libc.pipe2(fds, libc.abi.fileFlags.O_CLOEXEC) === -1) throw systemError("pipe2");
  return [aboveStdio(fds[0]!), aboveStdio(fds[1]!)];
}

/** `fd`, or a duplicate of it numbered above 2 (closing the low ones taken on the way). */
export function aboveStdio(fd: number): number {
  const low: number[] = [];
  while (fd <= 2) {
    low.push(fd);
    fd = libc.dup(fd);
    if (fd === -1) {
      const error = systemError("dup");
      for (const l of low) libc.close(l);
      throw error;
    }
  }
  for (const l of low) libc.close(l);
  return fd;
}

/** A duplicate of `fd` numbered above 2 (not close-on-exec: close it when done). */
export function duplicate(fd: number): number {
  const copy = libc.dup(fd);
  if (copy === -1) throw systemError("dup");
  return aboveStdio(copy);
}

/** close(2), ignoring nothing: a failure throws. */
export function closeFd(fd: number): void {
  if (libc.close(fd) === -1) throw systemError("close");
}

/**
 * Linux's PR_SET_CHILD_SUBREAPER for this process: `get()` is true/false, or undefined where
 * the flag is not available (not Linux; qemu-user refuses the prctl).
 */
export const childSubreaper = {
  get(): boolean | undefined {
    if (libc.abi.prctl === undefined) return undefined;
    const on = libc.getChildSubreaper();
    return on === -1 ? undefined : on === 1;
  },
  /** Sets the flag; throws SystemError (syscall "prctl") if the kernel refuses. */
  set(on: boolean): void {
    if (libc.setChildSubreaper(on) === -1) throw systemError("prctl");
  },
};
