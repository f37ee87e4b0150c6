/**
 * Bad arguments of posix_spawn and posix_spawnp: the right error class and `code`, a message
 * that names the argument, nothing converted (no valueOf/toString calls), and no child made.
 * (Hostile values — getters, Proxies, arrays whose iterator lies — are in spawn-hostile.test.ts.)
 */
import { describe, expect, test } from "bun:test";
import { constants as fsConstants } from "node:fs";
import { posix_spawn, posix_spawnp, POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, POSIX_SPAWN_OPEN } from "../../src/index.ts";
import { argumentName, coercionSpy, outcomeOf, rejected, rejectionOf, type ErrorClass } from "../helpers/bad-values.ts";
import { reap } from "../helpers/live.ts";
import { childPids, reapNewChildren } from "../helpers/procfs.ts";

const { O_RDONLY } = fsConstants;

type SpawnArgs = [path: unknown, argv: unknown, env: unknown, options: unknown];
interface SpawnCase {
  label: string;
  /** Builds the arguments; `program` is "/bin/true" (posix_spawn) or "true" (posix_spawnp). */
  args: (program: string) => SpawnArgs;
  error: ErrorClass;
  code: "ERR_INVALID_ARG_TYPE" | "ERR_OUT_OF_RANGE" | "ERR_INVALID_ARG_VALUE";
  /** Text the message must contain; "$path" stands for "path" or "file". */
  mention: string;
}

const TYPE = "ERR_INVALID_ARG_TYPE" as const;
const RANGE = "ERR_OUT_OF_RANGE" as const;
const VALUE = "ERR_INVALID_ARG_VALUE" as const;

const withPath = (label: string, path: unknown, error: ErrorClass, code: SpawnCase["code"]): SpawnCase => ({
  label: `path ${label}`,
  args: () => [path, ["true"], null, undefined],
  error,
  code,
  mention: "$path",
});
const withArgv = (label: string, argv: unknown, error: ErrorClass, code: SpawnCase["code"], mention = "argv"): SpawnCase => ({
  label: `argv ${label}`,
  args: (program) => [program, argv, null, undefined],
  error,
  code,
  mention,
});
const withEnv = (label: string, env: unknown, error: ErrorClass, code: SpawnCase["code"], mention = "env"): SpawnCase => ({
  label: `env ${label}`,
  args: (program) => [program, ["true"], env, undefined],
  error,
  code,
  mention,
});
const withOptions = (label: string, options: unknown, error: ErrorClass, code: SpawnCase["code"], mention: string): SpawnCase => ({
  label: `options ${label}`,
  args: (program) => [program, ["true"], null, options],
  error,
  code,
  mention,
});
const withAction = (label: string, action: unknown, error: ErrorClass, code: SpawnCase["code"]): SpawnCase =>
  withOptions(`file_actions ${label}`, { file_actions: [[POSIX_SPAWN_CLOSE, 9], action] }, error, code, "file_actions[1]");

