/**
 * Hostile but legal arguments for posix_spawn, shared by test/sys/spawn-hostile.test.ts (which
 * knows what each must do) and test/fixtures/spawn-hostile.ts (which builds one case in a fresh
 * Bun process, so that a crash fails that case instead of killing the test runner).
 *
 * Every successful case spawns `sh -c 'read x < fifo' sh ARGS…` in a directory holding the FIFO
 * `fifo`: the shell blocks in open(2), with no child of its own and no CPU, until it is killed,
 * so its /proc/<pid>/cmdline and /proc/<pid>/environ can be read byte for byte.
 * Each case counts how often the library read each watched property.
 */
import { constants } from "node:fs";
import { POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, POSIX_SPAWN_OPEN } from "../../src/index.ts";

const { O_WRONLY, O_CREAT } = constants;

export const SHELL = "/bin/sh";
export const SHELL_ARGV = ["sh", "-c", "read x < fifo", "sh"] as const;

/** What a case must do. */
export type Expectation =
  | {
      kind: "spawns";
      /** The child's argv and environment, exactly. */
      argv: readonly string[];
      env: readonly string[];
      /** Files the child's file actions must have created (relative to the case's directory). */
      creates?: readonly string[];
      /** Files that must not exist afterwards (a path cut at a NUL, say). */
      notCreated?: readonly string[];
    }
  | { kind: "throws"; name: "TypeError" | "RangeError"; code: string; mention: string };

export interface BuiltCase {
  args: [path: unknown, argv: unknown, env: unknown, options: unknown];
  /** How often each watched property was read (or method called); checked against `reads`. */
  reads: () => Record<string, number>;
}

export interface HostileCase {
  name: string;
  /** `dir` is an empty directory of this case's own. */
  build: (dir: string) => BuiltCase;
  expect: Expectation;
  /** Exactly these read counts (a missing name is not checked). */
  reads?: Record<string, number>;
}

/** A counter of reads by name. */
export function counter() {
  const counts: Record<string, number> = {};
  return {
    hit: (name: string) => void (counts[name] = (counts[name] ?? 0) + 1),
    reads: () => ({ ...counts }),
  };
}

/**
 * A Proxy over `target` that counts each prototype read (`getPrototypeOf`), each key listing
 * (`ownKeys`) and each `get <key>` in `c`.
 */
export function countingProxy<T extends object>(target: T, c: ReturnType<typeof counter>): T {
  return new Proxy(target, {
    getPrototypeOf(t) {
      c.hit("getPrototypeOf");
      return Reflect.getPrototypeOf(t);
    },
    ownKeys(t) {
      c.hit("ownKeys");
      return Reflect.ownKeys(t);
    },
    get(t, key, receiver) {
      c.hit(`get ${String(key)}`);
      return Reflect.get(t, key, receiver);
    },
  });
}

const BASE_ENV = { HOSTILE_CASE: "1" };
const spawns = (extra: readonly string[] = [], env: readonly string[] = ["HOSTILE_CASE=1"], more: Partial<Extract<Expectation, { kind: "spawns" }>> = {}): Expectation => ({
  kind: "spawns",
  argv: [...SHELL_ARGV, ...extra],
  env,
  ...more,
});
const throws = (name: "TypeError" | "RangeError", code: string, mention: string): Expectation => ({ kind: "throws", name, code, mention });

/** An array that counts calls of the methods and iterator a careless reader would use. */
function trappedArray<T>(items: T[], hit: (name: string) => void): T[] {
  const array = [...items];
  for (const method of ["forEach", "map", "flatMap", "flat", "slice", "filter", "reduce", "entries", "values", "keys", "at", "concat", "join"] as const) {
    Object.defineProperty(array, method, {
      value: () => {
        hit(method);
        throw new Error(`own ${method} was called`);
      },
    });
  }
  Object.defineProperty(array, Symbol.iterator, {
    value: () => {
      hit("iterator");
      throw new Error("own iterator was called");
    },
  });
  return array;
}

/** A getter that gives `good` for the first `k` reads and `bad` after. */
export function changingGetter<T>(target: object, key: PropertyKey, good: T, bad: unknown, k: number, hit: () => void): void {
  let n = 0;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      hit();
      return n++ < k ? good : bad;
    },
  });
}

const cases: HostileCase[] = [];

