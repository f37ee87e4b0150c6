/**
 * The command-line tool, run as a user runs it, next to the real GNU time (/usr/bin/time, 1.9)
 * on the same commands: exit statuses, status lines, the default, -p and -v reports (every
 * label), -f specifiers (text exactly, numbers within tolerance), TIME, -o/-a/-q, and the
 * command's own peak memory; then what GNU time lacks: --json, --repeat, --warmup.
 * (The format interpreter itself is compared byte for byte in format.test.ts.)
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/index.ts";
import { repeatText } from "../../src/cli/report.ts";
import { handoffShell } from "../../src/run/handoff.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { CLI } from "../helpers/live.ts";
import { ownPeakBytes } from "../helpers/procfs.ts";

/** A command that dies of SIGTERM by its own hand whatever /bin/sh is (mksh catches SIGTERM and exits 143). */
const TERM_SELF = "import os, signal; os.kill(os.getpid(), signal.SIGTERM)";
const dir = mkdtempSync(join(tmpdir(), "bun-wait4-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ours(args: string[], env: Record<string, string | undefined> = process.env): Ran {
  const r = Bun.spawnSync([process.execPath, CLI, ...args], { stdout: "pipe", stderr: "pipe", env, cwd: dir });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** GNU time started from a small shell (its own %M then starts small too, as ours does). */
function gnu(args: string[], env: Record<string, string | undefined> = process.env): Ran {
  const r = Bun.spawnSync(["sh", "-c", 'exec /usr/bin/time "$@"', "sh", ...args], { stdout: "pipe", stderr: "pipe", env, cwd: dir });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString().replaceAll("/usr/bin/time", "bun-wait4") };
}

/** The report with every number replaced by N (and "?%" by "N%"), to compare shapes. */
const shape = (text: string) => text.replace(/\?%/g, "N%").replace(/\d+/g, "N");

const noexec = join(dir, "not-executable.sh");
writeFileSync(noexec, "#!/bin/sh\nexit 0\n");
chmodSync(noexec, 0o644);

describe("exit statuses and status lines, as GNU time's", () => {
  const commands: [label: string, args: string[]][] = [
    ["exit 0", ["sh", "-c", "exit 0"]],
    ["exit 1", ["sh", "-c", "exit 1"]],
    ["exit 3", ["sh", "-c", "exit 3"]],
    ["exit 255", ["sh", "-c", "exit 255"]],
    ["SIGKILL", ["sh", "-c", "kill -KILL $$"]],
    ["SIGTERM", ["sh", "-c", "kill -TERM $$"]],
    ["SIGSEGV", ["sh", "-c", "kill -SEGV $$"]],
    ["not found", ["no-such-command-bun-wait4"]],
    ["not executable", [noexec]],
    ["usage: no command", []],
    ["usage: unknown option", ["-x", "true"]],
  ];
  for (const [label, args] of commands) {
    test(`${label}: same exit status and same stderr shape`, () => {
      const a = ours(args);
      const b = gnu(args);
      expect(a.code).toBe(b.code);
      expect(shape(a.stderr)).toBe(shape(b.stderr));
      expect(a.stdout).toBe(b.stdout);
    });
  }
});

describe("the built-in formats", () => {
  test("-p: real/user/sys, no status line, as GNU", () => {
    for (const args of [["-p", "true"], ["-p", "sh", "-c", "exit 2"], ["-p", "sh", "-c", "kill -9 $$"]]) {
      const a = ours(args);
      const b = gnu(args);
      expect(a.code).toBe(b.code);
      expect(shape(a.stderr)).toBe(shape(b.stderr));
    }
  });

  test("-v: every one of the 23 lines, labels and order exactly as GNU's, and the status line first", () => {
    const a = ours(["-v", "sh", "-c", "exit 7"]);
    const b = gnu(["-v", "sh", "-c", "exit 7"]);
    const labels = (t: string) => t.split("\n").map((l) => l.replace(/: .*$/, ":"));
    expect(labels(a.stderr)).toEqual(labels(b.stderr));
    expect(a.stderr.split("\n").length).toBe(b.stderr.split("\n").length);
    expect(a.stderr).toStartWith("Command exited with non-zero status 7\n\tCommand being timed: \"sh -c exit 7\"\n");
    expect(a.stderr).toContain("\tExit status: 7\n");
    expect(a.stderr).toContain(`\tPage size (bytes): ${/Page size \(bytes\): (\d+)/.exec(b.stderr)![1]}\n`);
  });
});

describe("-f specifiers against GNU time on the same command", () => {
  const burn = ["python3", "-c", "import time\nt=time.process_time()\nwhile time.process_time()-t < 0.3: pass\nb=bytearray(60*1024*1024)"];
  const format = "%%|%C|%x|%Z|%e|%E|%U|%S|%P|%M|%X|%D|%p|%K|%t|%F|%R|%W|%c|%w|%I|%O|%r|%s|%k";
  const a = ours(["-f", format, ...burn]);
  const b = gnu(["-f", format, ...burn]);
  const fa = a.stderr.trim().split("|");
  const fb = b.stderr.trim().split("|");
  const at = (spec: string) => format.split("|").indexOf(spec);

  test("the text ones are equal: %%, %C, %x, %Z and the averages Linux leaves at 0", () => {
    for (const spec of ["%%", "%C", "%x", "%Z", "%X", "%D", "%p", "%K", "%t", "%W", "%r", "%s", "%k"]) expect(fa[at(spec)], spec).toBe(fb[at(spec)]!);
  });

  // CPU times of a CPU-bound command are its own whatever the machine's load; wall time is not
  // (two runs on a shared machine can differ by far more than any tolerance), so %e and %P are
  // checked against this run's own CPU time, as GNU computes them.
  test("CPU times agree within 0.25 s; %e, %E and %P agree with this run's own figures", () => {
    // The command's CPU time is what it burns (0.3 s, timed by itself) plus its 60 MiB of page
    // faults, whose system time grows with the machine's load (0.18 s apart once, on a bare
    // machine with downloads beside it); how the kernel splits it into user and system varies more.
    const total = (f: string[]) => Number(f[at("%U")]) + Number(f[at("%S")]);
    expect(Math.abs(total(fa) - total(fb))).toBeLessThan(0.25);
    for (const spec of ["%U", "%S"]) expect(Math.abs(Number(fa[at(spec)]) - Number(fb[at(spec)])), spec).toBeLessThan(0.25);
    const cpu = Number(fa[at("%U")]) + Number(fa[at("%S")]);
    const wall = Number(fa[at("%e")]);
    expect(wall).toBeGreaterThanOrEqual(cpu - 0.02); // one thread: never more CPU than wall time (hundredths truncated)
    expect(fa[at("%E")]).toMatch(/^\d+:\d\d\.\d\d$/);
    const [minutes, seconds] = fa[at("%E")]!.split(":").map(Number) as [number, number];
    expect(Math.abs(minutes * 60 + seconds - wall)).toBeLessThan(0.011);
    expect(Math.abs(Number(fa[at("%P")]!.replace("%", "")) - (100 * cpu) / wall)).toBeLessThan(6); // both from hundredths
  });

  test("peak memory of a 60 MiB program agrees within 10% (its own peak, not this tool's)", () => {
    const mine = Number(fa[at("%M")]);
    const theirs = Number(fb[at("%M")]);
    if (underEmulation()) {
      expect(mine).toBeGreaterThanOrEqual(theirs * 0.9); // qemu-user: started directly, our peak folded in
      return;
    }
    expect(Math.abs(mine - theirs) / theirs).toBeLessThan(0.1);
  });

  test("page faults, context switches and block counts are the command's (within tolerance)", () => {
    const near = (spec: string, slack: number) => expect(Math.abs(Number(fa[at(spec)]) - Number(fb[at(spec)])), spec).toBeLessThan(slack);
    near("%R", Math.max(500, Number(fb[at("%R")]) * 0.2)); // minor faults: ~15,000 for 60 MiB
    near("%F", 50);
    // Involuntary switches are the scheduler's doing: on a loaded machine a CPU-bound command
    // is preempted far more often than on an idle one, so two runs cannot be held to a margin.
    // The tick allows one per millisecond of CPU; other tasks' wake-ups preempt it besides (662
    // for 0.52 s of CPU once, under load), so the bound is twice that.
    const cpuMs = (Number(fa[at("%U")]) + Number(fa[at("%S")])) * 1000;
    expect(Number(fa[at("%c")])).toBeLessThan(2 * cpuMs + 100);
    near("%w", 200);
  });
});

describe("format selection, output and quiet, as GNU", () => {
  test("TIME sets the format; -f wins over it; -v wins over both; TIME='' prints a lone newline", () => {
    const env = { ...process.env, TIME: "T=%x" };
    for (const args of [["false"], ["-f", "F=%x", "false"], ["-v", "-f", "%x", "false"]]) {
      expect(shape(ours(args, env).stderr)).toBe(shape(gnu(args, env).stderr));
    }
    expect(ours(["true"], { ...process.env, TIME: "" }).stderr).toBe("\n");
  });

  test("-o writes the report (status line included) to the file and nothing to stderr; -a appends", () => {
    const out = join(dir, "report.txt");
    const a = ours(["-o", out, "-f", "X=%x", "sh", "-c", "exit 4"]);
    expect(a.code).toBe(4);
    expect(a.stderr).toBe("");
    expect(readFileSync(out, "utf8")).toBe("Command exited with non-zero status 4\nX=4\n");
    ours(["-a", "-o", out, "-f", "Y=%x", "true"]);
    expect(readFileSync(out, "utf8")).toBe("Command exited with non-zero status 4\nX=4\nY=0\n");
    ours(["-o", out, "-f", "Z=%x", "true"]);
    expect(readFileSync(out, "utf8")).toBe("Z=0\n");
  });

  test("the report file is not open in the command", () => {
    const out = join(dir, "not-in-child.txt");
    const listing = Bun.spawnSync([process.execPath, CLI, "-o", out, "ls", "-l", "/proc/self/fd"], { stdout: "pipe", cwd: dir }).stdout.toString();
    expect(listing).toContain("/proc/"); // ls did run and list its descriptors
    expect(listing).not.toContain(out);
  });

  test("an -o file that cannot be opened: GNU's message and exit 125, command not run", () => {
    const args = ["-o", join(dir, "no", "such", "dir", "x"), "true"];
    const a = ours(args);
    const b = gnu(args);
    expect(a.code).toBe(125);
    expect(a.code).toBe(b.code);
    expect(a.stderr).toBe(b.stderr.replace(/^bun-wait4: /, "bun-wait4: "));
  });

  test("-q drops the status line and nothing else", () => {
    const a = ours(["-q", "sh", "-c", "exit 5"]);
    expect(a.code).toBe(5);
    expect(shape(a.stderr)).toBe(shape(gnu(["-q", "sh", "-c", "exit 5"]).stderr));
    expect(a.stderr).not.toContain("Command exited");
  });

  test("--help and --version go to stdout and exit 0", () => {
    expect(ours(["--help"])).toMatchObject({ code: 0, stderr: "" });
    expect(ours(["--help"]).stdout).toStartWith("Usage: bun-wait4 [OPTIONS] COMMAND [ARG]...\n");
    const version = ours(["--version"]);
    expect(version.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "package.json"), "utf8")) as { version: string };
    expect(version.stdout.split("\n")[0]!.split(" ").at(-1)).toBe(manifest.version);
  });
});

