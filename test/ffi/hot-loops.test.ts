/**
 * Hot paths past JIT tier-up (docs/DESIGN.md §5.1): a pointer cached from a small fresh typed array
 * goes stale once JSC's optimizing JIT compiles the caller, and C then writes into freed
 * memory (seen: 361 of 500 children lost). Every loop here runs well past 100,000 calls of
 * the function under test and checks every result against something real: a live child,
 * Bun's own process.resourceUsage() (getrusage(2) underneath), and CPython's os module
 * (the platform's C macros) through an independent JS transcription of the C header macros.
 *
 * Children are made with posix_spawnp and waited on by pid only; the one check that needs
 * waitpid(-1) runs in a separate bun process (fixtures/hot-spawn-reap.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getrusage,
  posix_spawnp,
  RUSAGE_CHILDREN,
  RUSAGE_FIELDS,
  RUSAGE_SELF,
  WCOREDUMP,
  WEXITSTATUS,
  WIFCONTINUED,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WSTOPSIG,
  WTERMSIG,
  waitid,
  waitpid,
  waitstatus_to_exitcode,
  wait4,
  P_PID,
  WEXITED,
  WNOHANG,
} from "../../src/index.ts";
import { libc } from "../../src/ffi/load.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { killAndReap } from "../helpers/live.ts";
import { compileC } from "../helpers/compile.ts";

const fixtures = join(import.meta.dir, "..", "fixtures");
/** Per-test limit: these loops are heavy by design; a slow CI machine needs room. */
const SLOW = 30_000;

describe("wait4(pid, WNOHANG) on a live child, 200,000 times", () => {
  test("every call reports nothing, then the real reap after SIGKILL is right", () => {
    const N = 200_000;
    const pid = posix_spawnp("sleep", ["sleep", "30"]);
    try {
      const bad: unknown[] = [];
      let badCount = 0;
      for (let i = 0; i < N; i++) {
        const r = wait4(pid, WNOHANG);
        let ok = r.length === 3 && r[0] === 0 && r[1] === 0 && Object.keys(r[2]).length === 16;
        for (const field of RUSAGE_FIELDS) if (r[2][field] !== 0) ok = false;
        if (!ok) {
          badCount++;
          if (bad.length < 5) bad.push({ i, r });
        }
      }
      expect(bad).toEqual([]);
      expect(badCount).toBe(0);

      process.kill(pid, "SIGKILL");
      const [got, status, usage] = wait4(pid, 0);
      expect(got).toBe(pid);
      // glibc and musl: the terminating signal is the low 7 bits; 0x7f would mean stopped.
      expect(status & 0x7f).toBe(9);
      expect(status & ~0xff).toBe(0);
      expect(usage.ru_maxrss).toBeGreaterThan(0);
      expect(usage.ru_utime).toBeGreaterThanOrEqual(0);
      expect(usage.ru_stime).toBeGreaterThanOrEqual(0);
      // RUSAGE_CHILDREN's maxrss is the largest of all reaped children, this one included.
      expect(getrusage(RUSAGE_CHILDREN).ru_maxrss).toBeGreaterThanOrEqual(usage.ru_maxrss);
      expect(() => wait4(pid, WNOHANG)).toThrow(expect.objectContaining({ code: "ECHILD" }));
    } finally {
      killAndReap(pid);
    }
  }, SLOW);
});

describe("getrusage(RUSAGE_SELF), 200,000 times", () => {
  test("every result lies between Bun's process.resourceUsage() taken just before and after", () => {
    const N = 200_000;
    // [our field, Bun's field, scale to Bun's unit]; Bun reports times in microseconds.
    const pairs = [
      ["ru_utime", "userCPUTime", 1e6],
      ["ru_stime", "systemCPUTime", 1e6],
      ["ru_maxrss", "maxRSS", 1],
      ["ru_minflt", "minorPageFault", 1],
      ["ru_majflt", "majorPageFault", 1],
      ["ru_inblock", "fsRead", 1],
      ["ru_oublock", "fsWrite", 1],
      ["ru_nvcsw", "voluntaryContextSwitches", 1],
      ["ru_nivcsw", "involuntaryContextSwitches", 1],
    ] as const;
    const bad: unknown[] = [];
    let badCount = 0;
    let previous = getrusage(RUSAGE_SELF);
    const first = previous;
    for (let i = 0; i < N; i++) {
      const before = process.resourceUsage();
      const r = getrusage(RUSAGE_SELF);
      const after = process.resourceUsage();
      let ok =
        r.ru_maxrss > 0 &&
        r.ru_utime >= previous.ru_utime &&
        r.ru_stime >= previous.ru_stime &&
        r.ru_minflt >= previous.ru_minflt &&
        r.ru_maxrss >= previous.ru_maxrss;
      for (const [ours, buns, scale] of pairs) {
        const value = Math.round(r[ours] * scale);
        if (value < before[buns] || value > after[buns]) ok = false;
      }
      if (!ok) {
        badCount++;
        if (bad.length < 5) bad.push({ i, before, r, after });
      }
      previous = r;
    }
    expect(bad).toEqual([]);
    expect(badCount).toBe(0);
    // 600,000 getrusage calls cost CPU time: the values really moved.
    expect(previous.ru_utime + previous.ru_stime).toBeGreaterThan(first.ru_utime + first.ru_stime);
  }, SLOW);
});

