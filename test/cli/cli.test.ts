// The command-line tool, run as a user runs it, checked against the shell's own
// conventions and against GNU time measuring the same commands.
import { expect, test } from "bun:test";
import { constants } from "node:os";
import { readFileSync } from "node:fs";
import { RUSAGE_FIELDS } from "../../src/index.ts";
import { underEmulation } from "../helpers/emulation.ts";

const CLI = `${import.meta.dir}/../../src/cli/main.ts`;

function runCli(args: string[]) {
  const result = Bun.spawnSync([process.execPath, CLI, ...args], { stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

function runJson(command: string[]) {
  const { code, stdout, stderr } = runCli(["--json", ...command]);
  return { code, stdout, report: JSON.parse(stderr) as Record<string, unknown> & { rusage: Record<string, number> } };
}

/** What the shell itself reports as `$?` for the same command. */
function shellStatus(script: string): number {
  return Number(Bun.spawnSync(["sh", "-c", `sh -c '${script}'; echo $?`]).stdout.toString().trim());
}

test("exit codes pass through as the shell reports them", () => {
  for (const n of [0, 1, 3, 255]) {
    const script = `exit ${n}`;
    const { code, report } = runJson(["sh", "-c", script]);
    expect(code).toBe(shellStatus(script));
    expect(report.state).toEqual({ kind: "exited", code: n });
  }
});

test("a death by signal exits 128 + signal, like the shell, and names the signal", () => {
  const script = "kill -TERM $$";
  const { code, report } = runJson(["sh", "-c", script]);
  expect(code).toBe(shellStatus(script));
  expect(report.state).toMatchObject({ kind: "signaled", signal: 15, signalName: "SIGTERM" });
  const human = runCli(["sh", "-c", "kill -KILL $$"]);
  expect(human.code).toBe(137);
  expect(human.stderr).toContain("ended: killed by signal 9 (SIGKILL)");
});

test("the command's stdout is left alone and the report goes to stderr", () => {
  const { code, stdout, stderr } = runCli(["sh", "-c", "echo from-the-command"]);
  expect(code).toBe(0);
  expect(stdout).toBe("from-the-command\n");
  for (const field of RUSAGE_FIELDS) expect(stderr).toContain(`(${field}):`);
});

test("a command that does not exist exits 127 with the reason, as sh does", () => {
  const { code, stderr } = runCli(["no-such-command-bun-wait4"]);
  const shell = Bun.spawnSync(["sh", "-c", "no-such-command-bun-wait4"]);
  expect(code).toBe(shell.exitCode);
  expect(stderr).toContain("ENOENT");
});

test("usage errors exit 2 and explain", () => {
  expect(runCli([]).code).toBe(2);
  expect(runCli(["--bogus", "true"]).stderr).toContain("unknown option --bogus");
  expect(runCli(["--help"]).code).toBe(0);
});

/**
 * GNU time's view of the same command: user s, system s, max RSS KiB, exit status.
 * Started from a small shell, since GNU time's own figure also counts its parent's peak.
 */
function gnuTime(command: string[]) {
  const result = Bun.spawnSync(["sh", "-c", 'exec /usr/bin/time -f "%U %S %M %x" "$@"', "sh", ...command], {
    stderr: "pipe",
  });
  const last = result.stderr.toString().trim().split("\n").at(-1)!;
  const [user, system, maxrss, exit] = last.split(" ").map(Number) as [number, number, number, number];
  return { cpu: user + system, maxrss, exit };
}

test("CPU time agrees with GNU time for the same CPU-bound command", () => {
  const burn = ["python3", "-c", "import time\nt=time.process_time()\nwhile time.process_time()-t < 0.4: pass"];
  const ours = runJson(burn).report.rusage;
  const theirs = gnuTime(burn);
  const cpu = ours.ru_utime! + ours.ru_stime!;
  expect(cpu).toBeGreaterThanOrEqual(0.4);
  expect(theirs.cpu).toBeGreaterThanOrEqual(0.38); // GNU time prints 2 decimals
  expect(Math.abs(cpu - theirs.cpu)).toBeLessThan(0.25);
});

// qemu-user refuses PR_SET_CHILD_SUBREAPER, so there the tool spawns directly and must
// say that ru_maxrss includes its own peak; everywhere else the peak must be the command's.
const ownPeakExpected = !underEmulation();

test("peak memory of a command that touches 128 MiB matches GNU time's to within 2 MiB", () => {
  const alloc = ["python3", "-c", "b = bytearray(128 * 1024 * 1024)"];
  const ours = runJson(alloc).report;
  const theirs = gnuTime(alloc);
  expect(ours.maxrssUnit).toBe("KiB");
  expect(ours.rusage.ru_maxrss!).toBeGreaterThanOrEqual(128 * 1024);
  if (ownPeakExpected || !ours.maxrssIncludesParent) {
    expect(ours.maxrssIncludesParent).toBe(false);
    expect(Math.abs(ours.rusage.ru_maxrss! - theirs.maxrss)).toBeLessThan(2048);
  }
});

test("peak memory of a tiny command is its own, not the Bun parent's (docs/DESIGN.md §6)", () => {
  const { report } = runJson(["true"]);
  if (!ownPeakExpected && report.maxrssIncludesParent) {
    expect(runCli(["true"]).stderr).toContain("note: ru_maxrss includes this tool's own peak");
    return;
  }
  expect(report.maxrssIncludesParent).toBe(false);
  const theirs = gnuTime(["true"]);
  // A Bun process is tens of MiB; a child spawned straight from it would report that.
  const bunPeak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]);
  expect(bunPeak).toBeGreaterThan(20 * 1024);
  expect(report.rusage.ru_maxrss!).toBeLessThan(8 * 1024);
  expect(Math.abs(report.rusage.ru_maxrss! - theirs.maxrss)).toBeLessThan(4096);
});

test("the command gets the environment exactly, and default SIGPIPE/SIGXFSZ", () => {
  // `sh` would add PWD and drop DOTTED.NAME; the command must see exactly what we pass.
  const env = { PATH: process.env.PATH!, "DOTTED.NAME": "kept", PLAIN: "a b=c" };
  const printed = Bun.spawnSync([process.execPath, CLI, "/usr/bin/env"], { env, stderr: "pipe" }).stdout.toString();
  expect(printed.trim().split("\n").sort()).toEqual(Object.entries(env).map(([k, v]) => `${k}=${v}`).sort());
  // Bun itself ignores SIGPIPE and SIGXFSZ; the command must not inherit that.
  const bunIgnored = BigInt(`0x${/SigIgn:\s+(\w+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]}`);
  const status = Bun.spawnSync([process.execPath, CLI, "grep", "SigIgn", "/proc/self/status"], { stderr: "pipe" });
  const childIgnored = BigInt(`0x${/SigIgn:\s+(\w+)/.exec(status.stdout.toString())![1]}`);
  const bit = (signal: number) => 1n << BigInt(signal - 1);
  const pipeAndFsize = bit(constants.signals.SIGPIPE) | bit(constants.signals.SIGXFSZ);
  expect(bunIgnored & pipeAndFsize).toBe(pipeAndFsize);
  expect(childIgnored & pipeAndFsize).toBe(0n);
});

test("counts read as English: singular for exactly 1, plural otherwise, for every unit", () => {
  const { stderr } = runCli(["sh", "-c", "exit 0"]);
  const rows = stderr.split("\n").filter((line) => / \(ru_\w+\): /.test(line));
  expect(rows.length).toBe(RUSAGE_FIELDS.length);
  const plural: Record<string, string> = { fault: "faults", swap: "swaps", operation: "operations", message: "messages", signal: "signals", switch: "switches", "KiB·tick": "KiB·ticks" };
  const singular = Object.fromEntries(Object.entries(plural).map(([one, many]) => [many, one]));
  for (const row of rows) {
    const [, value, unit] = / \(ru_\w+\): ([\d.,]+) (\S+)$/.exec(row)!;
    if (unit === "s" || unit === "KiB" || unit === "bytes") continue;
    const n = Number(value!.replaceAll(",", ""));
    if (n === 1) expect(plural[unit!], row).toBeDefined();
    else expect(singular[unit!], row).toBeDefined();
  }
  // and the forms themselves, for the counts a short run really gives (0 signals, 1+ switches)
  expect(stderr).toMatch(/signals received \(ru_nsignals\): 0 signals\n/);
  expect(stderr).not.toContain(" 1 switches");
});