describe("the command's own peak memory, next to GNU time's", () => {
  test("true: within 10% of GNU time's %M (or of the hand-off shell's own size, where that is larger), far below this tool's own peak", async () => {
    // Medians of 5: GNU's own figure for `true` moves by ~7% from run to run.
    const median = (f: () => number) => Array.from({ length: 5 }, f).sort((x, y) => x - y)[2]!;
    const mine = median(() => Number(ours(["-f", "%M", "true"]).stderr.trim()));
    const theirs = median(() => Number(gnu(["-f", "%M", "true"]).stderr.trim()));
    if (underEmulation()) return void expect(mine).toBeGreaterThan(0); // qemu-user refuses the hand-off
    const bunPeak = ownPeakBytes() / 1024;
    expect(bunPeak).toBeGreaterThan(20 * 1024);
    // The command is forked from the hand-off shell, so its figure never starts below that
    // shell's size (docs/DESIGN.md §6): GNU time's figure for the shell running `true`, and
    // for env running it where the shell sets the environment through env -i.
    const handoff = await handoffShell();
    if (typeof handoff === "string") throw new Error(handoff);
    // The shell run as `sh` (a link so named), as the hand-off runs it: busybox answers to its name.
    const sh = join(mkdtempSync(join(dir, "shell-")), "sh");
    symlinkSync(handoff.shell, sh);
    const floors = [theirs, median(() => Number(gnu(["-f", "%M", sh, "-c", ":"]).stderr.trim()))];
    if (handoff.route === "env") floors.push(median(() => Number(gnu(["-f", "%M", "/usr/bin/env", "true"]).stderr.trim())));
    // `SHELL -c :` is that shell's figure as GNU time shows it; a forked spare starts smaller
    // still, so the band is GNU's own figure for `true` up to the larger of the two.
    expect(mine).toBeGreaterThan(theirs * 0.9);
    expect(mine).toBeLessThan(Math.max(...floors) * 1.1);
  });

  test("--json says whether the peak is the command's own", () => {
    const report = JSON.parse(ours(["--json", "true"]).stderr);
    expect(report.peakRssIsOwn).toBe(!underEmulation());
    expect(report.peakRssBytes).toBe(report.rusage.ru_maxrss * 1024);
  });
});

