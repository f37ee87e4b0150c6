/** Signal names and descriptions for the running platform. */
import { signalDescriptionWith, signalNameWith } from "../abi/names.ts";
import { runningAbi } from "../ffi/load.ts";

const realtime = runningAbi?.realtimeSignals;

/**
 * The running platform's name for a signal number, if it has one: `"SIGKILL"` for 9, and
 * real-time signals as bash's `kill -l` writes them (`"SIGRTMIN+3"`, `"SIGRTMAX-1"`).
 *
 * @example
 * signalName(15); // "SIGTERM"
 */
export function signalName(signal: number): string | undefined {
  return signalNameWith(signal, realtime);
}

/**
 * What a signal means, in the words of glibc's strsignal (the same on every platform):
 * `"Killed"` for SIGKILL, `"Terminated"` for SIGTERM, `"Real-time signal 3"` for SIGRTMIN+3.
 *
 * @example
 * signalDescription(9); // "Killed"
 */
export function signalDescription(signal: number): string | undefined {
  return signalDescriptionWith(signal, realtime);
}
