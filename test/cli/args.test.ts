/**
 * GNU time's command line (src/cli/args.ts: parseArgs; src/cli/help.ts) against the real GNU
 * time 1.9 at /usr/bin/time.
 *
 * Each invocation of the table is run through /usr/bin/time, with test/c/time_shim.c
 * preloaded so that the elapsed time, rusage and wait status it reports are fixed, and
 * through parseArgs. Then, by what parseArgs decided:
 *   - usage error: GNU's stderr is exactly our message, its exit status 125, and it created
 *     no file;
 *   - help / version: GNU exited 0 with its help / version text on stdout;
 *   - run: GNU ran the same command (its stdout is what running our `command` directly
 *     prints, or GNU says "cannot run" for a command that does not exist), and its report —
 *     on stderr, in the -o file (appended to or truncated), or on /dev/stdout — is exactly
 *     statusLine + expandFormat of our chosen format on the same fixed inputs; its exit
 *     status is gnuExitStatus of the forced status.
 * The table holds every row of spec §1.4, the precedence cases of §1.2 and the parsing rules
 * of §1.1 ("spec" = the GNU time behavioural specification, docs/GNU-TIME.md).
 * Our extensions are checked not to change what any GNU word means, and their own
 * validation is unit-tested.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, type ParsedArgs, type RunRequest } from "../../src/cli/args.ts";
import { gnuExitStatus } from "../../src/cli/exit-status.ts";
import { expandFormatBytes, type TimedRun } from "../../src/cli/format.ts";
import { PORTABLE_FORMAT, VERBOSE_FORMAT } from "../../src/cli/formats.ts";
import { statusLine } from "../../src/cli/status-line.ts";
import { helpText, versionText } from "../../src/cli/help.ts";
import { GNU_TIME, latin1, PAGE_SIZE, SHIM } from "../helpers/gnu-time.ts";

const PATH = "/usr/bin:/bin";

/** The fixed inputs GNU is made to see: exit status 3, so status lines show. */
const FORCED_STATUS = 0x300;
const FORCED = {
  elapsedUs: 3_723_450_000,
  utimeUs: 1_234_567,
  stimeUs: 76_543,
  counts: { MAXRSS: 2048, MINFLT: 71, MAJFLT: 2, INBLOCK: 8, OUBLOCK: 16, NVCSW: 5, NIVCSW: 7 } as Record<string, number>,
};
const SHIM_ENV: Record<string, string> = {
  LD_PRELOAD: SHIM,
  TIME_SHIM_ELAPSED_US: String(FORCED.elapsedUs),
  TIME_SHIM_UTIME_US: String(FORCED.utimeUs),
  TIME_SHIM_STIME_US: String(FORCED.stimeUs),
  TIME_SHIM_STATUS: String(FORCED_STATUS),
  ...Object.fromEntries(
    ["MAXRSS", "IXRSS", "IDRSS", "ISRSS", "MINFLT", "MAJFLT", "NSWAP", "INBLOCK", "OUBLOCK", "MSGSND", "MSGRCV", "NSIGNALS", "NVCSW", "NIVCSW"].map(
      (f) => [`TIME_SHIM_${f}`, String(FORCED.counts[f] ?? 0)],
    ),
  ),
};

