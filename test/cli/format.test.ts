/**
 * GNU time's report (src/cli/format.ts: expandFormat, statusLine, gnuExitStatus) against the
 * real GNU time 1.9 at /usr/bin/time, fed the same inputs.
 *
 * An LD_PRELOAD library (test/c/time_shim.c) makes /usr/bin/time see a chosen elapsed time,
 * user and system time, all 14 long fields of struct rusage and a chosen wait status, so
 * GNU's own arithmetic and formatting run on them; the command is `true`. GNU writes the
 * status line, the report and any "unknown status" message to stderr, and exits with its own
 * status: all of it is compared, byte for byte, with what our functions give for the same
 * inputs, over a table of hand-picked edge values (spec §3.2, §4) and seeded random ones.
 *
 * Where 1.10 / dev differs from 1.9 (the %T… specifiers, a trailing `%`, a trailing `\`;
 * spec §13 rows 1–3) we follow dev, so those are compared with the dev outputs the spec
 * records, and GNU 1.9 is run only to show that it differs exactly as the spec says.
 * ("spec" = the GNU time behavioural specification, docs/GNU-TIME.md.)
 */
import { describe, expect, test } from "bun:test";
import { glibcStatus, muslStatus } from "../../src/abi/linux.ts";
import { libc } from "../../src/ffi/load.ts";
import { gnuExitStatus, unknownStatusMessage } from "../../src/cli/exit-status.ts";
import { expandFormat, expandFormatBytes, type TimedRun } from "../../src/cli/format.ts";
import { DEFAULT_FORMAT, PORTABLE_FORMAT, VERBOSE_FORMAT } from "../../src/cli/formats.ts";
import { LINUX_SIGNAL_NAMING, signalSpec } from "../../src/cli/signal-naming.ts";
import { statusLine } from "../../src/cli/status-line.ts";
import { GNU_TIME, latin1, PAGE_SIZE, SHIM } from "../helpers/gnu-time.ts";
import { xorshift32 } from "../helpers/random.ts";

/** The rusage counters the shim sets, with the shim's variable name for each. */
const COUNTS = {
  ru_maxrss: "MAXRSS",
  ru_ixrss: "IXRSS",
  ru_idrss: "IDRSS",
  ru_isrss: "ISRSS",
  ru_minflt: "MINFLT",
  ru_majflt: "MAJFLT",
  ru_nswap: "NSWAP",
  ru_inblock: "INBLOCK",
  ru_oublock: "OUBLOCK",
  ru_msgsnd: "MSGSND",
  ru_msgrcv: "MSGRCV",
  ru_nsignals: "NSIGNALS",
  ru_nvcsw: "NVCSW",
  ru_nivcsw: "NIVCSW",
} as const;
type CountField = keyof typeof COUNTS;
const COUNT_FIELDS = Object.keys(COUNTS) as CountField[];

/** What GNU is made to see. Times in integer µs; counts not given are 0. */
interface Input {
  elapsedUs: number;
  utimeUs?: number;
  stimeUs?: number;
  counts?: Partial<Record<CountField, number>>;
  status?: number;
  /** Arguments after `true` (what %C shows besides "true"). */
  args?: readonly string[];
}

/** How GNU is invoked and what our side calls that. */
interface Mode {
  name: string;
  options: readonly string[];
  format: string;
  portable: boolean;
  quiet: boolean;
  env?: Record<string, string>;
}

const us = (input: Input) => ({
  utime: input.utimeUs ?? 0,
  stime: input.stimeUs ?? 0,
  status: input.status ?? 0,
});

/** A µs count as CPython and our Rusage hold it: tv_sec + tv_usec * 0.000001. */
function seconds(micro: number): number {
  const sec = Math.floor(micro / 1e6);
  return sec + (micro - sec * 1e6) * 0.000001;
}

