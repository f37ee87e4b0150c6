/**
 * An exit watch tells which watched children have exited since it was last asked, without
 * looking at every pending pid (docs/DESIGN.md §9). `add` returning false means this pid cannot
 * be watched (no pidfd: old kernel, seccomp, EMFILE): the caller then checks it on every
 * SIGCHLD instead.
 */
export interface ExitWatch {
  /** Which mechanism this is, for tests and the README's platform table. */
  readonly kind: "epoll" | "kqueue" | "scan";
  /** Starts watching `pid`; false if it cannot be watched this way. */
  add(pid: number): boolean;
  /** Stops watching `pid` (no-op if it was not watched). */
  remove(pid: number): void;
  /** The watched pids that have exited (each reported until removed or, kqueue, once). */
  exited(): readonly number[];
}

/** The watch of last resort: watches nothing, so every pending pid is checked on each SIGCHLD. */
export const scanWatch: ExitWatch = {
  kind: "scan",
  add: () => false,
  remove: () => {},
  exited: () => [],
};
