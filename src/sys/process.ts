/**
 * The few process-control calls that `run()` and the command-line tool need beyond CPython's
 * `os` API: pipes, closing and duplicating descriptors, and Linux's child-subreaper flag.
 * bun-wait4's own internals (not exported from the package entry points).
 */
import { libc } from "../ffi/load.ts";
import { systemError } from "./errno.ts";

/**
 * A pipe, both ends close-on-exec, both numbered above 2 (a process whose stdin, stdout or
 * stderr is closed would otherwise get one of those numbers, which a child's stdio then
 * overwrites). Returns [read end, write end].
 */
export function pipe(): [read: number, write: number] {
  const fds = new Int32Array(new ArrayBuffer(8));
  if (libc.pipe2(fds, libc.abi.fileFlags.O_CLOEXEC) === -1) throw systemError("pipe2", libc.errno());
  return [aboveStdio(fds[0]!), aboveStdio(fds[1]!)];
}

/**
 * Runs `fn` with this process's descriptors 0-2 all taken: any that is closed holds /dev/null
 * meanwhile. Bun's own FileSink and module loader take the lowest free descriptor for what
 * they open (F_DUPFD_CLOEXEC from 0, open(2)) and keep it, so with stdout closed a FileSink's
 * copy of a pipe would become this process's stdout, which the next "inherit" child gets.
 */
export function withStdioTaken<T>(fn: () => T): T {
  const taken: number[] = [];
  if (libc.abi.linuxFd !== undefined) {
    for (let fd = 0; fd <= 2; fd++) {
      if (libc.fcntl(fd, F_GETFD, 0) !== -1) continue;
      // node:fs only here: importing this module stays cheap (docs/DESIGN.md §3.1).
      const { closeSync, openSync } = require("node:fs") as typeof import("node:fs");
      const got = openSync("/dev/null", "r");
      if (got !== fd) closeSync(got); // someone took it meanwhile (another thread): leave it
      else taken.push(got);
    }
  }
  if (taken.length === 0) return fn();
  try {
    return fn();
  } finally {
    const { closeSync } = require("node:fs") as typeof import("node:fs");
    for (const fd of taken) closeSync(fd);
  }
}

/** Whether this process's descriptor `fd` is open. */
export function isOpen(fd: number): boolean {
  const { fstatSync } = require("node:fs") as typeof import("node:fs"); // see withStdioTaken
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** fcntl(2)'s F_GETFD (asm-generic/fcntl.h): 1 on every Linux. */
const F_GETFD = 1;

/** A connected pair of Unix stream sockets, both close-on-exec and above 2 (Linux). */
export function socketPair(): [number, number] {
  const fds = new Int32Array(new ArrayBuffer(8));
  // AF_UNIX 1, SOCK_STREAM 1 (include/linux/socket.h, linux/net.h); SOCK_CLOEXEC is O_CLOEXEC.
  if (libc.socketpair(1, 1 | libc.abi.fileFlags.O_CLOEXEC, 0, fds) === -1) throw systemError("socketpair", libc.errno());
  return [aboveStdio(fds[0]!), aboveStdio(fds[1]!)];
}

/**
 * A descriptor this process keeps, moved above 2 if it landed on 0-2 (a process whose stdin,
 * stdout or stderr is closed gets those numbers first, and an "inherit" child would then get
 * it as its stdio): `fd` itself, or a close-on-exec copy above 2 with `fd` closed; -1 if `fd`
 * was -1 or no copy could be made (errno set, `fd` closed). For C-style callers (the async waits).
 */
export function raisedAboveStdio(fd: number): number {
  if (fd > 2 || fd === -1) return fd;
  try {
    return aboveStdio(fd);
  } catch {
    return -1;
  }
}

/** `fd` itself when above 2, else a copy above 2 (close-on-exec where fcntl can say so) and `fd` closed. */
function aboveStdio(fd: number): number {
  if (fd > 2) return fd;
  try {
    return copyAbove2(fd);
  } finally {
    libc.close(fd);
  }
}

/**
 * A copy of `fd` numbered 3 or more. On Linux it is close-on-exec (F_DUPFD_CLOEXEC); elsewhere
 * fcntl(2), a variadic function, is not called through the FFI, and `dup` gives a copy without
 * the flag.
 */
function copyAbove2(fd: number): number {
  const linuxFd = libc.abi.linuxFd;
  if (linuxFd !== undefined) {
    const copy = libc.fcntl(fd, linuxFd.F_DUPFD_CLOEXEC, 3);
    if (copy === -1) throw systemError("fcntl", libc.errno());
    return copy;
  }
  const low: number[] = [];
  let copy = fd;
  try {
    while (copy <= 2) {
      copy = libc.dup(copy);
      if (copy === -1) throw systemError("dup", libc.errno());
      if (copy <= 2) low.push(copy);
    }
    return copy;
  } finally {
    for (const l of low) libc.close(l);
  }
}

/** POLLOUT (asm-generic/poll.h), beside POLLIN from the table; both 0x4/0x1 on every Linux. */
const POLLOUT = 0x0004;

/**
 * poll(2) over several descriptors (Linux): waits up to `timeoutMs` (-1: no limit) for any of
 * them to be readable (`write: false`) or writable (`write: true`), retrying an interrupted
 * wait for the time that is left. Returns each one's revents (0: nothing; an error or hang-up
 * shows too, as the next read or write will).
 */
export function pollMany(entries: readonly { fd: number; write: boolean }[], timeoutMs: number): number[] {
  const linuxFd = libc.abi.linuxFd;
  if (linuxFd === undefined) throw new Error(`bun-wait4: poll is not used on ${libc.abi.os}`);
  const pollfds = new Int32Array(new ArrayBuffer(8 * Math.max(1, entries.length)));
  const deadline = timeoutMs < 0 ? Infinity : performance.now() + timeoutMs;
  for (;;) {
    entries.forEach((e, i) => {
      pollfds[2 * i] = e.fd;
      pollfds[2 * i + 1] = e.write ? POLLOUT : linuxFd.POLLIN;
    });
    const left = deadline === Infinity ? -1 : Math.max(0, Math.ceil(deadline - performance.now()));
    const n = libc.poll(pollfds, entries.length, left);
    if (n >= 0) return entries.map((_, i) => pollfds[2 * i + 1]! >>> 16);
    const errnum = libc.errno();
    if (errnum !== libc.abi.errnos.EINTR) throw systemError("poll", errnum);
  }
}

/**
 * Waits up to `timeoutMs` for `fd` to become readable (poll(2), Linux), blocking the thread;
 * an interrupted wait goes on for the time that is left. True if it became readable.
 */
export function pollReadable(fd: number, timeoutMs: number): boolean {
  const linuxFd = libc.abi.linuxFd;
  if (linuxFd === undefined) throw new Error(`bun-wait4: poll is not used on ${libc.abi.os}`);
  const pollfd = new Int32Array(new ArrayBuffer(8));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    pollfd[0] = fd;
    pollfd[1] = linuxFd.POLLIN; // events; revents (the high half) cleared
    const n = libc.poll(pollfd, 1, Math.max(0, Math.ceil(deadline - performance.now())));
    if (n > 0) return true;
    if (n === 0) return false;
    const errnum = libc.errno();
    if (errnum !== libc.abi.errnos.EINTR) throw systemError("poll", errnum);
  }
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
    if (libc.setChildSubreaper(on) === -1) throw systemError("prctl", libc.errno());
  },
};
