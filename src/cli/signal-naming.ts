/**
 * How GNU time's `%Ts` names a signal: gnulib `sig2str` (spec §3.3, "spec" being the GNU
 * time behavioural specification, docs/GNU-TIME.md), with the running C library's real-time
 * range (glibc's SIGRTMIN is 34, musl's 35).
 * @module
 */
import { signalName } from "../index.ts";
import { libc, runningAbi } from "../ffi/load.ts";
import { MAX_SIGNAL } from "../sys/signals.ts";

/**
 * How `%Ts` names signals: gnulib `sig2str`'s table (first name wins) and the real-time
 * range, written `RTMIN`, `RTMIN+k` up to the middle of the range and `RTMAX-k`, `RTMAX`
 * above it (spec §3.3). A platform without real-time signals has `rtmin > rtmax`.
 */
export interface SignalNaming {
  /** Signal number → name without the `SIG` prefix. */
  readonly names: ReadonlyMap<number, string>;
  /** The running SIGRTMIN (glibc: 34, musl: 35). */
  readonly rtmin: number;
  /** The running SIGRTMAX (64 on Linux). */
  readonly rtmax: number;
}

/**
 * gnulib's `sig2str` names on Linux (x86_64 and the generic numbering of arm64 agree), with
 * glibc's runtime SIGRTMIN 34 and SIGRTMAX 64 (spec §3.3). 32 and 33 have no name; 0 is
 * gnulib's "EXIT".
 */
export const LINUX_SIGNAL_NAMING: SignalNaming = Object.freeze({
  names: new Map<number, string>(
    [
      "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
      "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
      "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
    ].map((name, number) => [number, name]),
  ),
  rtmin: 34,
  rtmax: 64,
});


/**
 * gnulib's names with the real-time range of the C library this process runs on (musl's
 * SIGRTMIN is 35, so there 34 has no name and 35 is `RTMIN`).
 */
function linuxNaming(): SignalNaming {
  const range = runningAbi === undefined ? undefined : libc.abi.realtimeSignals;
  if (range === undefined || (range.min === LINUX_SIGNAL_NAMING.rtmin && range.max === LINUX_SIGNAL_NAMING.rtmax)) return LINUX_SIGNAL_NAMING;
  return Object.freeze({ names: LINUX_SIGNAL_NAMING.names, rtmin: range.min, rtmax: range.max });
}

let platformNaming: SignalNaming | undefined;

/**
 * The naming used when none is passed: gnulib's Linux names with the running C library's
 * real-time range on Linux; elsewhere the platform's own signal names with no real-time range
 * (best effort: gnulib's preference among aliases is not known there).
 */
export function defaultNaming(): SignalNaming {
  if (platformNaming !== undefined) return platformNaming;
  if (process.platform === "linux") platformNaming = linuxNaming();
  else {
    const names = new Map<number, string>([[0, "EXIT"]]);
    for (let n = 1; n <= MAX_SIGNAL; n++) {
      const name = signalName(n);
      if (name !== undefined) names.set(n, name.replace(/^SIG/, ""));
    }
    platformNaming = { names, rtmin: 0, rtmax: -1 };
  }
  return platformNaming;
}

/** gnulib `sig2str`: the name of signal `n` without `SIG`, or undefined (then GNU prints `(n)`). */
export function signalSpec(n: number, naming: SignalNaming = defaultNaming()): string | undefined {
  const name = naming.names.get(n);
  if (name !== undefined) return name;
  const { rtmin, rtmax } = naming;
  if (!(rtmin <= n && n <= rtmax)) return undefined;
  // The lower half (rounded towards RTMIN) counts up from RTMIN, the rest down from RTMAX.
  const fromMin = n <= rtmin + Math.trunc((rtmax - rtmin) / 2);
  const delta = n - (fromMin ? rtmin : rtmax);
  return `${fromMin ? "RTMIN" : "RTMAX"}${delta === 0 ? "" : delta > 0 ? `+${delta}` : `${delta}`}`;
}