/** The TimedRun our side builds from the same forced inputs. */
function forcedRun(command: readonly string[]): TimedRun {
  const secs = (us: number) => Math.floor(us / 1e6) + (us % 1e6) * 0.000001;
  const c = (f: string) => FORCED.counts[f] ?? 0;
  return {
    command,
    status: FORCED_STATUS,
    wallNanoseconds: FORCED.elapsedUs * 1000,
    rusage: {
      ru_utime: secs(FORCED.utimeUs),
      ru_stime: secs(FORCED.stimeUs),
      ru_maxrss: c("MAXRSS"),
      ru_ixrss: 0,
      ru_idrss: 0,
      ru_isrss: 0,
      ru_minflt: c("MINFLT"),
      ru_majflt: c("MAJFLT"),
      ru_nswap: 0,
      ru_inblock: c("INBLOCK"),
      ru_oublock: c("OUBLOCK"),
      ru_msgsnd: 0,
      ru_msgrcv: 0,
      ru_nsignals: 0,
      ru_nvcsw: c("NVCSW"),
      ru_nivcsw: c("NIVCSW"),
    },
  };
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs /usr/bin/time. Bun gives a child a socket as its stdout, which `-o /dev/stdout`
 * cannot open (ENXIO), so with `realPipe` GNU's stdout is a pipe into cat instead (bash's
 * pipefail keeps GNU's exit status; the shim is preloaded into GNU only).
 */
function runGnu(args: readonly string[], env: Record<string, string>, cwd: string, options: { argv0?: string; realPipe?: boolean } = {}): Outcome {
  const { LD_PRELOAD, ...shimValues } = SHIM_ENV;
  const argv = options.realPipe
    ? ["bash", "-c", 'set -o pipefail; LD_PRELOAD="$SHIM_LIBRARY" "$@" | cat', "bash", GNU_TIME, ...args]
    : [GNU_TIME, ...args];
  const result = Bun.spawnSync(argv, {
    argv0: options.realPipe ? "bash" : (options.argv0 ?? GNU_TIME),
    cwd,
    env: { PATH, LC_ALL: "C", ...shimValues, ...(options.realPipe ? { SHIM_LIBRARY: LD_PRELOAD! } : { LD_PRELOAD: LD_PRELOAD! }), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode ?? -1, stdout: latin1(result.stdout), stderr: latin1(result.stderr) };
}

const GNU_HELP = runGnu(["--help"], {}, tmpdir()).stdout;
const GNU_VERSION = runGnu(["--version"], {}, tmpdir()).stdout;

/** What a run request must make GNU do, on the forced inputs (see the file comment). */
function expectRun(parsed: RunRequest, gnu: Outcome, cwd: string, previous: string | undefined): void {
  const run = forcedRun(parsed.command);
  const report =
    statusLine(run, parsed.format, { quiet: parsed.quiet, portable: parsed.formatIsPortable }) +
    latin1(expandFormatBytes(parsed.format, run, PAGE_SIZE));
  const program = parsed.command[0]!;
  const found = program !== "" && Bun.which(program, { PATH }) !== null;
  // The command's own output, from running it ourselves; or GNU's exec failure (spec §5.1).
  const commandOut = found ? latin1(Bun.spawnSync([...parsed.command], { cwd, env: { PATH } }).stdout) : "";
  const cannotRun = found ? "" : `${GNU_TIME}: cannot run ${program}: No such file or directory\n`;
  expect(gnu.code).toBe(gnuExitStatus(FORCED_STATUS));
  if (parsed.output === undefined) {
    expect(gnu.stderr).toBe(cannotRun + report);
    expect(gnu.stdout).toBe(commandOut);
  } else if (parsed.output.path === "/dev/stdout") {
    expect(gnu.stdout).toBe(commandOut + report);
    expect(gnu.stderr).toBe(cannotRun);
  } else {
    expect(latin1(readFileSync(resolve(cwd, parsed.output.path)))).toBe((parsed.output.append ? previous ?? "" : "") + report);
    expect(gnu.stderr).toBe(cannotRun);
    expect(gnu.stdout).toBe(commandOut);
  }
}

const PREVIOUS = "previous contents\n";

/** Runs one invocation through GNU and parseArgs and checks that they agree; returns ours. */
function compareWithGnu(args: readonly string[], env: Record<string, string> = {}): ParsedArgs {
  const cwd = mkdtempSync(join(tmpdir(), "bun-wait4-args-"));
  try {
    const parsed = parseArgs(GNU_TIME, args, env);
    // A file -o names starts with old contents, to tell truncating from appending.
    const outputFile = parsed.kind === "run" && parsed.output !== undefined && !parsed.output.path.startsWith("/dev/");
    if (outputFile) writeFileSync(resolve(cwd, parsed.output!.path), PREVIOUS);
    const realPipe = parsed.kind === "run" && parsed.output?.path === "/dev/stdout";
    const gnu = runGnu(args, env, cwd, { realPipe });
    switch (parsed.kind) {
      case "usage-error":
        expect(gnu).toEqual({ code: 125, stdout: "", stderr: parsed.message });
        expect(readdirSync(cwd)).toEqual([]); // nothing opened before the check (spec §1.1)
        break;
      case "help":
        expect(gnu).toEqual({ code: 0, stdout: GNU_HELP, stderr: "" });
        break;
      case "version":
        expect(gnu).toEqual({ code: 0, stdout: GNU_VERSION, stderr: "" });
        break;
      case "run":
        expectRun(parsed, gnu, cwd, outputFile ? PREVIOUS : undefined);
        break;
    }
    return parsed;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

const diag = (...lines: string[]) => `${lines.map((l) => `${GNU_TIME}: ${l}\n`).join("")}Try '${GNU_TIME} --help' for more information.\n`;

describe("usage errors: every row of spec §1.4, and getopt's other messages", () => {
  const rows: [args: string[], diagnostic: string][] = [
    [[], "missing program to run"],
    [["--"], "missing program to run"],
    [["-a"], "missing program to run"],
    [["-o", "f"], "missing program to run"], // and f is not created
    [["--format", "x"], "missing program to run"],
    [["-f"], "option requires an argument -- 'f'"],
    [["-o"], "option requires an argument -- 'o'"],
    [["--output"], "option '--output-file' requires an argument"],
    [["--format"], "option '--format' requires an argument"],
    [["-x", "true"], "invalid option -- 'x'"],
    [["-h"], "invalid option -- 'h'"],
    [["-W", "x", "true"], "invalid option -- 'W'"],
    [["-:", "true"], "invalid option -- ':'"],
    [["-+", "true"], "invalid option -- '+'"],
    [["-a-", "true"], "invalid option -- '-'"],
    [["-qx", "true"], "invalid option -- 'x'"],
    [["--foo", "true"], "unrecognized option '--foo'"],
    [["--foo=bar", "true"], "unrecognized option '--foo=bar'"],
    [["---x", "true"], "unrecognized option '---x'"],
    [["--helpx", "true"], "unrecognized option '--helpx'"],
    [["--ver", "true"], "option '--ver' is ambiguous; possibilities: '--verbose' '--version'"],
    [["--v", "true"], "option '--v' is ambiguous; possibilities: '--verbose' '--version'"],
    [["--ve", "true"], "option '--ve' is ambiguous; possibilities: '--verbose' '--version'"],
    [["--ver=x", "true"], "option '--ver=x' is ambiguous; possibilities: '--verbose' '--version'"],
    [["--=x", "true"], "option '--=x' is ambiguous; possibilities: '--append' '--format' '--help' '--output-file' '--portability' '--quiet' '--verbose' '--version'"],
    [["--append=1", "true"], "option '--append' doesn't allow an argument"],
    [["--app=", "true"], "option '--append' doesn't allow an argument"],
    [["--quiet=1", "true"], "option '--quiet' doesn't allow an argument"],
    [["--help=foo"], "option '--help' doesn't allow an argument"],
    [["--vers=1"], "option '--version' doesn't allow an argument"],
    [["-x", "--help"], "invalid option -- 'x'"], // an earlier bad option wins
    [["-q", "--bogus", "-V"], "unrecognized option '--bogus'"],
    [["-f", "%x", "-o"], "option requires an argument -- 'o'"],
  ];
  for (const [args, diagnostic] of rows) {
    test(JSON.stringify(args), () => {
      expect(compareWithGnu(args)).toEqual({ kind: "usage-error", message: diag(diagnostic) });
    });
  }

  test("argv[0] is used as given, in the diagnostic and the Try line", () => {
    const cwd = tmpdir();
    for (const argv0 of ["time", "./mytime", "/x/y/time"]) {
      const gnu = runGnu(["-x"], {}, cwd, { argv0 });
      const parsed = parseArgs(argv0, ["-x"], {});
      expect(parsed).toEqual({ kind: "usage-error", message: `${argv0}: invalid option -- 'x'\nTry '${argv0} --help' for more information.\n` });
      expect(gnu.stderr).toBe(parsed.kind === "usage-error" ? parsed.message : "");
    }
  });

  test("deliberate deviation: a non-ASCII short option is named whole (GNU names its first byte)", () => {
    const gnu = runGnu(["-é", "true"], {}, tmpdir());
    const parsed = parseArgs(GNU_TIME, ["-é", "true"], {});
    expect(parsed).toEqual({ kind: "usage-error", message: diag("invalid option -- 'é'") });
    expect(gnu.code).toBe(125);
    const firstByte = String.fromCharCode(Buffer.from("é")[0]!);
    expect(gnu.stderr).toBe(diag(`invalid option -- '${firstByte}'`));
  });
});

describe("help and version act at once, in order (spec §1.1)", () => {
  for (const args of [["--help"], ["--help", "-x"], ["--he"], ["--h", "true"], ["-q", "--help", "--bogus"]]) {
    test(`help: ${JSON.stringify(args)}`, () => expect(compareWithGnu(args)).toEqual({ kind: "help" }));
  }
  for (const args of [["-V"], ["-V", "--bogus"], ["--version"], ["--vers"], ["-qV", "-x"], ["-V", "--help"]]) {
    test(`version: ${JSON.stringify(args)}`, () => expect(compareWithGnu(args)).toEqual({ kind: "version" }));
  }

  test("the help text is 1.9's with exactly the four 1.10 changes of spec §8.2 and our own bug address, then our extensions", () => {
    const once = (text: string, from: string, to: string) => {
      expect(text.split(from).length, `"${from}" once in 1.9's help`).toBe(2);
      return text.replace(from, to);
    };
    let expected = GNU_HELP;
    for (const letter of ["e", "U", "S"]) expected = once(expected, ` %%${letter}\n`, ` %${letter}\n`);
    expected = once(expected, "  -h,  --help               display", "       --help               display");
    expected = once(
      expected,
      "  %x   exit status of command\n",
      "  %x   exit status of command\n" +
        "  %Tt  exit type (normal/signalled)\n" +
        "  %Tx  numeric exit code IF exited normally\n" +
        "  %Tn  numeric signal code IF signalled\n" +
        "  %Ts  signal name IF signalled\n" +
        "  %To  'ok' IF exited normally with code zero\n",
    );
    expected = once(expected, "NOTE: your shell may have", "Your shell may have");
    // GNU's own addresses are replaced: bugs of this tool are not GNU's to receive.
    expected = once(
      expected,
      "GNU Time website: <https://www.gnu.org/software/time/>\n" +
        "Full documentation at: <https://www.gnu.org/software/time/manual>\n" +
        "E-mail bug reports to: bug-time@gnu.org\n",
      "bun-wait4 is a GNU time work-alike, not GNU time: report its bugs to\n" +
        "<https://github.com/bun-wait4/bun-wait4/issues>, not to the GNU project.\n",
    );
    const ours = helpText(GNU_TIME);
    expect(ours.slice(0, expected.length)).toBe(expected);
    const extensions = ours.slice(expected.length);
    expect(extensions.startsWith("\n")).toBe(true);
    for (const option of ["--json", "--repeat=N", "--warmup=N", "--peak=MODE"]) expect(extensions).toContain(`      ${option} `);
    expect(helpText("./t").startsWith("Usage: ./t [OPTIONS] COMMAND [ARG]...\n")).toBe(true);
  });

  test("the version text has version_etc's shape (spec §9): the last word of line 1 is the version", () => {
    const gnuLines = GNU_VERSION.split("\n");
    const lines = versionText("9.8.7").split("\n");
    expect(lines.length).toBe(gnuLines.length);
    expect(lines.map((l) => l === "")).toEqual(gnuLines.map((l) => l === ""));
    expect(lines[0]).toBe("time (bun-wait4) 9.8.7");
    expect(lines[0]!.split(" ").at(-1)).toBe("9.8.7");
    expect(lines[1]).toBe("Copyright (C) 2026 the bun-wait4 contributors");
    expect(lines[2]).toStartWith("License MIT");
    expect(lines.slice(3, 5)).toEqual(gnuLines.slice(3, 5));
  });
});

describe("accepted invocations: GNU runs the same command and writes the report of the format we chose", () => {
  const rows: [args: string[], env?: Record<string, string>][] = [
    [["true"]],
    [["true"], { TIME: "T=%x" }], // $TIME replaces the default
    [["true"], { TIME: "" }], // even when empty: the report is "\n"
    [["-f", "F=%x", "true"], { TIME: "T=%x" }], // -f beats $TIME
    [["-p", "true"], { TIME: "T=%x" }], // -p beats $TIME, and has no status line
    [["true"], { TIME: PORTABLE_FORMAT }], // the -p text from $TIME is not -p: status line
    [["-f", PORTABLE_FORMAT, "true"]],
    [["-v", "-f", "%x", "true"]], // -v beats -f, before or after
    [["-f", "%x", "-v", "true"]],
    [["-p", "-v", "true"]], // and -p: verbose, with the status line
    [["-v", "true"], { TIME: "T=%x" }],
    [["-p", "-f", "%x", "true"]], // the last of -f / -p wins
    [["-f", "%x", "-p", "true"]],
    [["-f", "%e", "-f", "%x", "true"]],
    [["-pqf%x", "true"]], // clustering, attached argument
    [["-f%x", "true"]],
    [["-fq", "true"]], // format "q"
    [["-f", "-v", "true"]], // an option argument may start with "-"
    [["-qf", "%C", "true", "-f", "x"]], // the command ends option parsing
    [["--form", "%x", "--out=/dev/stdout", "--quiet", "--port", "true"]],
    [["--format=%x", "--output-file=/dev/stdout", "true"]],
    [["--f=%C", "--a", "--q", "true"]], // -a without -o is ignored
    [["-o", "out", "-f", "y", "true"]], // -o truncates
    [["-a", "-o", "out", "-f", "x", "true"]], // -a appends
    [["-o", "out", "-a", "-f", "x", "true"]],
    [["-o", "first", "--output", "out", "true"]], // the last -o wins
    [["--o=out", "--append", "--verb", "true"]],
    [["-o/dev/stdout", "-f", "%C", "echo", "a", "", "b c"]],
    [["-f", "%C", "echo", "--", "-f", "%x"]],
    [["-f", "%x", "--", "-f", "x"]], // `--` is consumed: the command is "-f" (cannot run)
    [["-f", "%x", "--", "--", "true"]], // the command is "--"
    [["-f", "%x", "-"]], // a lone "-" is the command
    [["-f", "%x", ""]], // so is ""
    [["-f", "%C %x", "nonexistent-command-bun-wait4", "arg"]],
    [["-q", "-f", "%x", "true"]],
    [["-v", "true", "x"]],
    [["true", "-f", "x"]],
  ];
  for (const [args, env] of rows) {
    test(`${env === undefined ? "" : `TIME=${JSON.stringify(env.TIME)} `}${JSON.stringify(args)}`, () => {
      expect(compareWithGnu(args, env).kind).toBe("run");
    });
  }

  test("the chosen format and flags are the ones the spec states (spec §1.2)", () => {
    const run = (args: string[], env: Record<string, string> = {}) => {
      const parsed = parseArgs(GNU_TIME, args, env);
      if (parsed.kind !== "run") throw new Error(`not a run: ${JSON.stringify(parsed)}`);
      return parsed;
    };
    expect(run(["-p", "-f", "%x", "true"])).toMatchObject({ format: "%x", formatIsPortable: false });
    expect(run(["-f", "%x", "-p", "true"])).toMatchObject({ format: PORTABLE_FORMAT, formatIsPortable: true });
    expect(run(["-p", "-v", "true"])).toMatchObject({ format: VERBOSE_FORMAT, formatIsPortable: false, verbose: true });
    expect(run(["true"], { TIME: "" })).toMatchObject({ format: "" });
    expect(run(["true"], { TIME: PORTABLE_FORMAT })).toMatchObject({ formatIsPortable: false });
    expect(run(["-a", "true"]).output).toBeUndefined();
    expect(run(["-o", "a", "-o", "b", "-a", "true"]).output).toEqual({ path: "b", append: true });
    expect(run(["--", "-f", "x"]).command).toEqual(["-f", "x"]);
    expect(run(["-qf%x", "a", "-v"])).toMatchObject({ command: ["a", "-v"], quiet: true, verbose: false, format: "%x" });
  });
});

describe("our extensions change what no GNU word means", () => {
  const gnuNames = ["append", "format", "help", "output-file", "portability", "quiet", "verbose", "version"];
  const ourNames = ["json", "repeat", "warmup", "peak"];

  test("every prefix of every long name (GNU's and ours, but ours in full) means what it means to GNU", () => {
    let compared = 0;
    for (const name of [...gnuNames, ...ourNames]) {
      for (let n = 1; n <= name.length; n++) {
        const prefix = name.slice(0, n);
        if (ourNames.includes(prefix)) continue; // the four words GNU rejects and we accept: below
        compareWithGnu([`--${prefix}`, "true", "true"]);
        compared++;
      }
    }
    expect(compared).toBe(57 + 20 - 4);
  });

  test("our four full names are the only words GNU rejects that we accept", () => {
    const cases: [args: string[], expected: Partial<RunRequest>][] = [
      [["--json", "true"], { json: true }],
      [["--repeat", "2", "true"], { repeat: 2 }],
      [["--warmup=0", "true"], { warmup: 0 }],
      [["--peak", "plain", "true"], { peak: "plain" }],
    ];
    for (const [args, expected] of cases) {
      const gnu = runGnu(args, {}, tmpdir());
      const name = args[0]!.replace(/=.*/, "");
      expect(gnu).toEqual({ code: 125, stdout: "", stderr: diag(`unrecognized option '${args[0]}'`) });
      expect(name.length).toBeGreaterThan(2);
      expect(parseArgs(GNU_TIME, args, {})).toMatchObject({ kind: "run", command: ["true"], ...expected });
    }
  });
});

describe("extension values are validated like getopt's errors (exit 125, the Try line)", () => {
  const parse = (...args: string[]) => parseArgs(GNU_TIME, args, {});

  test("defaults, both value forms, the last one wins, and they may mix with GNU options", () => {
    expect(parse("true")).toMatchObject({ json: false, repeat: 1, warmup: 0, peak: "auto" });
    expect(parse("--repeat=3", "--warmup", "2", "--peak", "own", "--json", "-f", "%x", "true")).toEqual({
      kind: "run",
      command: ["true"],
      format: "%x",
      formatIsPortable: false,
      quiet: false,
      verbose: false,
      json: true,
      repeat: 3,
      warmup: 2,
      peak: "own",
    });
    expect(parse("--repeat", "5", "--repeat=007", "true")).toMatchObject({ repeat: 7 });
    expect(parse("--peak=auto", "--peak=plain", "true")).toMatchObject({ peak: "plain" });
    expect(parse("true", "--json")).toMatchObject({ json: false, command: ["true", "--json"] });
  });

  test("bad values", () => {
    const bad: [args: string[], diagnostic: string][] = [
      [["--repeat", "0", "true"], "invalid argument '0' for '--repeat': expected an integer >= 1"],
      [["--repeat", "x", "true"], "invalid argument 'x' for '--repeat': expected an integer >= 1"],
      [["--repeat=", "true"], "invalid argument '' for '--repeat': expected an integer >= 1"],
      [["--repeat", "1.5", "true"], "invalid argument '1.5' for '--repeat': expected an integer >= 1"],
      [["--repeat", "+2", "true"], "invalid argument '+2' for '--repeat': expected an integer >= 1"],
      [["--repeat", " 2", "true"], "invalid argument ' 2' for '--repeat': expected an integer >= 1"],
      [["--repeat", "99999999999999999999", "true"], "invalid argument '99999999999999999999' for '--repeat': expected an integer >= 1"],
      [["--warmup", "-1", "true"], "invalid argument '-1' for '--warmup': expected an integer >= 0"],
      [["--warmup=1e3", "true"], "invalid argument '1e3' for '--warmup': expected an integer >= 0"],
      [["--peak=bogus", "true"], "invalid argument 'bogus' for '--peak': expected 'own', 'plain' or 'auto'"],
      [["--peak", "OWN", "true"], "invalid argument 'OWN' for '--peak': expected 'own', 'plain' or 'auto'"],
      [["--repeat"], "option '--repeat' requires an argument"],
      [["--peak"], "option '--peak' requires an argument"],
      [["--json=1", "true"], "option '--json' doesn't allow an argument"],
      [["--repeat", "0", "--help"], "invalid argument '0' for '--repeat': expected an integer >= 1"], // in order
    ];
    for (const [args, diagnostic] of bad) expect(parse(...args), JSON.stringify(args)).toEqual({ kind: "usage-error", message: diag(diagnostic) });
    expect(parse("--help", "--repeat", "0")).toEqual({ kind: "help" });
    expect(parse("--repeat", "0")).toMatchObject({ kind: "usage-error" }); // a bad value before the missing program
  });
});
