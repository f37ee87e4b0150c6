/**
 * Names of the running platform's errno values and signals, from Node's `os.constants`
 * (which Bun fills from the platform's own headers).
 */
import { constants } from "node:os";

/** A lazily built number → first name map over `table` (first wins: EAGAIN over EWOULDBLOCK). */
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

const errnoLookup = reverseLookup(() => constants.errno);

/** `ECHILD` for 10 on Linux: the running platform's name for an errno value (`E<n>` if none). */
export function errnoName(errnum: number): string {
  return errnoLookup(errnum) ?? `E${errnum}`;
}

/** The running platform's name for a signal number (`SIGKILL` for 9), if it has one. */
export const signalName: (signal: number) => string | undefined = reverseLookup(() => constants.signals);