/**
 * The C library the library really loaded (src/libc.ts). (Looking for "ld-musl" in
 * /proc/self/maps does not work: Debian's loader is a symlink, and maps shows its target,
 * /usr/lib/x86_64-linux-musl/libc.so.)
 */
const isMusl = libc.abi.libc === "musl";

interface Macros {
  WIFEXITED(s: number): boolean;
  WEXITSTATUS(s: number): number;
  WIFSIGNALED(s: number): boolean;
  WTERMSIG(s: number): number;
  WCOREDUMP(s: number): boolean;
  WIFSTOPPED(s: number): boolean;
  WSTOPSIG(s: number): number;
  WIFCONTINUED(s: number): boolean;
}

/** C's `(signed char) x`. */
const toSignedChar = (x: number): number => {
  const b = x & 0xff;
  return b > 127 ? b - 256 : b;
};

/** glibc bits/waitstatus.h, transcribed. */
const glibcMacros: Macros = {
  WIFEXITED: (s) => (s & 0x7f) === 0, // __WTERMSIG(status) == 0
  WEXITSTATUS: (s) => (s & 0xff00) >> 8, // ((status) & 0xff00) >> 8
  WIFSIGNALED: (s) => toSignedChar((s & 0x7f) + 1) >> 1 > 0, // ((signed char) (((status) & 0x7f) + 1) >> 1) > 0
  WTERMSIG: (s) => s & 0x7f, // (status) & 0x7f
  WCOREDUMP: (s) => (s & 0x80) !== 0, // (status) & __WCOREFLAG, 0x80
  WIFSTOPPED: (s) => (s & 0xff) === 0x7f, // ((status) & 0xff) == 0x7f
  WSTOPSIG: (s) => (s & 0xff00) >> 8, // __WEXITSTATUS(status)
  WIFCONTINUED: (s) => s === 0xffff, // (status) == __W_CONTINUED, 0xffff
};

/** musl include/sys/wait.h, transcribed. */
const muslMacros: Macros = {
  ...glibcMacros,
  // ((s)&0xffff)-1U < 0xffu
  WIFSIGNALED: (s) => (s & 0xffff) >= 1 && (s & 0xffff) <= 0xff,
  // (short)((((s)&0xffff)*0x10001U)>>8) > 0x7f00: the low 16 bits of that are the two
  // bytes of s swapped, so it holds when the low byte is 0x7f and the next byte is not 0.
  WIFSTOPPED: (s) => {
    const swapped = ((s & 0xff) << 8) | ((s >> 8) & 0xff);
    return (swapped > 0x7fff ? swapped - 0x10000 : swapped) > 0x7f00;
  },
};

/** The running C library's transcription: what the library's answers are checked against. */
const C: Macros = isMusl ? muslMacros : glibcMacros;

/** CPython's os.waitstatus_to_exitcode (Modules/posixmodule.c) over macros `C`: the code, or its ValueError text. */
function referenceExitcode(C: Macros, s: number): number | string {
  if (C.WIFEXITED(s)) {
    const code = C.WEXITSTATUS(s);
    return code < 0 ? `invalid WEXITSTATUS: ${code}` : code;
  }
  if (C.WIFSIGNALED(s)) {
    const signum = C.WTERMSIG(s);
    return signum <= 0 ? `invalid WTERMSIG: ${signum}` : -signum;
  }
  if (C.WIFSTOPPED(s)) return `process stopped by delivery of signal ${C.WSTOPSIG(s)}`;
  return `invalid wait status: ${s}`;
}

/** One word's answers: each W* function's, and waitstatus_to_exitcode's code or its ValueError text. */
type Answer = { [M in keyof Macros]: ReturnType<Macros[M]> } & { exitcode: number | string };

/** The W* macros in the order the references (hot-cpython-status.py, c/wait_macros.c) print them. */
const MACROS = ["WIFEXITED", "WEXITSTATUS", "WIFSIGNALED", "WTERMSIG", "WCOREDUMP", "WIFSTOPPED", "WSTOPSIG", "WIFCONTINUED"] as const;
const FIELDS = [...MACROS, "exitcode"] as const;