describe("the command gets what a shell would give it", () => {
  test("the environment exactly, names dash would drop included", () => {
    const env = { PATH: process.env.PATH!, "DOTTED.NAME": "kept", PLAIN: "a b=c", EMPTY: "" };
    const printed = Bun.spawnSync([process.execPath, CLI, "/usr/bin/env"], { env, stderr: "pipe" }).stdout.toString();
    expect(printed.trim().split("\n").sort()).toEqual(Object.entries(env).map(([k, v]) => `${k}=${v}`).sort());
  });

  test("every standard signal at its default: none ignored (Bun ignores SIGPIPE and SIGXFSZ), handled or blocked", () => {
    const status = ours(["cat", "/proc/self/status"]).stdout; // cat installs no handler of its own (grep does: SIGSEGV)
    // Signals 1-31. (glibc's posix_spawn leaves its own two real-time signals, 32 and 33,
    // ignored in every child it starts — CPython's os.posix_spawn children show the same —
    // and the shell of the hand-off is started with it; glibc programs re-arm them at start.)
    const STANDARD = (1n << 31n) - 1n;
    for (const field of ["SigIgn", "SigCgt", "SigBlk"]) {
      expect(BigInt(`0x${new RegExp(`${field}:\\s+(\\w+)`).exec(status)![1]}`) & STANDARD, field).toBe(0n);
    }
    expect(status).toContain("SigIgn:");
  });

  test("argv untouched: spaces, quotes, $, newlines, a leading -, empty strings, non-ASCII", () => {
    const args = ["a b", "'q'", '"dq"', "$HOME", "line\nbreak", "-n", "", "ünï ✓"];
    const out = ours(["python3", "-c", "import sys, json; print(json.dumps(sys.argv[1:]))", ...args]).stdout;
    expect(JSON.parse(out)).toEqual(args);
  });
});