const DEV_NULL = "/dev/null";
const SPAWN_CASES: SpawnCase[] = [
  withPath("number", 1, "TypeError", TYPE),
  withPath("null", null, "TypeError", TYPE),
  withPath("undefined", undefined, "TypeError", TYPE),
  withPath("object", {}, "TypeError", TYPE),
  withPath("array", ["/bin/true"], "TypeError", TYPE),
  withPath("bigint", 1n, "TypeError", TYPE),
  withPath("symbol", Symbol("path"), "TypeError", TYPE),
  withPath("boolean", true, "TypeError", TYPE),
  withPath("with a NUL byte", "/bin/true\0--", "TypeError", VALUE),

  withArgv("a string", "true", "TypeError", TYPE),
  withArgv("null", null, "TypeError", TYPE),
  withArgv("undefined", undefined, "TypeError", TYPE),
  withArgv("an array-like object", { length: 1, 0: "true" }, "TypeError", TYPE),
  withArgv("a number", 1, "TypeError", TYPE),
  withArgv("empty", [], "TypeError", VALUE),
  withArgv("with argv[0] empty", [""], "TypeError", VALUE, "argv[0]"),
  withArgv("with a number element", ["true", 1], "TypeError", TYPE, "argv[1]"),
  withArgv("with a null element", ["true", null], "TypeError", TYPE, "argv[1]"),
  withArgv("with a bigint element", ["true", 1n], "TypeError", TYPE, "argv[1]"),
  withArgv("with a NUL byte in an element", ["true", "a\0b"], "TypeError", VALUE, "argv[1]"),

  withEnv("a string", "A=1", "TypeError", TYPE),
  withEnv("a number", 1, "TypeError", TYPE),
  withEnv("a boolean", true, "TypeError", TYPE),
  withEnv("a symbol", Symbol("env"), "TypeError", TYPE),
  withEnv("a function", () => ({}), "TypeError", TYPE),
  withEnv("with a number value", { A: 1 }, "TypeError", TYPE),
  withEnv("with a null value", { A: null }, "TypeError", TYPE),
  withEnv("with a bigint value", { A: 1n }, "TypeError", TYPE),
  withEnv("with an object value", { A: {} }, "TypeError", TYPE),
  withEnv("with '=' in a name", { "A=B": "1" }, "TypeError", VALUE),
  withEnv("with an empty name", { "": "1" }, "TypeError", VALUE),
  withEnv("with a NUL byte in a name", { "A\0B": "1" }, "TypeError", VALUE),
  withEnv("with a NUL byte in a value", { A: "x\0y" }, "TypeError", VALUE),

  withOptions("a number", 1, "TypeError", TYPE, "options"),
  withOptions("a string", "setsid", "TypeError", TYPE, "options"),
  withOptions("a boolean", true, "TypeError", TYPE, "options"),
  withOptions("unknown key setpgrp", { setpgrp: 0 }, "TypeError", VALUE, "setpgrp"),
  withOptions("unknown key next to valid ones", { setsid: true, file_action: [] }, "TypeError", VALUE, "file_action"),
  withOptions("file_actions a string", { file_actions: "x" }, "TypeError", TYPE, "file_actions"),
  withOptions("file_actions an object", { file_actions: {} }, "TypeError", TYPE, "file_actions"),
  withOptions("file_actions a number", { file_actions: 1 }, "TypeError", TYPE, "file_actions"),
  withAction("a string", "close 0", "TypeError", TYPE),
  withAction("a number", 1, "TypeError", TYPE),
  withAction("unknown tag 99", [99, 0], "TypeError", VALUE),
  withAction("unknown tag -1", [-1, 0], "TypeError", VALUE),
  withAction("tag as a string", [String(POSIX_SPAWN_CLOSE), 0], "TypeError", VALUE),
  withAction("OPEN too short", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY], "TypeError", VALUE),
  withAction("OPEN too long", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, 0, 0], "TypeError", VALUE),
  withAction("CLOSE without fd", [POSIX_SPAWN_CLOSE], "TypeError", VALUE),
  withAction("CLOSE too long", [POSIX_SPAWN_CLOSE, 0, 1], "TypeError", VALUE),
  withAction("DUP2 too short", [POSIX_SPAWN_DUP2, 1], "TypeError", VALUE),
  withAction("CLOSE fd 1.5", [POSIX_SPAWN_CLOSE, 1.5], "RangeError", RANGE),
  withAction("CLOSE fd NaN", [POSIX_SPAWN_CLOSE, Number.NaN], "RangeError", RANGE),
  withAction("CLOSE fd 2**31", [POSIX_SPAWN_CLOSE, 2 ** 31], "RangeError", RANGE),
  withAction("CLOSE fd '0'", [POSIX_SPAWN_CLOSE, "0"], "TypeError", TYPE),
  withAction("CLOSE fd 0n", [POSIX_SPAWN_CLOSE, 0n], "TypeError", TYPE),
  withAction("DUP2 newFd 2.5", [POSIX_SPAWN_DUP2, 1, 2.5], "RangeError", RANGE),
  withAction("DUP2 fd null", [POSIX_SPAWN_DUP2, null, 1], "TypeError", TYPE),
  withAction("OPEN fd Infinity", [POSIX_SPAWN_OPEN, Number.POSITIVE_INFINITY, DEV_NULL, O_RDONLY, 0], "RangeError", RANGE),
  withAction("OPEN path a number", [POSIX_SPAWN_OPEN, 1, 7, O_RDONLY, 0], "TypeError", TYPE),
  withAction("OPEN path with a NUL byte", [POSIX_SPAWN_OPEN, 1, `${DEV_NULL}\0x`, O_RDONLY, 0], "TypeError", VALUE),
  withAction("OPEN flags 1.5", [POSIX_SPAWN_OPEN, 1, DEV_NULL, 1.5, 0], "RangeError", RANGE),
  withAction("OPEN flags '0'", [POSIX_SPAWN_OPEN, 1, DEV_NULL, "0", 0], "TypeError", TYPE),
  withAction("OPEN mode -1", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, -1], "RangeError", RANGE),
  withAction("OPEN mode 0o10000", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, 0o10000], "RangeError", RANGE),
  withAction("OPEN mode '644'", [POSIX_SPAWN_OPEN, 1, DEV_NULL, O_RDONLY, "644"], "TypeError", TYPE),
  withOptions("setpgroup '0'", { setpgroup: "0" }, "TypeError", TYPE, "setpgroup"),
  withOptions("setpgroup true", { setpgroup: true }, "TypeError", TYPE, "setpgroup"),
  withOptions("setpgroup 0n", { setpgroup: 0n }, "TypeError", TYPE, "setpgroup"),
  withOptions("setpgroup 1.5", { setpgroup: 1.5 }, "RangeError", RANGE, "setpgroup"),
  withOptions("setpgroup NaN", { setpgroup: Number.NaN }, "RangeError", RANGE, "setpgroup"),
  withOptions("setpgroup -1", { setpgroup: -1 }, "RangeError", RANGE, "setpgroup"),
  withOptions("setpgroup 2**31", { setpgroup: 2 ** 31 }, "RangeError", RANGE, "setpgroup"),
  withOptions("setsid 1", { setsid: 1 }, "TypeError", TYPE, "setsid"),
  withOptions("setsid 'true'", { setsid: "true" }, "TypeError", TYPE, "setsid"),
  withOptions("resetids 1", { resetids: 1 }, "TypeError", TYPE, "resetids"),
  withOptions("resetids 'yes'", { resetids: "yes" }, "TypeError", TYPE, "resetids"),
  withOptions("setsigmask a number", { setsigmask: 10 }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask a string", { setsigmask: "10" }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask a plain object", { setsigmask: {} }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask element '10'", { setsigmask: ["10"] }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask element 10n", { setsigmask: [10n] }, "TypeError", TYPE, "setsigmask"),
  withOptions("setsigmask element 1.5", { setsigmask: [1.5] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask element NaN", { setsigmask: [Number.NaN] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask element 2**31", { setsigmask: [2 ** 31] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal 0", { setsigmask: [0] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal 65", { setsigmask: [65] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal 1000", { setsigmask: [1000] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask signal -1", { setsigmask: [-1] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigmask a bad signal after good ones", { setsigmask: [10, 12, 65] }, "RangeError", RANGE, "setsigmask"),
  withOptions("setsigdef a number", { setsigdef: 2 }, "TypeError", TYPE, "setsigdef"),
  withOptions("setsigdef element '2'", { setsigdef: ["2"] }, "TypeError", TYPE, "setsigdef"),
  withOptions("setsigdef signal 0", { setsigdef: [0] }, "RangeError", RANGE, "setsigdef"),
  withOptions("setsigdef signal 65", { setsigdef: [65] }, "RangeError", RANGE, "setsigdef"),
  withOptions("setsigdef signal 1000", { setsigdef: [1000] }, "RangeError", RANGE, "setsigdef"),
];

type AnySpawn = (...args: SpawnArgs) => unknown;
const SPAWNERS: [name: string, program: string, pathName: string, spawn: AnySpawn][] = [
  ["posix_spawn", "/bin/true", "path", posix_spawn as AnySpawn],
  ["posix_spawnp", "true", "file", posix_spawnp as AnySpawn],
];

for (const [name, program, pathName, spawn] of SPAWNERS) {
  describe(`${name} rejects bad arguments before any child exists`, () => {
    test("control: the same valid call does make a child", () => {
      const pid = spawn(program, ["true"], null, undefined);
      expect(typeof pid).toBe("number");
      expect(reap(pid as number)).toBe(0);
    });

    for (const c of SPAWN_CASES) {
      test(`${c.label} -> ${c.error} ${c.code}`, () => {
        const before = childPids();
        const outcome = outcomeOf(() => spawn(...c.args(program)));
        const extra = reapNewChildren(before);
        const mention = c.mention === "$path" ? argumentName(pathName) : c.mention;
        expect(rejectionOf(outcome, mention), JSON.stringify(outcome)).toEqual(rejected(c.error, c.code));
        expect(extra).toEqual([]);
      });
    }

    test("objects with side-effecting conversions are rejected unconverted", () => {
      const cases: ((spy: object) => SpawnArgs)[] = [
        (spy) => [spy, ["true"], null, undefined],
        (spy) => [program, spy, null, undefined],
        (spy) => [program, ["true", spy], null, undefined],
        (spy) => [program, ["true"], { A: spy }, undefined],
        (spy) => [program, ["true"], null, { setpgroup: spy }],
        (spy) => [program, ["true"], null, { file_actions: [[POSIX_SPAWN_CLOSE, spy]] }],
        (spy) => [program, ["true"], null, { file_actions: [[POSIX_SPAWN_OPEN, 1, spy, O_RDONLY, 0]] }],
        (spy) => [program, ["true"], null, { setsigmask: [spy] }],
        (spy) => [program, ["true"], null, { setsigdef: [spy] }],
      ];
      const before = childPids();
      const results = cases.map((make) => {
        const spy = coercionSpy();
        const outcome = outcomeOf(() => spawn(...make(spy.value)));
        return { threw: outcome.threw, name: outcome.threw ? outcome.name : "", conversions: spy.calls() };
      });
      const extra = reapNewChildren(before);
      expect(results).toEqual(cases.map(() => ({ threw: true, name: "TypeError", conversions: 0 })));
      expect(extra).toEqual([]);
    });
  });
}
