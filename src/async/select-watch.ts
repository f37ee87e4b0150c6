/** Picks the exit watch: the platform's (epoll, kqueue), or the scan fallback when asked or absent. */
import { runningAbi } from "../ffi/load.ts";
import { epollWatch } from "./epoll-watch.ts";
import { scanWatch, type ExitWatch } from "./exit-watch.ts";
import { kqueueWatch } from "./kqueue-watch.ts";

/** `forced` is the BUN_WAIT4_EXIT_WATCH value: "scan" forces the fallback. */
export function selectExitWatch(forced: string | undefined): ExitWatch {
  const w = runningAbi?.exitWatch;
  if (forced === "scan" || w === undefined) return scanWatch;
  return w.kind === "epoll" ? epollWatch(w) : kqueueWatch(w);
}