function timedRun(input: Input): TimedRun {
  const { utime, stime, status } = us(input);
  const rusage = { ru_utime: seconds(utime), ru_stime: seconds(stime) } as TimedRun["rusage"];
  for (const field of COUNT_FIELDS) rusage[field] = input.counts?.[field] ?? 0;
  return { command: ["true", ...(input.args ?? [])], status, wallNanoseconds: input.elapsedUs * 1000, rusage };
}

interface GnuResult {
  code: number;
  stdout: string;
  /** Latin-1, so one character is one byte and a byte-exact comparison reads well. */
  stderr: string;
}

function runGnu(options: readonly string[], input: Input, extraEnv: Record<string, string> = {}, preload = true): GnuResult {
  const { utime, stime, status } = us(input);
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    LC_ALL: "C",
    TIME_SHIM_ELAPSED_US: String(input.elapsedUs),
    TIME_SHIM_UTIME_US: String(utime),
    TIME_SHIM_STIME_US: String(stime),
    TIME_SHIM_STATUS: String(status),
    ...extraEnv,
  };
  if (preload) env.LD_PRELOAD = SHIM;
  for (const field of COUNT_FIELDS) env[`TIME_SHIM_${COUNTS[field]}`] = String(input.counts?.[field] ?? 0);
  const result = Bun.spawnSync([GNU_TIME, ...options, "true", ...(input.args ?? [])], { env, stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode ?? -1, stdout: latin1(result.stdout), stderr: latin1(result.stderr) };
}

/** Our whole stderr for the same run: status line, report, and main's "unknown status" message. */
function ours(mode: Mode, input: Input): string {
  const run = timedRun(input);
  const line = statusLine(run, mode.format, { quiet: mode.quiet, portable: mode.portable });
  return latin1(Buffer.from(line)) + latin1(expandFormatBytes(mode.format, run, PAGE_SIZE)) + unknownStatusMessage(GNU_TIME, run.status);
}

/**
 * glibc's and musl's macros disagree on malformed words (0x7f, 0xff…). /usr/bin/time is
 * built against glibc; under the musl Bun (scripts/ci-musl.sh) our functions use musl's, so
 * such words are left out there.
 */
function statusComparable(status: number): boolean {
  if (libc.abi.libc !== "musl") return true;
  return (["WIFEXITED", "WEXITSTATUS", "WIFSIGNALED", "WTERMSIG", "WIFSTOPPED", "WSTOPSIG"] as const).every(
    (m) => glibcStatus[m](status) === muslStatus[m](status),
  );
}

/** Every specifier, the escapes, unknown specifiers and escapes, and UTF-8 after `%` and `\`. */
const ALL =
  "%%|%C|%D|%E|%e|%F|%I|%K|%M|%O|%P|%R|%S|%U|%W|%X|%Z|%c|%k|%p|%r|%s|%t|%w|%x" +
  "|a\\nb\\tc\\\\d|%a%b%d%q%Y%1% %-%\\n|\\q\\x\\%f|é%é\\é€%€.";

const MODES: readonly Mode[] = [
  { name: "-f ALL", options: ["-f", ALL], format: ALL, portable: false, quiet: false },
  { name: "-q -f ALL", options: ["-q", "-f", ALL], format: ALL, portable: false, quiet: true },
  { name: "TIME=ALL", options: [], format: ALL, portable: false, quiet: false, env: { TIME: ALL } },
  { name: "default", options: [], format: DEFAULT_FORMAT, portable: false, quiet: false },
  { name: "-p", options: ["-p"], format: PORTABLE_FORMAT, portable: true, quiet: false },
  { name: "-v", options: ["-v"], format: VERBOSE_FORMAT, portable: false, quiet: false },
  // The text of -p given by -f is not the -p format: the status line stays (spec §1.2).
  { name: "-f <text of -p>", options: ["-f", PORTABLE_FORMAT], format: PORTABLE_FORMAT, portable: false, quiet: false },
];

