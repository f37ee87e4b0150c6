/**
 * The W* status decoders against the real thing: every 16-bit status word and >100,000
 * random 32-bit words run through
 *   - glibc's and musl's <sys/wait.h> macros (a C program built with gcc and musl-gcc),
 *   - transcriptions of macOS's and FreeBSD's <sys/wait.h> (test/c/wait_macros_*.h),
 *   - CPython's os.waitstatus_to_exitcode (python3 on this machine),
 * compared with our rule tables and with the public functions of the running platform.
 * "The running platform" is the C library the library really loaded (libc.abi.libc, from
 * src/libc.ts): under the musl Bun (scripts/ci-musl.sh) the public functions must match
 * musl-gcc's macros, not the host's glibc.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as api from "../../src/index.ts";
import { darwinStatus } from "../../src/abi/darwin.ts";
import { freebsdStatus } from "../../src/abi/freebsd.ts";
import { glibcStatus, muslStatus } from "../../src/abi/linux.ts";
import type { StatusRules } from "../../src/abi/types.ts";
import { exitCodeWith } from "../../src/sys/status.ts";
import { libc as cLibrary } from "../../src/ffi/load.ts";
import { compileC } from "../helpers/compile.ts";
import { xorshift32 as unsignedXorshift32 } from "../helpers/random.ts";

const MACROS = [
  "WIFEXITED",
  "WEXITSTATUS",
  "WIFSIGNALED",
  "WTERMSIG",
  "WCOREDUMP",
  "WIFSTOPPED",
  "WSTOPSIG",
  "WIFCONTINUED",
] as const;
type Macro = (typeof MACROS)[number];
const PREDICATES = new Set<Macro>(["WIFEXITED", "WIFSIGNALED", "WCOREDUMP", "WIFSTOPPED", "WIFCONTINUED"]);

const RANDOM_WORDS = 120_000;
const RANDOM_HIGH_WORDS = 20_000;

/** Seeded signed int32 words: the same on every run. */
function xorshift32(seed: number): () => number {
  const next = unsignedXorshift32(seed);
  return () => next() | 0;
}

/**
 * All 65,536 low words, then the int32 extremes, then random words, then random high
 * halves over the low halves the platforms single out (stopped, continued, SIGCONT…).
 */
function makeWords(): Int32Array {
  const words: number[] = [];
  for (let w = 0; w <= 0xffff; w++) words.push(w);
  words.push(-0x80000000, 0x7fffffff, -1, -2, -256, -0x10000, 0x10000, 0x10700, 0x1137f, 0x1ffff, 0x10013, -0xff81);
  const next = xorshift32(0x9e3779b9);
  for (let i = 0; i < RANDOM_WORDS; i++) words.push(next());
  const lows = [0, 0x13, 0x7f, 0x80, 0xff, 0x137f, 0x117f, 0xffff, 0x0700, 0x8b, 0xff7f, 0x13ff];
  for (let i = 0; i < RANDOM_HIGH_WORDS; i++) {
    const low = lows[i % lows.length]!;
    words.push((next() & ~0xffff) | low);
  }
  return Int32Array.from(words);
}

const hex = (w: number) => `${w < 0 ? "-" : ""}0x${Math.abs(w).toString(16)} (${w})`;

/** Where `fns` disagrees with the C results; at most `limit` described. */
function compare(words: Int32Array, c: Int32Array, fns: StatusRules, limit = 8): { count: number; first: string[] } {
  let count = 0;
  const first: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    for (let m = 0; m < MACROS.length; m++) {
      const name = MACROS[m]!;
      const want = c[i * MACROS.length + m]!;
      const got: unknown = fns[name](w);
      const ok = PREDICATES.has(name)
        ? typeof got === "boolean" && Number(got) === want
        : typeof got === "number" && got === want;
      if (!ok) {
        count++;
        if (first.length < limit) first.push(`${name}(${hex(w)}): C ${want}, ours ${String(got)}`);
      }
    }
  }
  return { count, first };
}

/** The public W* functions of src/index.ts, as a rule object. */
const publicFns: StatusRules = {
  WIFEXITED: api.WIFEXITED,
  WEXITSTATUS: api.WEXITSTATUS,
  WIFSIGNALED: api.WIFSIGNALED,
  WTERMSIG: api.WTERMSIG,
  WCOREDUMP: api.WCOREDUMP,
  WIFSTOPPED: api.WIFSTOPPED,
  WSTOPSIG: api.WSTOPSIG,
  WIFCONTINUED: api.WIFCONTINUED,
};