// 1. The crash of issue 8: an iterator that disagrees with the indices, a Proxy whose reads
//    change, own methods shadowing Array.prototype. Read by index, the CLOSE actions are what
//    the library sees; none of the user's methods or iterator runs.
cases.push({
  name: "file_actions whose iterator yields an OPEN while its indices hold CLOSEs",
  build: (dir) => {
    const c = counter();
    const closes = [[POSIX_SPAWN_CLOSE, 7] as const, [POSIX_SPAWN_CLOSE, 8] as const];
    const actions = [...closes];
    Object.defineProperty(actions, Symbol.iterator, {
      value: function* () {
        c.hit("iterator");
        yield [POSIX_SPAWN_OPEN, 7, `${dir}/from-iterator`, O_WRONLY | O_CREAT, 0o600];
      },
    });
    return { args: [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: actions }], reads: c.reads };
  },
  expect: spawns([], undefined, { notCreated: ["from-iterator"] }),
  reads: { iterator: 0 },
});

cases.push({
  name: "a Proxy file_actions whose [0] reads CLOSE twice and then OPEN",
  build: (dir) => {
    const c = counter();
    let n = 0;
    const target = [[POSIX_SPAWN_CLOSE, 7]];
    const actions = new Proxy(target, {
      get(t, key, receiver) {
        if (key === "0") {
          c.hit("[0]");
          return n++ < 2 ? [POSIX_SPAWN_CLOSE, 7] : [POSIX_SPAWN_OPEN, 7, `${dir}/third-read`, O_WRONLY | O_CREAT, 0o600];
        }
        if (key === "length") c.hit("length");
        return Reflect.get(t, key, receiver);
      },
    });
    return { args: [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: actions }], reads: c.reads };
  },
  expect: spawns([], undefined, { notCreated: ["third-read"] }),
  reads: { "[0]": 1, length: 1 },
});

cases.push({
  name: "argv, file_actions and an action with own forEach/map/flatMap/iterator… that throw",
  build: (dir) => {
    const c = counter();
    const open = trappedArray<unknown>([POSIX_SPAWN_OPEN, 7, `${dir}/opened`, O_WRONLY | O_CREAT, 0o600], c.hit);
    const actions = trappedArray<unknown>([open, trappedArray<unknown>([POSIX_SPAWN_DUP2, 7, 9], c.hit)], c.hit);
    const argv = trappedArray([...SHELL_ARGV, "x"], c.hit);
    return { args: [SHELL, argv, BASE_ENV, { file_actions: actions }], reads: c.reads };
  },
  expect: spawns(["x"], undefined, { creates: ["opened"] }),
  reads: { forEach: 0, map: 0, flatMap: 0, flat: 0, slice: 0, filter: 0, reduce: 0, entries: 0, values: 0, keys: 0, at: 0, concat: 0, join: 0, iterator: 0 },
});