interface Mismatch {
  case: string;
  gnu: GnuResult;
  ours: { code: number; stderr: string };
}

/** Runs every (mode, input) pair through GNU and us; returns the differences. */
function compareAll(pairs: readonly [Mode, Input, string][]): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const [mode, input, label] of pairs) {
    const gnu = runGnu(mode.options, input, mode.env);
    const expected = { code: gnuExitStatus(input.status ?? 0), stderr: ours(mode, input) };
    if (gnu.code !== expected.code || gnu.stderr !== expected.stderr || gnu.stdout !== "") {
      mismatches.push({ case: `${mode.name} ${label} ${JSON.stringify(input)}`, gnu, ours: expected });
    }
  }
  return mismatches;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const RSS = { ru_ixrss: 1000, ru_idrss: 2000, ru_isrss: 3000 };
const ONE_TICK: Input = { elapsedUs: 1_000_000, utimeUs: 10_000, counts: RSS };

/** Hand-picked inputs: the shim runs of spec §3.2, and the boundaries around them. */
const EDGES: readonly Input[] = [
  { elapsedUs: 0 }, // %P = ?%
  { elapsedUs: 999, utimeUs: 300, stimeUs: 200 }, // µs path: 50%
  { elapsedUs: 999, utimeUs: 999_999, stimeUs: 999_999 }, // 200200%
  { elapsedUs: 1000, utimeUs: 999 }, // ms path, v = 0: 0%
  { elapsedUs: 1999, utimeUs: 1999 }, // 100%
  { elapsedUs: 9999, utimeUs: 19_999, stimeUs: 9999 }, // 311%, U = 0.01
  { elapsedUs: 1000, utimeUs: 3_000_000 }, // 300000%
  { elapsedUs: 1, utimeUs: 1 },
  { elapsedUs: 59_999_999, utimeUs: 1_234_567, stimeUs: 7_654_321 },
  { elapsedUs: 61_005_000 },
  { elapsedUs: 3_599_999_999 }, // 59:59.99
  { elapsedUs: 3_600_000_000 }, // 1:00:00
  { elapsedUs: 3_661_990_000 },
  { elapsedUs: 90_061_500_000 }, // 25:01:01
  { elapsedUs: 8_640_000_000_000, utimeUs: 86_399_999_999, stimeUs: 999_999 }, // 100 days
  { elapsedUs: 1_000_000, utimeUs: 9999, counts: RSS }, // 0 ticks: averages 0
  ONE_TICK,
  { elapsedUs: 1_000_000, utimeUs: 35_000, counts: { ...RSS, ru_isrss: 3001 } }, // each term divided
  { elapsedUs: 1_000_000, utimeUs: 5000, stimeUs: 5999, counts: RSS }, // ms truncated separately: 0 ticks
  { elapsedUs: 1_000_000, counts: { ru_maxrss: 123_456_789 } },
  // Clock stepped back: a negative elapsed time (sec floored, µs borrowed; %E's C division).
  { elapsedUs: -1, utimeUs: 5000 },
  { elapsedUs: -500_000 },
  { elapsedUs: -61_500_000, utimeUs: 20_000 },
  { elapsedUs: -3_600_000_000 },
  // Extreme counts: %ld keeps the sign; %M and the averages are uintmax_t (a negative wraps).
  {
    elapsedUs: 2_000_000,
    utimeUs: 2_000_000_000_000_000, // ~2^31 s
    stimeUs: 1,
    counts: Object.fromEntries(COUNT_FIELDS.map((f, i) => [f, i % 2 ? MAX_SAFE : -MAX_SAFE])),
  },
  { elapsedUs: 500_000, utimeUs: 20_000, counts: Object.fromEntries(COUNT_FIELDS.map((f) => [f, -1])) },
  { elapsedUs: 500_000, utimeUs: 990_000, counts: Object.fromEntries(COUNT_FIELDS.map((f, i) => [f, 2 ** 40 + i])) },
  // Wait statuses (spec §4, §5.2): exits, signals (core bit), stopped, and words no state has.
  ...[0x100, 0xff00, 9, 137, 0x8b, 35, 0x40, 0x7e, 0x137f, 0x7f, 0xff7f, 0xffff, 0x80, 0xff, 0x10000, 0x10109, -1, -0x100].map(
    (status) => ({ elapsedUs: 250_000, utimeUs: 120_000, status }),
  ),
  // %C: args joined by single spaces, nothing quoted, empty ones doubling the space.
  { elapsedUs: 10_000, args: ["a", "b c", "", "d"] },
  { elapsedUs: 10_000, args: ["é€😀", "-f", "%x", "\\n", ""] },
];

