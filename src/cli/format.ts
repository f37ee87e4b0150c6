/**
 * GNU time's format interpreter (`summarize`): a format and what was measured in, the report's
 * bytes out, as a pure function.
 *
 * Behaviour is GNU time's current source (release 1.9 plus the development branch that became
 * 1.10); where the two differ this follows 1.10 / dev (the `%T…` specifiers, a trailing `%`
 * or `\`). Always the C locale: `.` is the decimal point. "spec §N" below is the GNU time
 * behavioural specification (docs/GNU-TIME.md, written from GNU's source and real
 * runs); GNU function names (`summarize`, `main`, `sig2str`) say where in GNU a rule lives.
 * No GNU code is used: the rules are re-stated from the spec.
 *
 * Deliberate deviations, all outside what a command line can produce or what Linux reports:
 * - A format is a C string in GNU: it ends at the first NUL. Here too (a JS string may hold
 *   U+0000; argv cannot). A format string is scanned as its UTF-8 bytes; lone surrogates,
 *   which UTF-8 cannot hold, become U+FFFD first.
 * - {@link expandFormat} returns a string, so the one way GNU writes bytes that are not
 *   UTF-8 (`%T` + a multi-byte character: the lead byte is swallowed, the continuation bytes
 *   are copied) comes out as U+FFFD there. {@link expandFormatBytes} gives GNU's exact bytes.
 * - CPU times arrive as float seconds (`tv_sec + tv_usec * 0.000001`); the microseconds are
 *   recovered exactly up to about 2^32 s (136 years) per field.
 * - 1.9 and dev compute the CPU milliseconds differently when a CPU time is negative (1.9
 *   wraps, dev saturates); this follows dev. No kernel reports a negative CPU time.
 * @module
 */
import { RU_MAXRSS_BYTES, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WTERMSIG, type Rusage } from "../index.ts";
import { defaultNaming, signalSpec, type SignalNaming } from "./signal-naming.ts";

/** One timed command: what GNU time's `summarize` gets from its `RESUSE` record. */
export interface TimedRun {
  /** The command and its arguments as run; `%C` prints them joined by single spaces. */
  command: readonly string[];
  /** The raw wait status (a C `int`) of the command. */
  status: number;
  /** Wall-clock time from just before the spawn to just after the wait, integer nanoseconds (may be negative if the clock was stepped). */
  wallNanoseconds: number;
  /** The command's resource usage, in this platform's units. */
  rusage: Rusage;
}

/** Options of {@link expandFormat}. */
export interface FormatOptions {
  /** How `%Ts` names signals; default: gnulib's names with this C library's real-time range. */
  signals?: SignalNaming;
}

// ---------------------------------------------------------------------------------------
// C integer arithmetic, in BigInt so that every wrap and saturation is GNU's.

const UINTMAX_MAX = (1n << 64n) - 1n;
const MILLION = 1_000_000n;
const BILLION = 1_000_000_000n;

/** The value as C `long` (64-bit), as `%ld` prints it. */
const asLong = (x: bigint): bigint => BigInt.asIntN(64, x);
/** The value as `uintmax_t`: a conversion from a negative `long` wraps. */
const asUintmax = (x: bigint): bigint => BigInt.asUintN(64, x);