// 2. Sparse arrays: a hole is an argument error, never a shifted pointer array.
cases.push({
  name: "argv with a hole at the end (length set past the elements)",
  build: () => {
    const argv: string[] = [...SHELL_ARGV, "5"];
    argv.length = 6;
    return { args: [SHELL, argv, { API_TOKEN: "secret-token", HOME: "/tmp" }, undefined], reads: () => ({}) };
  },
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "argv[5]"),
});
cases.push({
  name: "argv = new Array(2)",
  build: () => ({ args: [SHELL, new Array(2), BASE_ENV, undefined], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "argv[0]"),
});
cases.push({
  name: "argv with a hole in the middle",
  build: () => {
    const argv = [...SHELL_ARGV, "a", "b"];
    delete (argv as (string | undefined)[])[4];
    return { args: [SHELL, argv, BASE_ENV, undefined], reads: () => ({}) };
  },
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "argv[4]"),
});
cases.push({
  name: "file_actions with a hole first: [, [CLOSE, 5]]",
  // biome-ignore lint: the hole is the point
  build: () => ({ args: [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: [, [POSIX_SPAWN_CLOSE, 5]] }], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "file_actions[0]"),
});
cases.push({
  name: "a file action with a hole: [OPEN, 5, , O_RDONLY, 0]",
  build: () => ({ args: [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: [[POSIX_SPAWN_OPEN, 5, , 0, 0]] }], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "file_actions[0][2] (path)"),
});
cases.push({
  name: "setsigmask with a hole",
  build: () => ({ args: [SHELL, [...SHELL_ARGV], BASE_ENV, { setsigmask: [10, , 12] }], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "setsigmask[1]"),
});

// 3. A Proxy argv whose length changes between reads: read once, the snapshot is consistent.
cases.push({
  name: "a Proxy argv whose length grows after the first read",
  build: () => {
    const c = counter();
    let n = 0;
    const argv = new Proxy([...SHELL_ARGV, "first"], {
      get(t, key, receiver) {
        if (key === "length") {
          c.hit("length");
          return n++ === 0 ? 5 : 5000;
        }
        c.hit(`[${String(key)}]`);
        return Reflect.get(t, key, receiver);
      },
    });
    return { args: [SHELL, argv, BASE_ENV, undefined], reads: c.reads };
  },
  expect: spawns(["first"]),
  reads: { length: 1, "[0]": 1, "[4]": 1 },
});

// 4. Values that change after k reads, k = 1 … 8: every watched property is read exactly once,
//    so the first (valid) value is the one used, whatever comes after.
for (let k = 1; k <= 8; k++) {
  cases.push({
    name: `an argv element that turns into an object after ${k} read(s)`,
    build: () => {
      const c = counter();
      const argv: unknown[] = [...SHELL_ARGV, "placeholder"];
      changingGetter(argv, 4, "good-arg", { toString: () => "evil" }, k, () => c.hit("argv[4]"));
      return { args: [SHELL, argv, BASE_ENV, undefined], reads: c.reads };
    },
    expect: spawns(["good-arg"]),
    reads: { "argv[4]": 1 },
  });
  cases.push({
    name: `an env value that turns into a string with a NUL after ${k} read(s)`,
    build: () => {
      const c = counter();
      const env: Record<string, unknown> = { HOSTILE_CASE: "1" };
      changingGetter(env, "SECRET", "visible", "visible\0SMUGGLED=1", k, () => c.hit("env.SECRET"));
      return { args: [SHELL, [...SHELL_ARGV], env, undefined], reads: c.reads };
    },
    expect: spawns([], ["HOSTILE_CASE=1", "SECRET=visible"]),
    reads: { "env.SECRET": 1 },
  });
  cases.push({
    name: `options.file_actions that changes to an OPEN of a path with a NUL after ${k} read(s)`,
    build: (dir) => {
      const c = counter();
      const options: Record<string, unknown> = {};
      changingGetter(
        options,
        "file_actions",
        [[POSIX_SPAWN_OPEN, 7, `${dir}/good`, O_WRONLY | O_CREAT, 0o600]],
        [[POSIX_SPAWN_OPEN, 7, `${dir}/cut\0-here`, O_WRONLY | O_CREAT, 0o600]],
        k,
        () => c.hit("options.file_actions"),
      );
      return { args: [SHELL, [...SHELL_ARGV], BASE_ENV, options], reads: c.reads };
    },
    expect: spawns([], undefined, { creates: ["good"], notCreated: ["cut"] }),
    reads: { "options.file_actions": 1 },
  });
  cases.push({
    name: `options.setpgroup that changes to 2**40 after ${k} read(s)`,
    build: () => {
      const c = counter();
      const options: Record<string, unknown> = {};
      changingGetter(options, "setpgroup", 0, 2 ** 40, k, () => c.hit("options.setpgroup"));
      return { args: [SHELL, [...SHELL_ARGV], BASE_ENV, options], reads: c.reads };
    },
    expect: spawns(),
    reads: { "options.setpgroup": 1 },
  });
  cases.push({
    name: `a CLOSE action's fd that turns into an object with valueOf after ${k} read(s)`,
    build: () => {
      const c = counter();
      const action: unknown[] = [POSIX_SPAWN_CLOSE, 0];
      const spy = { valueOf: () => (c.hit("valueOf"), 0) };
      changingGetter(action, 1, 9, spy, k, () => c.hit("action[1]"));
      return { args: [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: [action] }], reads: c.reads };
    },
    expect: spawns(),
    reads: { "action[1]": 1, valueOf: 0 },
  });
  cases.push({
    name: `an OPEN action's path that gains a NUL after ${k} read(s)`,
    build: (dir) => {
      const c = counter();
      const action: unknown[] = [POSIX_SPAWN_OPEN, 7, "", O_WRONLY | O_CREAT, 0o600];
      changingGetter(action, 2, `${dir}/opened`, `${dir}/op\0ened`, k, () => c.hit("action[2]"));
      return { args: [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: [action] }], reads: c.reads };
    },
    expect: spawns([], undefined, { creates: ["opened"], notCreated: ["op"] }),
    reads: { "action[2]": 1 },
  });
}

// A value that is bad on its first read is rejected, and nothing else is read twice.
cases.push({
  name: "an argv element that is an object on its first read",
  build: () => {
    const c = counter();
    const argv: unknown[] = [...SHELL_ARGV, "x"];
    changingGetter(argv, 4, "never", { toString: () => (c.hit("toString"), "evil") }, 0, () => c.hit("argv[4]"));
    return { args: [SHELL, argv, BASE_ENV, undefined], reads: c.reads };
  },
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "argv[4]"),
  reads: { "argv[4]": 1, toString: 0 },
});