const RANDOM_CASES = 250;

/** Random inputs and modes; random formats never end in a lone `%`/`\` and hold no `%T`. */
function randomPairs(): [Mode, Input, string][] {
  const next = xorshift32(0x5eed7173);
  const below = (n: number) => next() % n;
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const big = () => next() * 2 ** 21 + (next() >>> 11); // up to 2^53
  const micro = (): number =>
    pick([
      () => 0,
      () => below(1000),
      () => below(1_000_000),
      () => below(100) * 10_000 + pick([0, 1, 9999]),
      () => below(4000) * 1_000_000 + below(1_000_000),
      () => (3_599 + below(3)) * 1_000_000 + below(1_000_000),
      () => next() * 1000 + below(1000), // up to ~50 days
    ])();
  const count = (): number => pick([() => 0, () => below(100), () => next(), () => big(), () => -below(1000), () => -big()])();
  const status = (): number =>
    pick([
      () => below(256) << 8, // exited
      () => 1 + below(126), // signalled, maybe the core bit below
      () => (1 + below(126)) | 0x80,
      () => ((1 + below(64)) << 8) | 0x7f, // stopped
      () => below(0x10000),
      () => next() | 0,
    ])();
  const letters = "%CDEeFIKMOPRSUWXZckprstwx";
  const pieces = ["%", "%", "\\", "\\", "a", " ", "|", "é", "€", "😀", "n", "t", "q", "\n", "\t", "1", "-", ":"];
  const randomFormat = (): string => {
    let f = "";
    for (let n = 1 + below(14); n > 0; n--) f += below(3) === 0 ? `%${letters[below(letters.length)]}` : pick(pieces);
    // "." last: the final "%" or "\" (if any) consumes it instead of meeting the end.
    return `${f}.`;
  };

  const pairs: [Mode, Input, string][] = [];
  // Drawn until RANDOM_CASES comparable ones exist (under musl some status words are not).
  for (let i = 0; pairs.length < RANDOM_CASES; i++) {
    const counts: Partial<Record<CountField, number>> = {};
    for (const field of COUNT_FIELDS) counts[field] = count();
    const args = below(4) === 0 ? [pick(["", "x", "a b", "é"]), pick(["-v", "%x", "\\"])] : [];
    const input: Input = { elapsedUs: below(10) === 0 ? -micro() : micro(), utimeUs: micro(), stimeUs: micro(), counts, status: status(), args };
    if (!statusComparable(input.status!)) continue;
    let mode: Mode;
    if (below(2) === 0) {
      const format = randomFormat();
      const quiet = below(4) === 0;
      mode = { name: `-f ${JSON.stringify(format)}`, options: quiet ? ["-q", "-f", format] : ["-f", format], format, portable: false, quiet };
    } else mode = pick(MODES);
    pairs.push([mode, input, `random #${i}`]);
  }
  return pairs;
}

function describeMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches
    .slice(0, 4)
    .map((m) => `${m.case}\n  GNU  [${m.gnu.code}] ${JSON.stringify(m.gnu.stderr)} stdout=${JSON.stringify(m.gnu.stdout)}\n  ours [${m.ours.code}] ${JSON.stringify(m.ours.stderr)}`)
    .join("\n");
}

