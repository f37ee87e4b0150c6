/**
 * Names and descriptions of the running platform's signals, from Node's `os.constants` (which
 * Bun fills from the platform's own headers) and, for real-time signals, the table's SIGRTMIN …
 * SIGRTMAX. `node:os` loads on the first name asked for, not at import (docs/DESIGN.md §3.1).
 */
import { SIGNAL_DESCRIPTIONS } from "./signal-descriptions.ts";
import type { Abi } from "./types.ts";

const osConstants = () => process.getBuiltinModule("node:os").constants;

/** A lazily built number → first name map over `table` (first wins: SIGABRT over SIGIOT). */
function reverseLookup(table: () => Readonly<Record<string, number>>): (value: number) => string | undefined {
  let names: Map<number, string> | undefined;
  return (value) => {
    if (names === undefined) {
      names = new Map();
      for (const [name, number] of Object.entries(table())) if (!names.has(number)) names.set(number, name);
    }
    return names.get(value);
  };
}

const signalLookup = reverseLookup(() => osConstants().signals);

/**
 * The name of real-time signal `signal` the way bash's `kill -l` and gnulib's sig2str write
 * it: `SIGRTMIN`, `SIGRTMIN+k` up to the middle of the range, `SIGRTMAX-k` above it, `SIGRTMAX`.
 */
export function realtimeSignalName(signal: number, range: Abi["realtimeSignals"]): string | undefined {
  if (range === undefined || !Number.isInteger(signal) || signal < range.min || signal > range.max) return undefined;
  if (signal === range.min) return "SIGRTMIN";
  if (signal === range.max) return "SIGRTMAX";
  return signal <= range.min + ((range.max - range.min) >> 1) ? `SIGRTMIN+${signal - range.min}` : `SIGRTMAX-${range.max - signal}`;
}

/**
 * The name of signal `signal` on platform `range`'s C library: the standard names of
 * `os.constants.signals` (`SIGKILL` for 9), and real-time ones as `SIGRTMIN+3`.
 */
export function signalNameWith(signal: number, range: Abi["realtimeSignals"]): string | undefined {
  return signalLookup(signal) ?? realtimeSignalName(signal, range);
}

/** What signal `signal` means, in glibc's strsignal words ("Killed", "Real-time signal 3"). */
export function signalDescriptionWith(signal: number, range: Abi["realtimeSignals"]): string | undefined {
  const name = signalLookup(signal);
  if (name !== undefined) return SIGNAL_DESCRIPTIONS[name];
  if (range !== undefined && realtimeSignalName(signal, range) !== undefined) return `Real-time signal ${signal - range.min}`;
  return undefined;
}
