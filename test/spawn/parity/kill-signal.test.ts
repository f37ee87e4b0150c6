// kill(signal?) and killSignal: which values name which signal, how a signal is reported, and
// which values are refused. Ported from oven-sh/bun test/js/bun/spawn/spawn-kill-signal.test.ts
// and spawn.test.ts ("kill() rejects String objects"); catalogue: docs/SPAWN-PARITY.md. The
// error classes and codes of the refusals are compared with Bun's in bad-input.test.ts.
import { describe, expect, test } from "bun:test";
import { constants } from "node:os";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { QUIET, sh, SLEEPER } from "../../helpers/spawn-probes.ts";

const signalNumbers: Record<string, number> = constants.signals;

/** kill(...args) and what signalCode must then read (an absent argument is SIGTERM). */
const killArguments: [label: string, signal: string, args: unknown[]][] = [
  ['"SIGTERM"', "SIGTERM", ["SIGTERM"]],
  ["undefined", "SIGTERM", [undefined]],
  ['""', "SIGTERM", [""]],
  ["null", "SIGTERM", [null]],
  ["no argument", "SIGTERM", []],
  ["15", "SIGTERM", [signalNumbers.SIGTERM]],
  ["NaN", "SIGTERM", [Number.NaN]],
  ['"SIGKILL"', "SIGKILL", ["SIGKILL"]],
  ["9", "SIGKILL", [signalNumbers.SIGKILL]],
];

const refusedKillArguments: [label: string, value: unknown][] = [
  ['"SIGGOD"', "SIGGOD"],
  ["{}", {}],
  ["a function", () => {}],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
  ["a symbol", Symbol("what")],
  ['new String("SIGKILL")', new String("SIGKILL")],
  ["String.prototype", String.prototype],
];

// Signals whose number differs between systems (os.constants.signals has this system's).
const platformSignals = ["SIGUSR1", "SIGUSR2", "SIGSTKFLT"].filter((name) => name in signalNumbers);
// A second name of a signal number (SIGIOT for SIGABRT, SIGPOLL for SIGIO). Bun 1.4.5 refuses
// these, so the aliases cases of Bun's suite are left out (docs/SPAWN-PARITY.md).
const aliases = new Set(["SIGIOT", "SIGPOLL", "SIGUNUSED"]);
// Names that are signals on some system but not on this one.
const foreignSignals = ["SIGSTKFLT", "SIGPWR", "SIGIOT", "SIGPOLL", "SIGUNUSED", "SIGINFO", "SIGBREAK"].filter(
  (name) => !(name in signalNumbers),
);

function errorOf(fn: () => unknown): { isTypeError: boolean; code: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    return { isTypeError: error instanceof TypeError, code: e.code, message: String(e.message) };
  }
  throw new Error("expected a throw");
}

describe.each(implementations)("$name", ({ spawn, spawnSync }) => {
  test.each(killArguments)("kill(%s) ends the child with %s", async (_, signal, args) => {
    const child = spawn(SLEEPER, QUIET);
    (child.kill as (...a: unknown[]) => void)(...args);
    await child.exited;
    expect({ exitCode: child.exitCode, signalCode: child.signalCode }).toEqual<unknown>({ exitCode: null, signalCode: signal });
  });

  test.each(refusedKillArguments)("kill(%s) throws and sends nothing", async (_, value) => {
    const child = spawn(SLEEPER, QUIET);
    expect(() => child.kill(value as NodeJS.Signals)).toThrow();
    child.kill();
    await child.exited;
    expect(child.signalCode).toBe("SIGTERM");
  });

  test("an unknown signal name is a TypeError that lists this system's signal names, one per number", async () => {
    const child = spawn(SLEEPER, QUIET);
    try {
      const error = errorOf(() => child.kill("SIGGOD" as NodeJS.Signals));
      expect({ isTypeError: error.isTypeError, code: error.code }).toEqual({
        isTypeError: true,
        code: "ERR_INVALID_ARG_TYPE",
      });
      for (const name of ["'SIGHUP'", "'SIGTERM'", "'SIGKILL'", "or 'SIGSYS'"]) expect(error.message).toContain(name);
      const listed = Array.from(error.message.matchAll(/'(SIG\w+)'/g), (match) => match[1]!);
      expect(listed.filter((name) => !(name in signalNumbers))).toEqual([]);
      const numbers = (names: string[]) => names.map((name) => signalNumbers[name]!).sort((a, b) => a - b);
      expect(numbers(listed)).toEqual([...new Set(numbers(Object.keys(signalNumbers)))]);
    } finally {
      child.kill();
      await child.exited;
    }
  });

  test("after the exit kill() still checks the name, and accepts every name in os.constants.signals but the aliases", async () => {
    const child = spawn(sh("exit 0"), QUIET);
    await child.exited;
    expect(() => child.kill("SIGGOD" as NodeJS.Signals)).toThrow("must be one of");
    const refused = Object.keys(signalNumbers).filter((name) => {
      if (aliases.has(name)) return false;
      try {
        child.kill(name as NodeJS.Signals);
        return false;
      } catch {
        return true;
      }
    });
    expect(refused).toEqual([]);
  });

  describe.each(platformSignals)("%s uses this system's number", (name) => {
    const number = signalNumbers[name]!;

    test("kill(name) and kill(number) both report the name, exited is 128 + the number", async () => {
      for (const signal of [name, number]) {
        const child = spawn(SLEEPER, QUIET);
        child.kill(signal as NodeJS.Signals);
        expect(await child.exited).toBe(128 + number);
        expect({ exitCode: child.exitCode, signalCode: child.signalCode }).toEqual<unknown>({
          exitCode: null,
          signalCode: name,
        });
      }
    });

    test("killSignal: name is what an AbortSignal sends", async () => {
      const controller = new AbortController();
      const { promise, resolve } = Promise.withResolvers<unknown[]>();
      const child = spawn({
        cmd: SLEEPER,
        ...QUIET,
        killSignal: name,
        signal: controller.signal,
        onExit: (_, exitCode, signalCode) => resolve([exitCode, signalCode]),
      });
      controller.abort();
      expect(await child.exited).toBe(128 + number);
      expect(await promise).toEqual([null, name]);
    });

    test("spawnSync with timeout and a numeric killSignal reports the name", () => {
      const { exitCode, signalCode } = spawnSync({ cmd: SLEEPER, ...QUIET, timeout: 1, killSignal: number });
      expect({ exitCode, signalCode }).toEqual<unknown>({ exitCode: null, signalCode: name });
    });
  });

  test.each(foreignSignals)("%s, a signal of another system, is refused like an unknown name", async (name) => {
    const refused = (fn: () => unknown) => {
      const error = errorOf(fn);
      expect({ isTypeError: error.isTypeError, code: error.code }).toEqual({
        isTypeError: true,
        code: "ERR_INVALID_ARG_TYPE",
      });
      expect(error.message).toContain("must be one of 'SIGHUP'");
      expect(error.message).not.toContain(`'${name}'`);
    };
    const child = spawn(SLEEPER, QUIET);
    try {
      refused(() => child.kill(name as NodeJS.Signals));
    } finally {
      child.kill();
      await child.exited;
    }
    // A child that exits at once, so a spawn that wrongly succeeds leaves nothing behind.
    refused(() => spawn({ cmd: sh("exit 0"), ...QUIET, killSignal: name }));
    refused(() => spawnSync({ cmd: sh("exit 0"), ...QUIET, timeout: 1, killSignal: name }));
  });
});