describe("the shim really drives GNU time (so a wrong value would be seen)", () => {
  test("forced values appear in GNU's output, and differ from the real ones", () => {
    const input: Input = { elapsedUs: 3_661_990_000, utimeUs: 1_234_567, counts: { ru_maxrss: 123_456_789, ru_minflt: 4242 }, status: 0x300 };
    const forced = runGnu(["-f", "%E %U %M %R %x"], input);
    expect(forced.stderr).toBe("Command exited with non-zero status 3\n1:01:01 1.23 123456789 4242 3\n");
    expect(forced.code).toBe(3);
    const real = runGnu(["-f", "%E %U %M %R %x"], input, {}, false);
    expect(real.code).toBe(0);
    expect(real.stderr).not.toBe(forced.stderr);
    expect(real.stderr).toMatch(/^0:00\.\d\d \d+\.\d\d \d+ \d+ 0\n$/);
  });

  test("our side of the comparison changes when one input is off by one", () => {
    const input = ONE_TICK;
    const gnu = runGnu(["-f", ALL], input);
    const mode = MODES[0]!;
    expect(gnu.stderr).toBe(ours(mode, input));
    for (const field of COUNT_FIELDS) {
      const wrong = { ...input, counts: { ...input.counts, [field]: (input.counts?.[field] ?? 0) + 1 } };
      expect(ours(mode, wrong), field).not.toBe(gnu.stderr);
    }
    expect(ours(mode, { ...input, elapsedUs: input.elapsedUs + 10_000 })).not.toBe(gnu.stderr);
    expect(ours(mode, { ...input, utimeUs: (input.utimeUs ?? 0) + 10_000 })).not.toBe(gnu.stderr);
    expect(ours(mode, { ...input, status: 0x100 })).not.toBe(gnu.stderr);
  });
});

describe("expandFormat, statusLine and gnuExitStatus against GNU time 1.9", () => {
  test("hand-picked edge values, in every mode: -f (every specifier), -q, $TIME, default, -p, -v", () => {
    const pairs: [Mode, Input, string][] = [];
    EDGES.forEach((input, i) => {
      if (!statusComparable(input.status ?? 0)) return;
      for (const mode of MODES) pairs.push([mode, input, `edge #${i}`]);
    });
    const mismatches = compareAll(pairs);
    expect(describeMismatches(mismatches)).toBe("");
    expect(pairs.length).toBeGreaterThan(EDGES.length * MODES.length * 0.9);
  });

  test(`${RANDOM_CASES} seeded random inputs, formats and modes`, () => {
    const pairs = randomPairs();
    const mismatches = compareAll(pairs);
    expect(describeMismatches(mismatches)).toBe("");
    expect(pairs.length).toBe(RANDOM_CASES);
  });

  test("empty and escape-only formats, and a literal newline copied as is", () => {
    const formats = ["", "\\n", "\\t\\\\", "x\ny", "%%", "\\\\"];
    const pairs: [Mode, Input, string][] = formats.map((format) => [
      { name: `-f ${JSON.stringify(format)}`, options: ["-f", format], format, portable: false, quiet: false },
      { elapsedUs: 1 },
      "format",
    ]);
    expect(describeMismatches(compareAll(pairs))).toBe("");
  });

  test("the spec's stated values (spec §3.2, §4) come out of expandFormat as written there", () => {
    const run = (input: Input, format: string) => expandFormat(format, timedRun(input), 4096);
    expect(run({ elapsedUs: 9999, utimeUs: 19_999, stimeUs: 9999 }, "%P %U")).toBe("311% 0.01\n");
    expect(run({ elapsedUs: 90_061_500_000 }, "%e %E")).toBe("90061.50 25:01:01\n");
    expect(run({ elapsedUs: 1_000_000, utimeUs: 35_000, counts: { ...RSS, ru_isrss: 3001 } }, "X=%X D=%D p=%p K=%K t=%t")).toBe(
      "X=333 D=1666 p=1000 K=1999 t=666\n",
    );
    expect(run({ elapsedUs: 0, args: ["a", "b c", "", "d"] }, "%C|%P")).toBe("true a b c  d|?%\n");
    expect(run({ elapsedUs: 0, status: 9 }, "%x")).toBe("0\n"); // %x after a signal
    const stopped = timedRun({ elapsedUs: 0, status: 0x137f });
    expect(statusLine(stopped, ALL, { quiet: false, portable: false })).toBe("Command stopped by signal 19\n");
    expect(gnuExitStatus(0x137f)).toBe(147);
    expect(gnuExitStatus(0x8b)).toBe(139);
    expect(gnuExitStatus(0xffff)).toBe(1);
  });

  test("statusLine: -q and the -p format silence it; a portable flag without the -p format is refused", () => {
    const run = timedRun({ elapsedUs: 0, status: 0x100 });
    expect(statusLine(run, PORTABLE_FORMAT, { quiet: false, portable: false })).toBe("Command exited with non-zero status 1\n");
    expect(statusLine(run, PORTABLE_FORMAT, { quiet: false, portable: true })).toBe("");
    expect(statusLine(run, ALL, { quiet: true, portable: false })).toBe("");
    expect(() => statusLine(run, ALL, { quiet: false, portable: true })).toThrow(TypeError);
  });
});