// 5. env must be a plain object (or null/undefined for process.env).
const notPlain: [string, () => unknown][] = [
  ["a Map", () => new Map([["A", "1"]])],
  ["a Set", () => new Set(["A=1"])],
  ["a Date", () => new Date(0)],
  ["a RegExp", () => /A=1/],
  ["a Promise", () => Promise.resolve({ A: "1" })],
  ["a boxed String", () => new String("A=1")],
  ["an array of NAME=value strings", () => ["A=1"]],
  ["a class instance", () => new (class Env { A = "1"; })()],
];
for (const [label, make] of notPlain) {
  cases.push({
    name: `env given as ${label}`,
    build: () => ({ args: [SHELL, [...SHELL_ARGV], make(), undefined], reads: () => ({}) }),
    expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "env"),
  });
}
cases.push({
  name: "env as an object with a null prototype is accepted",
  build: () => ({ args: [SHELL, [...SHELL_ARGV], Object.assign(Object.create(null), { NULL_PROTO: "yes" }), undefined], reads: () => ({}) }),
  expect: spawns([], ["NULL_PROTO=yes"]),
});
cases.push({
  name: "a Proxy env: its keys listed once and each value read once",
  build: () => {
    const c = counter();
    const env = countingProxy({ A: "1", B: "2" } as Record<string, string>, c);
    return { args: [SHELL, [...SHELL_ARGV], env, undefined], reads: c.reads };
  },
  expect: spawns([], ["A=1", "B=2"]),
  reads: { ownKeys: 1, "get A": 1, "get B": 1 },
});
cases.push({
  name: "options as a Proxy: keys listed once, each option read once",
  build: () => {
    const c = counter();
    const options = countingProxy({ setpgroup: 0, setsigdef: [15] } as Record<string, unknown>, c);
    return { args: [SHELL, [...SHELL_ARGV], BASE_ENV, options], reads: c.reads };
  },
  expect: spawns(),
  reads: { ownKeys: 1, "get setpgroup": 1, "get setsigdef": 1 },
});
cases.push({
  name: "options given as a class instance",
  build: () => ({ args: [SHELL, [...SHELL_ARGV], BASE_ENV, new (class Options { setsid = true; })()], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "options"),
});

// 6. Boxed primitives are not primitives.
cases.push({
  name: "a boxed String as an argv element",
  build: () => ({ args: [SHELL, [...SHELL_ARGV, new String("x")], BASE_ENV, undefined], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "argv[4]"),
});
cases.push({
  name: "a boxed String as the path",
  build: () => ({ args: [new String(SHELL), [...SHELL_ARGV], BASE_ENV, undefined], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "path"),
});
cases.push({
  name: "a boxed Number as a CLOSE fd",
  build: () => ({ args: [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: [[POSIX_SPAWN_CLOSE, new Number(9)]] }], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "file_actions[0][1] (fd)"),
});
cases.push({
  name: "a boxed String as an env value",
  build: () => ({ args: [SHELL, [...SHELL_ARGV], { A: new String("1") }, undefined], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "env.A"),
});
cases.push({
  name: "a boxed Boolean as setsid",
  build: () => ({ args: [SHELL, [...SHELL_ARGV], BASE_ENV, { setsid: new Boolean(true) }], reads: () => ({}) }),
  expect: throws("TypeError", "ERR_INVALID_ARG_TYPE", "setsid"),
});

// 7. Lone surrogates have no UTF-8 form: rejected, not replaced.
for (const [label, args] of [
  ["an argv element", [SHELL, [...SHELL_ARGV, "a\uD800b"], BASE_ENV, undefined]],
  ["the path", ["/bin/s\uDC00h", [...SHELL_ARGV], BASE_ENV, undefined]],
  ["an env value", [SHELL, [...SHELL_ARGV], { A: "\uDFFF" }, undefined]],
  ["an env name", [SHELL, [...SHELL_ARGV], { "A\uD800": "1" }, undefined]],
  ["an OPEN path", [SHELL, [...SHELL_ARGV], BASE_ENV, { file_actions: [[POSIX_SPAWN_OPEN, 7, "/tmp/\uD83D", O_WRONLY, 0]] }]],
] as const) {
  cases.push({
    name: `a lone surrogate in ${label}`,
    build: () => ({ args: args as unknown as BuiltCase["args"], reads: () => ({}) }),
    expect: throws("TypeError", "ERR_INVALID_ARG_VALUE", label === "the path" ? "path" : label === "an argv element" ? "argv[4]" : label === "an OPEN path" ? "file_actions[0][2]" : "env"),
  });
}
cases.push({
  name: "a well-formed surrogate pair (an emoji) and other non-ASCII pass byte for byte",
  build: () => ({ args: [SHELL, [...SHELL_ARGV, "😀", "é", "日本"], { "ÉTÉ": "ça va 😀" }, undefined], reads: () => ({}) }),
  expect: spawns(["😀", "é", "日本"], ["ÉTÉ=ça va 😀"]),
});

/** Every case, by name. */
export const HOSTILE_CASES: readonly HostileCase[] = cases;