/** An integral rusage/status value as BigInt; a fraction or NaN is a caller bug. */
function integer(value: number, what: string): bigint {
  if (!Number.isInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
  return BigInt(value);
}

/** Seconds and the non-negative sub-second part, the way a normalised timeval/timespec holds them. */
interface SplitTime {
  sec: bigint;
  /** Microseconds (timeval) or nanoseconds (timespec), always 0 ≤ sub < one second. */
  sub: bigint;
}

/** Floor division into whole seconds and a non-negative remainder (GNU's borrow in resuse_end / timespec_sub). */
function split(total: bigint, perSecond: bigint): SplitTime {
  let sec = total / perSecond;
  let sub = total % perSecond;
  if (sub < 0n) {
    sub += perSecond;
    sec -= 1n;
  }
  return { sec, sub };
}

/** A rusage time (float seconds, CPython's `tv_sec + tv_usec * 0.000001`) back to its timeval. */
function timeval(seconds: number, what: string): SplitTime {
  if (!Number.isFinite(seconds)) throw new RangeError(`${what} must be a finite number, got ${seconds}`);
  return split(BigInt(Math.round(seconds * 1e6)), MILLION);
}

/**
 * `sec * 1000 + extra` in `uintmax_t` with dev's `ckd_mul`/`ckd_add` checks: undefined when a
 * step does not fit (a negative `sec` does not fit either).
 */
function checkedMs(sec: bigint, extra: bigint): bigint | undefined {
  const ms = sec * 1000n + extra;
  return sec < 0n || ms > UINTMAX_MAX ? undefined : ms;
}

/** printf `%02ld`: at least two characters, zeros after the sign. */
function pad2(x: bigint): string {
  const digits = (x < 0n ? -x : x).toString();
  return x < 0n ? `-${digits}` : digits.padStart(2, "0");
}

/** The numbers `summarize` derives before the scan (spec §3.1), dev's `uintmax_t` rules. */
interface Quantities {
  elapsed: SplitTime; // nanoseconds
  user: SplitTime; // microseconds
  system: SplitTime; // microseconds
  /** Elapsed real milliseconds (saturated). */
  r: bigint;
  /** CPU milliseconds: user and system truncated to ms separately (saturated). */
  v: bigint;
  /** Sub-second microseconds of the elapsed time only. */
  usR: bigint;
  /** Sub-second microseconds of user plus system, seconds ignored. */
  usV: bigint;
  /** v in 10 ms clock ticks (TICKS_PER_SEC = 100). */
  ticks: bigint;
}

function quantities(run: TimedRun): Quantities {
  const elapsed = split(integer(run.wallNanoseconds, "wallNanoseconds"), BILLION);
  const user = timeval(run.rusage.ru_utime, "rusage.ru_utime");
  const system = timeval(run.rusage.ru_stime, "rusage.ru_stime");
  const r = checkedMs(elapsed.sec, elapsed.sub / MILLION) ?? UINTMAX_MAX;
  const userMs = checkedMs(user.sec, user.sub / 1000n);
  const systemMs = checkedMs(system.sec, system.sub / 1000n);
  const sum = userMs === undefined || systemMs === undefined ? undefined : userMs + systemMs;
  const v = sum === undefined || sum > UINTMAX_MAX ? UINTMAX_MAX : sum;
  return { elapsed, user, system, r, v, usR: elapsed.sub / 1000n, usV: user.sub + system.sub, ticks: v / 10n };
}

// ---------------------------------------------------------------------------------------
// The scan (spec §3; GNU `summarize`).

const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const encoder = new TextEncoder();
const decoder = new TextDecoder(); // not fatal: see the module comment

/** The bytes of a format up to its first NUL, as C sees the string. */
function formatBytes(format: string | Uint8Array): Uint8Array {
  const bytes = typeof format === "string" ? encoder.encode(format) : format;
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** A growable byte buffer. */
class Output {
  private buffer = new Uint8Array(256);
  private length = 0;

  byte(b: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = b;
  }

  text(s: string): void {
    for (const b of encoder.encode(s)) this.byte(b);
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** What one single-letter specifier prints (spec §3.2), or undefined if the letter is not one. */
function specifier(letter: number, run: TimedRun, q: Quantities, pageSize: number): string | undefined {
  const ru = run.rusage;
  const long = (value: number, field: string) => asLong(integer(value, `rusage.${field}`)).toString();
  // RUSAGE_MEM_TO_KB on the C long, then the cast to uintmax_t (src/rusage-kb.h): the memory
  // fields count KiB on Linux (printed unchanged) and bytes on macOS (divided by 1024).
  const kib = (value: number, field: string): bigint => {
    const raw = asLong(integer(value, `rusage.${field}`));
    return asUintmax(RU_MAXRSS_BYTES === 1024 ? raw : (raw * BigInt(RU_MAXRSS_BYTES)) / 1024n);
  };
  // The averages: 0 when under one tick, each term divided separately, sums wrap (uintmax_t).
  const average = (...fields: ("ru_ixrss" | "ru_idrss" | "ru_isrss")[]): string =>
    q.ticks === 0n ? "0" : asUintmax(fields.reduce((sum, f) => sum + kib(ru[f], f) / q.ticks, 0n)).toString();
  const seconds = (t: SplitTime) => `${asLong(t.sec)}.${pad2(t.sub / 10_000n)}`;

  switch (String.fromCharCode(letter)) {
    case "%":
      return "%";
    case "C":
      return run.command.join(" "); // GNU fprintargv: no quoting
    case "D":
      return average("ru_idrss", "ru_isrss");
    case "E": {
      const { sec, sub } = q.elapsed;
      if (sec >= 3600n) return `${sec / 3600n}:${pad2((sec % 3600n) / 60n)}:${pad2(sec % 60n)}`;
      // C division truncates towards zero, as BigInt's does: -61 s is "-1:-1.cc".
      return `${sec / 60n}:${pad2(sec % 60n)}.${pad2(sub / 10_000_000n)}`;
    }
    case "F":
      return long(ru.ru_majflt, "ru_majflt");
    case "I":
      return long(ru.ru_inblock, "ru_inblock");
    case "K":
      return average("ru_idrss", "ru_isrss", "ru_ixrss");
    case "M":
      return kib(ru.ru_maxrss, "ru_maxrss").toString();
    case "O":
      return long(ru.ru_oublock, "ru_oublock");
    case "P":
      // No cap; the products wrap in uintmax_t (spec §3.2).
      if (q.r > 0n) return `${asUintmax(q.v * 100n) / q.r}%`;
      if (q.usR > 0n) return `${asUintmax(q.usV * 100n) / q.usR}%`;
      return "?%";
    case "R":
      return long(ru.ru_minflt, "ru_minflt");
    case "S":
      return seconds(q.system);
    case "U":
      return seconds(q.user);
    case "W":
      return long(ru.ru_nswap, "ru_nswap");
    case "X":
      return average("ru_ixrss");
    case "Z":
      return String(pageSize);
    case "c":
      return long(ru.ru_nivcsw, "ru_nivcsw");
    case "e":
      return `${asLong(q.elapsed.sec)}.${pad2(q.elapsed.sub / 10_000_000n)}`;
    case "k":
      return long(ru.ru_nsignals, "ru_nsignals");
    case "p":
      return average("ru_isrss");
    case "r":
      return long(ru.ru_msgrcv, "ru_msgrcv");
    case "s":
      return long(ru.ru_msgsnd, "ru_msgsnd");
    case "t":
      return average("ru_idrss");
    case "w":
      return long(ru.ru_nvcsw, "ru_nvcsw");
    case "x":
      return String(WEXITSTATUS(run.status)); // even after a signal: then 0 (spec §3.2)
    default:
      return undefined;
  }
}

/** What `%T` + `letter` prints (spec §3.3, 1.10 / dev), or undefined for "T?=unknown". */
function terminationSpecifier(letter: number, status: number, naming: SignalNaming): string | undefined {
  switch (String.fromCharCode(letter)) {
    case "t":
      return WIFSTOPPED(status) ? "stopped" : WIFSIGNALED(status) ? "signalled" : "normal";
    case "x":
      return WIFEXITED(status) ? String(WEXITSTATUS(status)) : "";
    case "n":
      return WIFSIGNALED(status) ? String(WTERMSIG(status)) : "";
    case "s": {
      if (!WIFSIGNALED(status)) return "";
      const signal = WTERMSIG(status);
      return signalSpec(signal, naming) ?? `(${signal})`;
    }
    case "o":
      return WIFEXITED(status) && WEXITSTATUS(status) === 0 ? "ok" : "";
    default:
      return undefined;
  }
}

/**
 * {@link expandFormat} as the exact bytes GNU writes: the format is scanned byte by byte
 * (a `%` followed by a UTF-8 lead byte prints `?` and that byte, spec §3).
 *
 * @param format the format as a string (scanned as its UTF-8 bytes) or as raw bytes.
 */
export function expandFormatBytes(
  format: string | Uint8Array,
  run: TimedRun,
  pageSize: number,
  options: FormatOptions = {},
): Uint8Array {
  if (!Number.isInteger(pageSize)) throw new RangeError(`pageSize must be an integer, got ${pageSize}`);
  const naming = options.signals ?? defaultNaming();
  const q = quantities(run);
  const fmt = formatBytes(format);
  const out = new Output();
  let i = 0;
  while (i < fmt.length) {
    const b = fmt[i]!;
    if (b === PERCENT) {
      const letter = fmt[i + 1];
      if (letter === undefined) {
        // Lone % at the end: "?" then, since 1.10, the usual final newline (spec §3.4).
        out.byte(0x3f);
        i += 1;
      } else if (letter === 0x54 /* T */) {
        // %T reads one more byte (spec §3.3). At the end: "T=missing letter"; any other
        // byte is consumed with "T?=unknown".
        const which = fmt[i + 2];
        if (which === undefined) {
          out.text("T=missing letter");
          i += 2;
        } else {
          out.text(terminationSpecifier(which, run.status, naming) ?? "T?=unknown");
          i += 3;
        }
      } else {
        const text = specifier(letter, run, q, pageSize);
        if (text === undefined) {
          // Unknown: "?" and the byte, which is consumed (a "\" after "%" starts no escape).
          out.byte(0x3f);
          out.byte(letter);
        } else out.text(text);
        i += 2;
      }
    } else if (b === BACKSLASH) {
      const next = fmt[i + 1];
      if (next === 0x6e /* n */) out.byte(0x0a);
      else if (next === 0x74 /* t */) out.byte(0x09);
      else if (next === BACKSLASH) out.byte(BACKSLASH);
      else {
        // "?\" and the byte, which is consumed (so "\%" starts no specifier); at the end
        // just "?\" (1.10 and dev; 1.9 read past the string, spec §3.4).
        out.byte(0x3f);
        out.byte(BACKSLASH);
        if (next !== undefined) out.byte(next);
      }
      i += next === undefined ? 1 : 2;
    } else {
      out.byte(b);
      i += 1;
    }
  }
  out.byte(0x0a); // summarize always ends the report with one newline
  return out.bytes();
}

/**
 * Expands a GNU time format for one run, as GNU time's `summarize` does (spec §3): every
 * single-letter specifier, `%T…` (1.10), the escapes `\n` `\t` `\\`, `?X` for unknown
 * specifiers and escapes, and the one final newline GNU always writes.
 *
 * @param format the format text (the `-f` argument, `$TIME`, or a built-in format).
 * @param run what was measured.
 * @param pageSize what `%Z` prints (the system page size, e.g. 4096).
 * @returns the report without the status line ({@link statusLine} comes first); bytes that
 *   are not UTF-8 (only `%T` + a multi-byte character makes them) become U+FFFD — use
 *   {@link expandFormatBytes} for GNU's exact bytes.
 * @example
 * expandFormat("%e %x", run, 4096); // "1.25 0\n"
 */
export function expandFormat(format: string, run: TimedRun, pageSize: number, options: FormatOptions = {}): string {
  return decoder.decode(expandFormatBytes(format, run, pageSize, options));
}