describe("where 1.10 / dev differs from 1.9 we follow dev (compared with the spec's dev outputs)", () => {
  const T_ALL = "%Tt|%Tx|%Tn|%Ts|%To";
  // The spec's outputs come from glibc builds, so glibc's real-time range (SIGRTMIN 34).
  const dev = (format: string, status: number) => expandFormat(format, timedRun({ elapsedUs: 0, status }), 4096, { signals: LINUX_SIGNAL_NAMING });

  test("%T… (spec §3.3 'Real dev outputs'): and 1.9 treats %T as unknown", () => {
    expect(dev(T_ALL, 0)).toBe("normal|0|||ok\n"); // true
    expect(dev(T_ALL, 0x100)).toBe("normal|1|||\n"); // false
    expect(dev(T_ALL, 9)).toBe("signalled||9|KILL|\n"); // kill -9
    expect(dev(T_ALL, 10)).toBe("signalled||10|USR1|\n");
    expect(dev(T_ALL, 35)).toBe("signalled||35|RTMIN+1|\n");
    expect(dev(T_ALL, 0x86)).toBe("signalled||6|ABRT|\n"); // core dumped: still signalled
    expect(dev(T_ALL, 0x137f)).toBe("stopped||||\n");
    expect(dev("%Tq|%TT|%T%|x", 0)).toBe("T?=unknown|T?=unknown|T?=unknown|x\n");
    expect(dev("ab%T", 0)).toBe("abT=missing letter\n");
    // 1.9: "%T" + byte is "?T" + byte, and a final "%T" is "?T" (spec §3.3).
    expect(runGnu(["-f", `${T_ALL}|%T`], { elapsedUs: 0 }).stderr).toBe("?Tt|?Tx|?Tn|?Ts|?To|?T\n");
  });

  test("%Ts names every signal as gnulib's sig2str does on Linux (spec §3.3 table)", () => {
    const spec =
      "1 HUP 2 INT 3 QUIT 4 ILL 5 TRAP 6 ABRT 7 BUS 8 FPE 9 KILL 10 USR1 11 SEGV 12 USR2 13 PIPE 14 ALRM 15 TERM " +
      "16 STKFLT 17 CHLD 18 CONT 19 STOP 20 TSTP 21 TTIN 22 TTOU 23 URG 24 XCPU 25 XFSZ 26 VTALRM 27 PROF 28 WINCH " +
      "29 POLL 30 PWR 31 SYS";
    const expected = new Map<number, string>();
    const words = spec.split(" ");
    for (let i = 0; i < words.length; i += 2) expected.set(Number(words[i]), words[i + 1]!);
    expected.set(32, "(32)").set(33, "(33)").set(34, "RTMIN").set(64, "RTMAX");
    for (let k = 1; k <= 15; k++) expected.set(34 + k, `RTMIN+${k}`); // 35 … 49
    for (let k = 14; k >= 1; k--) expected.set(64 - k, `RTMAX-${k}`); // 50 … 63
    for (let n = 65; n <= 126; n++) expected.set(n, `(${n})`);
    for (const [n, name] of expected) expect(dev("%Ts", n), `signal ${n}`).toBe(`${name}\n`);
    expect(signalSpec(0, LINUX_SIGNAL_NAMING)).toBe("EXIT");
    // Other real-time ranges (musl's SIGRTMIN is 35): the split point moves with them.
    const musl = { ...LINUX_SIGNAL_NAMING, rtmin: 35 };
    expect([34, 35, 49, 50, 64].map((n) => signalSpec(n, musl))).toEqual([undefined, "RTMIN", "RTMIN+14", "RTMAX-14", "RTMAX"]);
  });

  test("a trailing % gives ? and the final newline (1.9: ? and no newline)", () => {
    expect(dev("abc%", 0)).toBe("abc?\n");
    expect(dev("%", 0)).toBe("?\n");
    expect(runGnu(["-f", "abc%"], { elapsedUs: 0 }).stderr).toBe("abc?");
    expect(runGnu(["-f", "%"], { elapsedUs: 0 }).stderr).toBe("?");
  });

  test("a trailing backslash gives ?\\ and the final newline (1.9: ?\\, a NUL, then the next argv string)", () => {
    expect(dev("abc\\", 0)).toBe("abc?\\\n");
    expect(runGnu(["-f", "abc\\"], { elapsedUs: 0 }).stderr).toBe("abc?\\\0true\n");
  });

  test("the format is bytes: %T before a multi-byte character swallows only its lead byte", () => {
    const run = timedRun({ elapsedUs: 0 });
    const bytes = expandFormatBytes("%Té|%é|\\é", run, 4096);
    expect([...bytes]).toEqual([...Buffer.from("T?=unknown"), 0xa9, ...Buffer.from("|?é|?\\é\n")]);
    expect(expandFormat("%Té|%é|\\é", run, 4096)).toBe("T?=unknown\uFFFD|?é|?\\é\n");
    // A format ends at its first NUL, as a C string does.
    expect(expandFormat("a\0%x", run, 4096)).toBe("a\n");
  });

  test("dev's nanosecond clock: digits below a microsecond change nothing", () => {
    const base = timedRun({ elapsedUs: 1_234_567, utimeUs: 1000 });
    const format = "%e %E %P";
    const at = (ns: number) => expandFormat(format, { ...base, wallNanoseconds: ns }, 4096);
    expect(at(1_234_567_999)).toBe(at(1_234_567_000));
    expect(at(1_234_567_000)).toBe("1.23 0:01.23 0%\n");
    expect(at(999)).toBe("0.00 0:00.00 ?%\n"); // below 1 µs: us_r = 0
  });
});

describe("inputs outside the contract are refused", () => {
  test("fractional counts, non-integer nanoseconds, NaN times", () => {
    const run = timedRun({ elapsedUs: 0 });
    expect(() => expandFormat("%R", { ...run, rusage: { ...run.rusage, ru_minflt: 1.5 } }, 4096)).toThrow(RangeError);
    expect(() => expandFormat("", { ...run, wallNanoseconds: 0.5 }, 4096)).toThrow(RangeError);
    expect(() => expandFormat("", { ...run, rusage: { ...run.rusage, ru_utime: Number.NaN } }, 4096)).toThrow(RangeError);
  });
});
