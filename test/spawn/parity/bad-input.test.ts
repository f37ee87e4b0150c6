// Every bad argument of test/helpers/spawn-bad-inputs.ts is given to Bun's own spawn, spawnSync or
// kill() first, in this run. Bun must refuse it (that is what the table is), and each
// implementation must refuse it too, with an error of the same class, name and code; Bun's
// message is shown when a pair differs. No expected error is written down anywhere: Bun is the
// oracle, live. Ported from
// the refusals in oven-sh/bun test/js/bun/spawn (spawn-signal "option validation",
// spawn-kill-signal "input validation", null-byte-injection, spawn-large-array-length,
// spawnSync "timeout < 0", spawn.test.ts "stdio[N>=3] blob-like inputs", "ArrayBufferView for
// stdout", "'socket-fd'", spawn-stdin-readable-stream-sync, spawn-fuzz); catalogue:
// docs/SPAWN-PARITY.md.
import { beforeAll, describe, expect, test } from "bun:test";
import { childPids, isHandoffShell } from "../../helpers/procfs.ts";
import { BAD_INPUTS, type BadInput } from "../../helpers/spawn-bad-inputs.ts";
import { bunImplementation, implementations, type SpawnImplementation } from "../../helpers/spawn-implementations.ts";

/** What a call did, reduced to what implementations must share. */
interface Outcome {
  threw: boolean;
  /** The built-in class the error is an instance of, or typeof a thrown non-error. */
  errorClass?: string;
  name?: unknown;
  code?: unknown;
}

const ERROR_CLASSES = [RangeError, TypeError, SyntaxError, Error] as const;

/** Makes the call, returning its outcome and (apart, not compared) the error's message. */
function observe(input: BadInput, implementation: SpawnImplementation, track: (child: unknown) => void) {
  try {
    input.call(implementation, track);
    return { outcome: { threw: false } satisfies Outcome, message: "(no error)" };
  } catch (error) {
    const errorClass = ERROR_CLASSES.find((kind) => error instanceof kind)?.name ?? typeof error;
    const fields = error as { name?: unknown; code?: unknown; message?: unknown };
    return {
      outcome: { threw: true, errorClass, name: fields?.name, code: fields?.code } satisfies Outcome,
      message: String(fields?.message),
    };
  }
}

describe.each(implementations)("$name", (implementation) => {
  let childrenBefore = new Set<number>();
  beforeAll(() => {
    childrenBefore = childPids();
  });

  test.each(BAD_INPUTS.map((input) => [input.label, input] as const))("%s: refused as Bun refuses it", async (_, input) => {
    const children: { kill(signal?: number): void; exited: Promise<number> }[] = [];
    const track = (child: unknown) => {
      const candidate = child as { kill?: unknown; exited?: unknown } | null;
      if (candidate && typeof candidate.kill === "function" && candidate.exited instanceof Promise) {
        children.push(candidate as (typeof children)[number]);
      }
    };
    const bun = observe(input, bunImplementation, track);
    const ours = observe(input, implementation, track);
    for (const child of children) child.kill(9);
    await Promise.all(children.map((child) => child.exited));
    expect(bun.outcome.threw, "Bun itself accepts this now: move it out of the table").toBe(true);
    expect(ours.outcome, `Bun threw ${JSON.stringify(bun.outcome)}: ${bun.message}`).toEqual(bun.outcome);
    expect(ours.message.length).toBeGreaterThan(0);
  });

  // bun-wait4's hand-off forker and its ready spare (src/run/forker/) are children of this
  // process by design, started by the first call that could hand a command over: not a refused
  // call's leftovers, and not counted (they end with this process).
  test("after the whole table no child of this process is left", () => {
    expect([...childPids()].filter((pid) => !childrenBefore.has(pid) && !isHandoffShell(pid))).toEqual([]);
  });
});
