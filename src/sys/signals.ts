/** Signal names and descriptions for the running platform. */
import { signalDescriptionWith, signalNameWith } from "../abi/names.ts";
import type { Abi } from "../abi/types.ts";
import { libc, runningAbi } from "../ffi/load.ts";

/** The highest signal number here (Linux 64, macOS 31, FreeBSD 128; 64 where nothing is supported): signals are 1 … MAX_SIGNAL. */
export const MAX_SIGNAL: number = runningAbi?.signals.maxSignal ?? 64;

let realtime: Abi["realtimeSignals"] | null = null;
/** SIGRTMIN … SIGRTMAX, asked of the C library on first use (glibc and musl keep different numbers for themselves). */
function realtimeSignals(): Abi["realtimeSignals"] {
  if (realtime === null) realtime = runningAbi === undefined ? undefined : libc.abi.realtimeSignals;
  return realtime;
}

/**
 * The running platform's name for a signal number, if it has one: `"SIGKILL"` for 9, and
 * real-time signals as bash's `kill -l` writes them (`"SIGRTMIN+3"`, `"SIGRTMAX-1"`).
 *
 * @example
 * signalName(15); // "SIGTERM"
 */
export function signalName(signal: number): string | undefined {
  return signalNameWith(signal, realtimeSignals());
}

/**
 * What a signal means, in the words of glibc's strsignal (the same on every platform):
 * `"Killed"` for SIGKILL, `"Terminated"` for SIGTERM, `"Real-time signal 3"` for SIGRTMIN+3.
 *
 * @example
 * signalDescription(9); // "Killed"
 */
export function signalDescription(signal: number): string | undefined {
  return signalDescriptionWith(signal, realtimeSignals());
}
