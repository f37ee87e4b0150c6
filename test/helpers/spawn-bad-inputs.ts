/**
 * The arguments test/spawn/parity/bad-input.test.ts gives to spawn, spawnSync and kill(): every
 * wrong type, range and value of cmd, the options and the stdio entries that Bun 1.4.5 refuses,
 * found by trying those Bun's own tests and bun-types suggest. No expected error is written
 * here: the test observes what Bun's own functions throw for each, in the same run, and holds
 * every implementation to that. The values Bun accepts (maxBuffer: -1, detached: "yes", …) and
 * those it refuses only through a coercion of its own (cwd: 42 → ENOENT) are listed in
 * docs/SPAWN-PARITY.md instead: no implementation has to copy them.
 */
import type { SpawnImplementation } from "./spawn-implementations.ts";

/** One call with a bad (or doubtful) argument. */
export interface BadInput {
  /** Names the call in the test title. */
  readonly label: string;
  /** Makes the call; any Subprocess it starts is handed to `track` so the test can end it. */
  readonly call: (implementation: SpawnImplementation, track: (child: unknown) => void) => unknown;
}

const CMD = ["true"];
/** The three streams ignored, each by its own key, so that any one of them can be replaced. */
const QUIET = { stdin: "ignore", stdout: "ignore", stderr: "ignore" };

type Spawn = (...args: unknown[]) => unknown;
const spawnOf = (implementation: SpawnImplementation) => implementation.spawn as unknown as Spawn;
const spawnSyncOf = (implementation: SpawnImplementation) => implementation.spawnSync as unknown as Spawn;

/**
 * `spawn(...args())` and `spawnSync(...args())`, as two rows. The arguments are made anew for
 * every call: a stream or a Response that one implementation consumed must not reach the next.
 */
function both(label: string, args: () => unknown[]): BadInput[] {
  return [
    { label: `spawn(${label})`, call: (implementation, track) => track(spawnOf(implementation)(...args())) },
    { label: `spawnSync(${label})`, call: (implementation) => spawnSyncOf(implementation)(...args()) },
  ];
}

/** An option `key` set to each value `make()` returns, with spawn and spawnSync of `true`. */
function option(key: string, values: [label: string, make: () => unknown][]): BadInput[] {
  // stdio would override the three keys, so it comes alone.
  const base = key === "stdio" ? {} : QUIET;
  return values.flatMap(([label, make]) => both(`{ ${key}: ${label} }`, () => [CMD, { ...base, [key]: make() }]));
}

/** `kill(value)` on a live child. */
function kill(label: string, value: unknown): BadInput {
  return {
    label: `subprocess.kill(${label})`,
    call: (implementation, track) => {
      const child = implementation.spawn(["sleep", "1000"], { stdio: ["ignore", "ignore", "ignore"] });
      track(child);
      (child.kill as (signal: unknown) => void)(value);
    },
  };
}

const spoofedLength = () => {
  const cmd = ["echo", "hello"];
  Object.defineProperty(cmd, "length", { value: 4294967295 });
  return cmd;
};
const pullStream = () => new ReadableStream({ pull: (c) => (c.enqueue(new Uint8Array([1])), c.close()) });