function answerWith(C: Macros, s: number): Answer {
  return {
    WIFEXITED: C.WIFEXITED(s), WEXITSTATUS: C.WEXITSTATUS(s), WIFSIGNALED: C.WIFSIGNALED(s), WTERMSIG: C.WTERMSIG(s),
    WCOREDUMP: C.WCOREDUMP(s), WIFSTOPPED: C.WIFSTOPPED(s), WSTOPSIG: C.WSTOPSIG(s), WIFCONTINUED: C.WIFCONTINUED(s),
    exitcode: referenceExitcode(C, s),
  };
}

/** CPython's row for one word (hot-cpython-status.py: the macros in MACROS order, then the code) as an Answer. */
const fromRow = (row: unknown[]): Answer => Object.fromEntries(FIELDS.map((k, i) => [k, row[i]])) as Answer;
const differ = (a: Answer, b: Answer): boolean => FIELDS.some((k) => a[k] !== b[k]);

function referenceAnswer(s: number): Answer {
  return answerWith(C, s);
}

/** 200,000 C int words: every low 16-bit word, then edge cases and pseudo-random 32-bit words. */
function statusWords(): number[] {
  const words: number[] = [];
  for (let w = 0; w < 0x10000; w++) words.push(w);
  words.push(-1, -0x80000000, 0x7fffffff, 0x10000, 0x1ffff, 0x1007f, 0x10080, -0x100, -0x81, -0x7f);
  let x = 0x9e3779b9;
  while (words.length < 200_000) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words.push(x | 0);
  }
  return words;
}