/** The C library this process really runs on: the reference for the public functions. */
function runningLibc(): "glibc" | "musl" {
  const libc = cLibrary.abi.libc;
  if (libc !== "glibc" && libc !== "musl") throw new Error(`this file runs on Linux (glibc or musl), not ${String(libc)}`);
  return libc;
}

const here = join(import.meta.dir, "..");
const driver = join(here, "c", "wait_macros.c");
const cflags = ["-O2", "-Wall", "-Wextra", "-Werror"];

let dir: string;
let words: Int32Array;
let wordsFile: string;
const results = new Map<string, Int32Array>();

function runDriver(name: string, exe: string): Int32Array {
  const out = join(dir, `${name}.out`);
  const run = Bun.spawnSync([exe, wordsFile, out], { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`${name} driver failed: ${run.stderr.toString()}`);
  const bytes = readFileSync(out);
  const table = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (table.length !== words.length * MACROS.length) {
    throw new Error(`${name}: ${table.length / MACROS.length} rows for ${words.length} words`);
  }
  return table;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bun-wait4-macros-"));
  words = makeWords();
  wordsFile = join(dir, "words.bin");
  writeFileSync(wordsFile, new Uint8Array(words.buffer));
  const builds: Record<string, Parameters<typeof compileC>[0]> = {
    glibc: { sources: [driver], compiler: "gcc", flags: cflags },
    musl: { sources: [driver], compiler: "musl-gcc", flags: cflags },
    darwin: { sources: [driver], compiler: "gcc", flags: [...cflags, "-include", join(here, "c", "wait_macros_darwin.h")] },
    freebsd: {
      sources: [driver],
      compiler: "gcc",
      flags: [...cflags, "-include", join(here, "c", "wait_macros_freebsd.h")],
    },
  };
  for (const [name, build] of Object.entries(builds)) results.set(name, runDriver(name, compileC(build)));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const table = (name: string): Int32Array => {
  const t = results.get(name);
  if (t === undefined) throw new Error(`no C results for ${name}`);
  return t;
};

test("the word set covers every 16-bit word and >= 100,000 random 32-bit words, negatives included", () => {
  expect(words.length).toBe(65_536 + 12 + RANDOM_WORDS + RANDOM_HIGH_WORDS);
  expect(words.subarray(0, 65_536).every((w, i) => w === i)).toBe(true);
  const random = words.subarray(65_536 + 12, 65_536 + 12 + RANDOM_WORDS);
  expect(new Set(random).size).toBeGreaterThan(RANDOM_WORDS - 10);
  const negatives = random.filter((w) => w < 0).length;
  expect(negatives).toBeGreaterThan(RANDOM_WORDS * 0.45);
  expect(negatives).toBeLessThan(RANDOM_WORDS * 0.55);
  expect(words).toContain(-0x80000000);
  expect(words).toContain(0x7fffffff);
});

describe("rule tables equal the C macros bit for bit", () => {
  const cases: [string, string, StatusRules][] = [
    ["glibcStatus", "glibc (gcc, <sys/wait.h>)", glibcStatus],
    ["muslStatus", "musl (musl-gcc, <sys/wait.h>)", muslStatus],
    ["darwinStatus", "darwin (XNU bsd/sys/wait.h transcription)", darwinStatus],
    ["freebsdStatus", "freebsd (sys/sys/wait.h transcription)", freebsdStatus],
  ];
  for (const [rulesName, cName, rules] of cases) {
    test(`${rulesName} vs ${cName}`, () => {
      const { count, first } = compare(words, table(cName.split(" ")[0]!), rules);
      expect(count, `${count} mismatches, first:\n${first.join("\n")}`).toBe(0);
    });
  }

  test("the public W* functions vs the running platform's own macros (gcc or musl-gcc)", () => {
    const { count, first } = compare(words, table(runningLibc()), publicFns);
    expect(count, `${count} mismatches, first:\n${first.join("\n")}`).toBe(0);
  });

  test("the four platforms really disagree (the comparison can tell them apart)", () => {
    const names = ["glibc", "musl", "darwin", "freebsd"];
    for (const a of names) {
      for (const b of names) {
        if (a === b) continue;
        const ta = table(a);
        const tb = table(b);
        let differ = 0;
        for (let i = 0; i < ta.length; i++) if (ta[i] !== tb[i]) differ++;
        expect(differ, `${a} vs ${b}`).toBeGreaterThan(0);
      }
    }
  });
});

describe("decodeStatus agrees with the running platform's macros", () => {
  test("each word that exactly one macro claims decodes to that state; others throw", () => {
    const c = table(runningLibc());
    const at = (i: number, m: Macro) => c[i * MACROS.length + MACROS.indexOf(m)]!;
    let count = 0;
    const first: string[] = [];
    const fail = (w: number, why: string) => {
      count++;
      if (first.length < 8) first.push(`${hex(w)}: ${why}`);
    };
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const claims = (["WIFEXITED", "WIFSIGNALED", "WIFSTOPPED", "WIFCONTINUED"] as const).filter((m) => at(i, m));
      let state: api.ProcessState | undefined;
      let error: unknown;
      try {
        state = api.decodeStatus(w);
      } catch (e) {
        error = e;
      }
      if (claims.length === 0) {
        const code = (error as { code?: unknown } | undefined)?.code;
        if (!(error instanceof RangeError) || code !== "ERR_INVALID_ARG_VALUE") fail(w, `expected a throw, got ${JSON.stringify(state)}`);
        continue;
      }
      if (claims.length > 1) continue; // no such word on glibc; musl has some (0x80)
      if (state === undefined) {
        fail(w, `threw ${String(error)} but C says ${claims[0]}`);
        continue;
      }
      const want =
        claims[0] === "WIFEXITED"
          ? { kind: "exited", code: at(i, "WEXITSTATUS") }
          : claims[0] === "WIFSIGNALED"
            ? {
                kind: "signaled",
                signal: at(i, "WTERMSIG"),
                signalName: api.signalName(at(i, "WTERMSIG")),
                coreDumped: at(i, "WCOREDUMP") === 1,
              }
            : claims[0] === "WIFSTOPPED"
              ? { kind: "stopped", signal: at(i, "WSTOPSIG"), signalName: api.signalName(at(i, "WSTOPSIG")) }
              : { kind: "continued" };
      if (!Bun.deepEquals(state, want, true)) fail(w, `ours ${JSON.stringify(state)}, C ${JSON.stringify(want)}`);
    }
    expect(count, `${count} mismatches, first:\n${first.join("\n")}`).toBe(0);
  });
});

/**
 * Vectors written from what the headers say, so a reader sees where the platforms part:
 * each is checked against our rules and against the C build of that platform.
 */
type Vector = { word: number; expect: Partial<Record<Macro, boolean | number>>; why: string };
const vectors: Record<"glibc" | "musl" | "darwin" | "freebsd", Vector[]> = {
  glibc: [
    { word: 0x0700, expect: { WIFEXITED: true, WEXITSTATUS: 7, WIFSIGNALED: false }, why: "exit(7)" },
    { word: 0x000f, expect: { WIFSIGNALED: true, WTERMSIG: 15, WCOREDUMP: false }, why: "killed by SIGTERM" },
    { word: 0x0086, expect: { WIFSIGNALED: true, WTERMSIG: 6, WCOREDUMP: true }, why: "SIGABRT, core dumped" },
    { word: 0x137f, expect: { WIFSTOPPED: true, WSTOPSIG: 19, WIFCONTINUED: false }, why: "stopped by SIGSTOP (19)" },
    {
      word: 0xffff,
      expect: { WIFCONTINUED: true, WIFSTOPPED: false, WIFEXITED: false, WIFSIGNALED: false },
      why: "continued (__W_CONTINUED)",
    },
    { word: 0x10700, expect: { WIFEXITED: true, WEXITSTATUS: 7 }, why: "high bits masked off" },
    { word: 0x7f, expect: { WIFSTOPPED: true, WSTOPSIG: 0, WIFSIGNALED: false }, why: "malformed: glibc says stopped" },
    { word: 0x80, expect: { WIFEXITED: true, WIFSIGNALED: false }, why: "malformed: exited only" },
    { word: 0xff, expect: { WIFEXITED: false, WIFSIGNALED: false, WIFSTOPPED: false, WIFCONTINUED: false }, why: "malformed: nothing" },
  ],
  musl: [
    { word: 0x137f, expect: { WIFSTOPPED: true, WSTOPSIG: 19, WIFCONTINUED: false }, why: "stopped by SIGSTOP (19)" },
    { word: 0xffff, expect: { WIFCONTINUED: true, WIFSTOPPED: false }, why: "continued" },
    { word: 0x7f, expect: { WIFSTOPPED: false, WIFSIGNALED: true, WTERMSIG: 127 }, why: "malformed: musl says signaled" },
    { word: 0x80, expect: { WIFEXITED: true, WIFSIGNALED: true }, why: "malformed: musl says both" },
    { word: 0xff, expect: { WIFSIGNALED: true, WTERMSIG: 127 }, why: "malformed: musl says signaled" },
  ],
  darwin: [
    { word: 0x0700, expect: { WIFEXITED: true, WEXITSTATUS: 7 }, why: "exit(7)" },
    { word: 0x137f, expect: { WIFCONTINUED: true, WIFSTOPPED: false }, why: "0x13 = SIGCONT in the stop byte: continued" },
    { word: 0x117f, expect: { WIFSTOPPED: true, WSTOPSIG: 17 }, why: "stopped by SIGSTOP (17 on macOS)" },
    { word: 0xffff, expect: { WIFSTOPPED: true, WSTOPSIG: 255, WIFCONTINUED: false }, why: "stopped, signal 255" },
    { word: 0x13, expect: { WIFSIGNALED: true, WTERMSIG: 19, WIFCONTINUED: false }, why: "signaled by 19" },
    { word: 0x10700, expect: { WIFEXITED: true, WEXITSTATUS: 7 }, why: "WEXITSTATUS masks to 8 bits" },
    { word: 0x1137f, expect: { WIFSTOPPED: true, WSTOPSIG: 0x113 }, why: "WSTOPSIG is unmasked" },
    { word: -256, expect: { WIFEXITED: true, WEXITSTATUS: 255 }, why: "WEXITSTATUS masks to 8 bits" },
  ],
  freebsd: [
    { word: 0x13, expect: { WIFCONTINUED: true, WIFSIGNALED: false }, why: "continued is the bare word 0x13" },
    { word: 0x10013, expect: { WIFCONTINUED: false, WIFSIGNALED: true, WTERMSIG: 19 }, why: "only exactly 0x13 continues" },
    { word: 0x117f, expect: { WIFSTOPPED: true, WSTOPSIG: 17 }, why: "stopped by SIGSTOP (17)" },
    { word: 0x137f, expect: { WIFSTOPPED: true, WSTOPSIG: 19, WIFCONTINUED: false }, why: "stopped by SIGCONT's number" },
    { word: 0xffff, expect: { WIFSTOPPED: true, WSTOPSIG: 255 }, why: "stopped, signal 255" },
    { word: 0x10700, expect: { WIFEXITED: true, WEXITSTATUS: 0x107 }, why: "WEXITSTATUS is unmasked" },
    { word: -256, expect: { WIFEXITED: true, WEXITSTATUS: -1 }, why: "WEXITSTATUS is an arithmetic shift" },
  ],
};
const rulesOf = { glibc: glibcStatus, musl: muslStatus, darwin: darwinStatus, freebsd: freebsdStatus };

describe("hand-picked vectors from the headers", () => {
  for (const [platform, list] of Object.entries(vectors) as [keyof typeof vectors, Vector[]][]) {
    for (const v of list) {
      test(`${platform} ${hex(v.word)}: ${v.why}`, () => {
        const index = words.indexOf(v.word);
        expect(index).toBeGreaterThanOrEqual(0);
        const c = table(platform);
        for (const [name, want] of Object.entries(v.expect) as [Macro, boolean | number][]) {
          expect(rulesOf[platform][name](v.word), `ours ${name}`).toBe(want);
          const cValue = c[index * MACROS.length + MACROS.indexOf(name)];
          expect(cValue, `C ${name}`).toBe(typeof want === "boolean" ? Number(want) : want);
        }
      });
    }
  }
});

describe("waitstatus_to_exitcode matches CPython's os.waitstatus_to_exitcode", () => {
  type PyResult = { words: (number | string)[] };
  let py: PyResult;

  const script = `
import array, json, os, sys
words = array.array("i")
with open(sys.argv[1], "rb") as f:
    words.frombytes(f.read())
out = []
for w in words:
    try:
        out.append(os.waitstatus_to_exitcode(w))
    except ValueError as e:
        out.append(str(e))
json.dump({"words": out}, sys.stdout)
`;

  beforeAll(() => {
    const run = Bun.spawnSync(["python3", "-c", script, wordsFile], { stdout: "pipe", stderr: "pipe" });
    if (run.exitCode !== 0) throw new Error(`python3 failed: ${run.stderr.toString()}`);
    py = JSON.parse(run.stdout.toString()) as PyResult;
  });

  const ours = (fn: (status: number) => number, w: number): number | string => {
    try {
      return fn(w);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (e instanceof RangeError && code === "ERR_INVALID_ARG_VALUE") return e.message;
      return `unexpected ${String(e)} (${String(code)})`;
    }
  };

  const check = (fn: (status: number) => number) => {
    expect(py.words.length).toBe(words.length);
    let count = 0;
    const first: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const got = ours(fn, w);
      if (got !== py.words[i]) {
        count++;
        if (first.length < 8) first.push(`${hex(w)}: CPython ${JSON.stringify(py.words[i])}, ours ${JSON.stringify(got)}`);
      }
    }
    expect(count, `${count} mismatches, first:\n${first.join("\n")}`).toBe(0);
  };

  test("CPython's answers include every outcome (exit codes, -signals, each ValueError text)", () => {
    const kinds = new Set(
      py.words.map((r) => (typeof r === "number" ? (r < 0 ? "signal" : "exit") : r.replace(/-?\d+$/, "N"))),
    );
    expect([...kinds].sort()).toEqual(
      ["exit", "signal", "invalid wait status: N", "process stopped by delivery of signal N"].sort(),
    );
  });

  /**
   * CPython's os_waitstatus_to_exitcode_impl (Modules/posixmodule.c), transcribed, over the
   * macro results of C library `libc` compiled above: the value, or the ValueError text.
   */
  const cpythonOver = (libc: "glibc" | "musl", i: number): number | string => {
    const c = table(libc);
    const at = (m: Macro) => c[i * MACROS.length + MACROS.indexOf(m)]!;
    if (at("WIFEXITED")) {
      const code = at("WEXITSTATUS");
      return code < 0 ? `invalid WEXITSTATUS: ${code}` : code;
    }
    if (at("WIFSIGNALED")) {
      const signum = at("WTERMSIG");
      return signum <= 0 ? `invalid WTERMSIG: ${signum}` : -signum;
    }
    if (at("WIFSTOPPED")) return `process stopped by delivery of signal ${at("WSTOPSIG")}`;
    return `invalid wait status: ${words[i]}`;
  };

  test("the transcription of CPython's algorithm over glibc's macros reproduces CPython exactly", () => {
    // python3 here is built on glibc: this proves cpythonOver() is CPython's algorithm, so
    // over musl's macros it says what a musl-built CPython would.
    let count = 0;
    for (let i = 0; i < words.length; i++) if (cpythonOver("glibc", i) !== py.words[i]) count++;
    expect(count).toBe(0);
  });

  test("public waitstatus_to_exitcode: same value or same ValueError text on every word", () => {
    // On glibc: CPython (glibc-built) itself on every word. On musl: CPython itself on every
    // word where glibc's and musl's macros agree, and CPython's algorithm over musl's own
    // compiled macros on the words where they disagree (0x7f, 0xff, 0x101…).
    const libc = runningLibc();
    if (libc === "glibc") {
      check(api.waitstatus_to_exitcode);
      return;
    }
    const g = table("glibc");
    const m = table("musl");
    let differing = 0;
    let count = 0;
    const first: string[] = [];
    for (let i = 0; i < words.length; i++) {
      let agree = true;
      for (let k = 0; k < MACROS.length; k++) if (g[i * MACROS.length + k] !== m[i * MACROS.length + k]) agree = false;
      if (!agree) differing++;
      const want = agree ? py.words[i] : cpythonOver("musl", i);
      const got = ours(api.waitstatus_to_exitcode, words[i]!);
      if (got !== want) {
        count++;
        if (first.length < 8) first.push(`${hex(words[i]!)}: ${agree ? "CPython" : "CPython's rule over musl"} ${JSON.stringify(want)}, ours ${JSON.stringify(got)}`);
      }
    }
    expect(differing).toBeGreaterThan(0);
    expect(count, `${count} mismatches, first:\n${first.join("\n")}`).toBe(0);
  });

  test("exitCodeWith(glibcStatus) likewise", () => {
    check((w) => exitCodeWith(glibcStatus, w));
  });
});