/** Every bad input of the table, in the order the test runs them. */
export const BAD_INPUTS: readonly BadInput[] = [
  // cmd
  ...both("no arguments", () => []),
  ...both("undefined", () => [undefined]),
  ...both("null", () => [null]),
  ...both("42", () => [42]),
  ...both('"true" (a string)', () => ["true"]),
  ...both("{} (no cmd)", () => [{}]),
  ...both("{ cmd: 42 }", () => [{ cmd: 42 }]),
  ...both("[] (empty)", () => [[]]),
  ...both("{ cmd: [] }", () => [{ cmd: [] }]),
  ...both('[""] (empty program name)', () => [[""]]),
  ...both('["echo\\0evil"]', () => [["echo\0evil"]]),
  ...both('["echo", "x.html\\0.txt"]', () => [["echo", "x.html\0.txt"]]),
  ...both("an array whose length says 2**32 - 1", () => [spoofedLength()]),
  // cwd (Bun coerces a number, object or boolean to a path and fails with ENOENT: not held)
  ...option("cwd", [['"/tmp\\0/etc"', () => "/tmp\0/etc"]]),
  // env (a Symbol value fails in Bun's string conversion, without a code: not held)
  ...option("env", [
    ["42", () => 42],
    ['"A=1"', () => "A=1"],
    ['{ "MY\\0VAR": "value" }', () => ({ "MY\0VAR": "value" })],
    ['{ MY_VAR: "val\\0ue" }', () => ({ MY_VAR: "val\0ue" })],
  ]),
  // stdin, stdout, stderr
  ...(["stdin", "stdout", "stderr"] as const).flatMap((key) =>
    option(key, [
      ['"bogus"', () => "bogus"],
      ['"buffer"', () => "buffer"],
      ['"text"', () => "text"],
      ['"pty"', () => "pty"],
      ['"socket-fd"', () => "socket-fd"],
      ["-1", () => -1],
      ["2**31", () => 2 ** 31],
      ["true", () => true],
      ["{}", () => ({})],
      ['["pipe"]', () => ["pipe"]],
      ["a symbol", () => Symbol("io")],
    ]),
  ),
  ...option("stdin", [["1.5", () => 1.5]]),
  ...(["stdout", "stderr"] as const).flatMap((key) =>
    option(key, [
      ["NaN", () => Number.NaN],
      ["new Uint8Array(8)", () => new Uint8Array(8)],
      ["new ArrayBuffer(8)", () => new ArrayBuffer(8)],
      ['new Blob(["x"])', () => new Blob(["x"])],
      ['new Response("x")', () => new Response("x")],
    ]),
  ),
  // A ReadableStream cannot be any stream of spawnSync (spawn takes one as stdin only).
  ...(["stdin", "stdout", "stderr"] as const).map(
    (key): BadInput => ({
      label: `spawnSync({ ${key}: a ReadableStream })`,
      call: (implementation) => spawnSyncOf(implementation)(CMD, { ...QUIET, [key]: pullStream() }),
    }),
  ),
  // stdio
  ...option("stdio", [
    ['"pipe"', () => "pipe"],
    ["42", () => 42],
    ["{}", () => ({})],
    ['["bogus"]', () => ["bogus"]],
    ['[…, new Blob(["x"])] (at 3)', () => ["ignore", "ignore", "ignore", new Blob(["from-blob"])]],
    ['[…, new Response("x")]', () => ["ignore", "ignore", "ignore", new Response("from-response")]],
    ["[…, new Request(…)]", () => ["ignore", "ignore", "ignore", new Request("http://x", { method: "POST", body: "r" })]],
    ["[…, a ReadableStream]", () => ["ignore", "ignore", "ignore", pullStream()]],
    ["[…, new Response(a ReadableStream)]", () => ["ignore", "ignore", "ignore", new Response(pullStream())]],
    [
      "[…, new Request(a ReadableStream)]",
      () => ["ignore", "ignore", "ignore", new Request("http://x", { method: "POST", body: pullStream() })],
    ],
    ['["socket-fd", "pipe", "pipe"]', () => ["socket-fd", "pipe", "pipe"]],
    ["[…, -1]", () => ["ignore", "ignore", "ignore", -1]],
  ]),
  {
    label: 'spawnSync({ stdio: […, "socket-fd"] })',
    call: (implementation) => spawnSyncOf(implementation)(CMD, { stdio: ["ignore", "ignore", "ignore", "socket-fd"] }),
  },
  // timeout, killSignal
  ...option("timeout", [
    ["-1", () => -1],
    ["NaN", () => Number.NaN],
    ["-Infinity", () => Number.NEGATIVE_INFINITY],
    ["2**53", () => 2 ** 53],
    ["1.5", () => 1.5],
    ['"100"', () => "100"],
    ["{}", () => ({})],
    ["true", () => true],
  ]),
  ...option("killSignal", [
    ["0", () => 0],
    ["-1", () => -1],
    ["1.5", () => 1.5],
    ["999", () => 999],
    ['"SIGGOD"', () => "SIGGOD"],
    ['"sigterm"', () => "sigterm"],
    ["{}", () => ({})],
    ["true", () => true],
  ]),
  // signal, onExit, argv0
  ...option("signal", [
    ["123", () => 123],
    ['"abort"', () => "abort"],
    ["{}", () => ({})],
    ["true", () => true],
  ]),
  ...option("onExit", [
    ["123", () => 123],
    ['"callback"', () => "callback"],
    ["{}", () => ({})],
  ]),
  ...option("argv0", [['"AAA\\0BBB"', () => "AAA\0BBB"]]),
  // kill()
  kill('"SIGGOD"', "SIGGOD"),
  kill('"sigterm"', "sigterm"),
  kill("{}", {}),
  kill("a function", () => {}),
  kill("Infinity", Number.POSITIVE_INFINITY),
  kill("-Infinity", Number.NEGATIVE_INFINITY),
  kill("a symbol", Symbol("what")),
  kill('new String("SIGKILL")', new String("SIGKILL")),
  kill("String.prototype", String.prototype),
  kill("1.5", 1.5),
  kill("-1", -1),
  kill("999", 999),
  kill("true", true),
];