describe("W* functions and waitstatus_to_exitcode, 200,000 words each", () => {
  const words = statusWords();

  test("the JS transcription of glibc's macros agrees with CPython's os module on every word", () => {
    // python3 on the host is built on glibc, so it checks the glibc transcription (whatever
    // the C library of this Bun); the musl one is checked against musl-gcc below.
    const C = glibcMacros;
    const referenceAnswer = (s: number) => answerWith(C, s);
    const py = Bun.spawnSync(["python3", join(fixtures, "hot-cpython-status.py")], {
      stdin: new TextEncoder().encode(JSON.stringify(words)),
      stdout: "pipe",
      stderr: "pipe",
    });
    if (py.exitCode !== 0) throw new Error(`python3 failed: ${py.stderr.toString()}`);
    const cpython = (JSON.parse(py.stdout.toString()) as unknown[][]).map(fromRow);
    expect(cpython.length).toBe(words.length);
    const bad: unknown[] = [];
    for (let i = 0; i < words.length; i++) {
      const mine = referenceAnswer(words[i]!);
      if (differ(mine, cpython[i]!) && bad.length < 5) {
        bad.push({ word: words[i], mine, cpython: cpython[i] });
      }
    }
    expect(bad).toEqual([]);
  }, SLOW);

  test("the JS transcription of musl's macros agrees with musl's <sys/wait.h> (musl-gcc) on every word", () => {
    const exe = compileC({
      sources: [join(import.meta.dir, "..", "c", "wait_macros.c")],
      compiler: "musl-gcc",
      flags: ["-O2", "-Wall", "-Wextra", "-Werror"],
    });
    const tmp = mkdtempSync(join(tmpdir(), "bun-wait4-hot-musl-"));
    try {
      writeFileSync(join(tmp, "in"), new Uint8Array(Int32Array.from(words).buffer));
      const run = Bun.spawnSync([exe, join(tmp, "in"), join(tmp, "out")], { stdout: "pipe", stderr: "pipe" });
      if (run.exitCode !== 0) throw new Error(`musl driver failed: ${run.stderr.toString()}`);
      const bytes = readFileSync(join(tmp, "out"));
      const c = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      expect(c.length).toBe(words.length * 8);
      const bad: unknown[] = [];
      for (let i = 0; i < words.length; i++) {
        const answer = answerWith(muslMacros, words[i]!);
        const mine = MACROS.map((k) => Number(answer[k]));
        const theirs = Array.from(c.subarray(i * 8, i * 8 + 8));
        if (mine.some((v, k) => v !== theirs[k]) && bad.length < 5) bad.push({ word: words[i], mine, musl: theirs });
      }
      expect(bad).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, SLOW);

  test("the library's answers equal the running C library's transcription, hot", () => {
    const bad: unknown[] = [];
    let badCount = 0;
    let calls = 0;
    for (let i = 0; i < words.length; i++) {
      const s = words[i]!;
      const expected = referenceAnswer(s);
      let code: number | string;
      try {
        code = waitstatus_to_exitcode(s);
      } catch (error) {
        const e = error as { name?: unknown; code?: unknown; message?: unknown };
        code = e.name === "RangeError" && e.code === "ERR_INVALID_ARG_VALUE" ? String(e.message) : `unexpected ${String(error)}`;
      }
      const got: Answer = {
        WIFEXITED: WIFEXITED(s), WEXITSTATUS: WEXITSTATUS(s), WIFSIGNALED: WIFSIGNALED(s), WTERMSIG: WTERMSIG(s),
        WCOREDUMP: WCOREDUMP(s), WIFSTOPPED: WIFSTOPPED(s), WSTOPSIG: WSTOPSIG(s), WIFCONTINUED: WIFCONTINUED(s), exitcode: code,
      };
      calls++;
      if (differ(got, expected)) {
        badCount++;
        if (bad.length < 5) bad.push({ word: s, got, expected });
      }
    }
    expect(bad).toEqual([]);
    expect(badCount).toBe(0);
    expect(calls).toBe(200_000);
  }, SLOW);
});

describe("posix_spawnp + wait4/waitpid in a tight loop (separate process)", () => {
  // A spawn costs ~0.6 ms natively, ~11 ms under qemu-user (where posix_spawn's vfork is a
  // fork of the emulator, docs/DESIGN.md §7). Natively the loop alone passes tier-up of the spawn
  // path (a stale status buffer showed from the ~1,650th spawn); under emulation fewer
  // spawns keep the file's time sane, and the fixture's 200,000-call WNOHANG warm-up has
  // already made wait4 and waitpid hot.
  const [quick, sh] = underEmulation() ? [600, 60] : [5000, 500];

  test(`${quick} \`true\`/\`false\` and ${sh} \`sh -c 'exit N'\` children: every pid and status right, none left`, () => {
    const run = Bun.spawnSync([process.execPath, join(fixtures, "hot-spawn-reap.ts"), String(quick), String(sh)], {
      stdout: "pipe",
      stderr: "pipe",
    });
    if (run.exitCode !== 0) throw new Error(`fixture exited ${run.exitCode}: ${run.stderr.toString()}`);
    const report: unknown = JSON.parse(run.stdout.toString());
    const warmPid = (report as { warm?: { spawned?: unknown } }).warm?.spawned;
    expect(warmPid).toBeGreaterThan(0);
    expect(report).toEqual({
      warm: {
        calls: 200_000,
        nothingEvery: true,
        spawned: warmPid,
        // glibc and musl: SIGKILL (9) in the low 7 bits, nothing else.
        reaped: { pid: warmPid, status: 9 },
      },
      quickCount: quick,
      quickBadCount: 0,
      quickBad: [],
      shCount: sh,
      shBadCount: 0,
      shBad: [],
      leftover: { code: "ECHILD", message: "ECHILD: no child processes, waitpid" },
    });
  }, 60_000);
});

describe("waitpid(pid, WNOHANG) alternating with waitid(P_PID, pid, WEXITED | WNOHANG)", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "bun-wait4-hot-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Polls `pid` with the two calls in turn, `limit` times or until one reports something. */
  function poll(pid: number, limit: number): { calls: number; via?: string; result?: unknown; bad?: unknown } {
    for (let i = 0; i < limit; i++) {
      if (i % 2 === 0) {
        const r = waitpid(pid, WNOHANG);
        if (r[0] !== 0 || r[1] !== 0 || r.length !== 2) return { calls: i + 1, via: "waitpid", result: r };
      } else {
        const r = waitid(P_PID, pid, WEXITED | WNOHANG);
        if (r !== null) return { calls: i + 1, via: "waitid", result: r };
      }
    }
    return { calls: limit };
  }

  test("150,000 calls report nothing while the child runs; its exit 5 is then reported right", () => {
    const go = join(dir, "go");
    // Runs until `go` exists, then exits 5: nothing can end it during the hot loop.
    const pid = posix_spawnp("sh", ["sh", "-c", 'while [ ! -e "$1" ]; do sleep 0.01; done; exit 5', "sh", go]);
    try {
      const quiet = poll(pid, 150_000);
      expect(quiet).toEqual({ calls: 150_000 });

      writeFileSync(go, "");
      expect(existsSync(go)).toBe(true);
      const seen = poll(pid, Number.MAX_SAFE_INTEGER);
      if (seen.via === "waitpid") {
        // glibc and musl: exit code in bits 8-15, low 7 bits 0.
        expect(seen.result).toEqual([pid, 5 << 8]);
      } else {
        expect(seen.via).toBe("waitid");
        // include/uapi/asm-generic/siginfo.h CLD_EXITED = 1; SIGCHLD = 17 on x86_64 and arm64.
        expect(seen.result).toEqual({ si_pid: pid, si_uid: process.getuid!(), si_signo: 17, si_status: 5, si_code: 1 });
      }
      // Reaped exactly once.
      expect(() => waitpid(pid, WNOHANG)).toThrow(expect.objectContaining({ code: "ECHILD" }));
    } finally {
      writeFileSync(go, "");
      killAndReap(pid);
    }
  }, SLOW);
});