describe("beyond GNU time: --json, --repeat, --warmup", () => {
  test("--json: one object with every figure", () => {
    const a = ours(["--json", "python3", "-c", TERM_SELF]);
    expect(a.code).toBe(128 + constants.signals.SIGTERM);
    const r = JSON.parse(a.stderr);
    expect(r).toMatchObject({ command: ["python3", "-c", TERM_SELF], exitCode: null, signal: constants.signals.SIGTERM, signalName: "SIGTERM", shellExitCode: 143 });
    for (const key of ["wallSeconds", "userSeconds", "systemSeconds", "peakRssBytes"]) expect(typeof r[key]).toBe("number");
  });

  test("--repeat 4 --warmup 1 --json: every run's figures and status, failed runs named, and the summary", () => {
    const marker = join(dir, "marker");
    // fails on its second timed run only (the warm-up is run 0)
    const script = `n=$(cat ${marker} 2>/dev/null || echo 0); echo $((n+1)) > ${marker}; [ $n -ne 2 ]`;
    const a = ours(["--repeat", "4", "--warmup", "1", "--json", "sh", "-c", script]);
    const r = JSON.parse(a.stderr);
    expect(r.runs.length).toBe(4);
    expect(r.warmup).toBe(1);
    expect(r.failed).toEqual([{ run: 2, exitCode: 1, signalName: null }]);
    expect(a.code).toBe(1);
    for (const figure of ["wallSeconds", "userSeconds", "systemSeconds", "peakRssBytes"]) {
      const s = r.summary[figure];
      const values = r.runs.map((run: Record<string, number>) => run[figure]).sort((x: number, y: number) => x - y);
      expect(s.min).toBe(values[0]);
      expect(s.max).toBe(values[3]);
      expect(s.median).toBeCloseTo((values[1] + values[2]) / 2, 12);
    }
  });

  test("--repeat without --json: min, median, mean ± σ and max of wall, user, sys and peak memory", () => {
    const a = ours(["--repeat", "3", "true"]);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain("3 runs, all exited 0");
    for (const label of ["Wall:", "User:", "System:", "Peak RSS:"]) expect(a.stderr).toMatch(new RegExp(`${label}.*\\(mean ± σ\\).*median.*min … max`));
    expect(ours(["--repeat", "1", "--warmup", "1", "--json", "true"]).stderr).toContain('"warmup": 1');
  });

  test("--repeat/--warmup counts: '1 warm-up run' and '1 run' in the singular where 2 or 3 are plural", async () => {
    const line = (a: Ran) => a.stderr.split("\n")[1];
    expect(line(ours(["--repeat", "2", "--warmup", "1", "true"]))).toBe("2 runs after 1 warm-up run, all exited 0");
    expect(line(ours(["--repeat", "3", "--warmup", "2", "true"]))).toBe("3 runs after 2 warm-up runs, all exited 0");
    expect(line(ours(["--repeat", "2", "sh", "-c", "exit 1"]))).toBe("2 runs; 2 failed: run 1 exited 1, run 2 exited 1");
    // The CLI prints the summary only for --repeat ≥ 2 (--repeat 1 is GNU's own report), so one run is checked on the report itself.
    const once = [await run(["true"])];
    expect(repeatText(["true"], 1, once).split("\n")[1]).toBe("1 run after 1 warm-up run, all exited 0");
    expect(repeatText(["true"], 0, once).split("\n")[1]).toBe("1 run, all exited 0");
    const a = ours(["--repeat", "1", "--warmup", "1", "true"]);
    expect(a.code).toBe(0);
    expect(shape(a.stderr)).toBe(shape(ours(["true"]).stderr));
  });
});
