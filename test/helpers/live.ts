/**
 * Shared by the live-child tests and their fixture scripts: spawning and always reaping our
 * own children, and running Bun fixture scripts as subprocesses. Imports nothing from
 * bun:test, so fixture scripts (plain `bun` processes) can use it too.
 *
 * Nothing here ever waits on -1, 0 or a process group: those waits live only in fixture
 * scripts that run as their own `bun` process.
 */
import { closeSync, constants as fsConstants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posix_spawn, posix_spawnp, POSIX_SPAWN_OPEN, waitpid, WNOHANG, type SpawnOptions } from "../../src/index.ts";
import { outcomeOf } from "./bad-values.ts";

/** Directory of the fixture scripts (test/fixtures: scripts that run as their own process). */
export const FIXTURES = join(import.meta.dir, "..", "fixtures");

/** The command-line tool's source entry (`bun CLI …` runs it as `bun-wait4`). */
export const CLI = join(import.meta.dir, "..", "..", "src", "cli", "main.ts");

/** Starts `sh -c script` (extra args become $1…) with posix_spawnp; the caller must reap it. */
export function spawnSh(script: string, args: readonly string[] = [], options?: SpawnOptions): number {
  return posix_spawnp("sh", ["sh", "-c", script, "sh", ...args], process.env, options);
}

/** Waits for exactly `pid` (blocking) and returns its raw status; throws if another pid came back. */
export function reap(pid: number): number {
  const [got, status] = waitpid(pid, 0);
  if (got !== pid) throw new Error(`waitpid(${pid}) returned pid ${got}`);
  return status;
}

/**
 * Makes sure `pid` (a child of ours) is gone: if it has not been reaped yet it is still
 * ours (its pid cannot have been reused), so SIGKILL it and reap it. ECHILD means a test
 * already reaped it. Use in `finally` so a failed assertion leaves no zombie or sleeper.
 */
export function killAndReap(pid: number): void {
  try {
    const [done] = waitpid(pid, WNOHANG);
    if (done !== 0) return;
    process.kill(pid, "SIGKILL");
    waitpid(pid, 0);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ECHILD") throw error;
  }
}

/** What a fixture script run by `runBunFixture` did. */
export interface FixtureRun {
  exitCode: number | null;
  signalCode: string | null;
  stdout: string;
  stderr: string;
}

/** Runs `bun test/fixtures/<name>` as a separate process (so its waits cannot touch ours). */
export function runBunFixture(name: string, args: readonly string[] = []): FixtureRun {
  const result = Bun.spawnSync([process.execPath, join(FIXTURES, name), ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: process.env,
  });
  return {
    exitCode: result.exitCode,
    signalCode: result.signalCode == null ? null : String(result.signalCode),
    stdout: result.stdout.toString(),
    stderr: result.stderr.toString(),
  };
}

/**
 * Runs `argv` (the program at `path`) with stdin on /dev/null and stdout and stderr in files,
 * and polls for its end, so a hang fails the caller after `limitMs` (the child SIGKILLed and
 * reaped) instead of blocking the test runner.
 */
export function runCaptured(path: string, argv: readonly string[], limitMs: number): { status: number; stdout: string; stderr: string } {
  const { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } = fsConstants;
  const dir = mkdtempSync(join(tmpdir(), "bun-wait4-captured-"));
  try {
    const stdout = join(dir, "stdout");
    const stderr = join(dir, "stderr");
    const pid = posix_spawn(path, argv, null, {
      file_actions: [
        [POSIX_SPAWN_OPEN, 0, "/dev/null", O_RDONLY, 0],
        [POSIX_SPAWN_OPEN, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600],
        [POSIX_SPAWN_OPEN, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600],
      ],
    });
    const deadline = Date.now() + limitMs;
    let result: [number, number];
    while ((result = waitpid(pid, WNOHANG))[0] === 0) {
      if (Date.now() > deadline) {
        killAndReap(pid);
        throw new Error(`${argv.join(" ")} did not finish within ${limitMs} ms`);
      }
      Bun.sleepSync(10);
    }
    return { status: result[1], stdout: readFileSync(stdout, "utf8"), stderr: readFileSync(stderr, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One call `kernelAnswers` makes; `returnsFd`: a descriptor it returns is closed. */
export interface KernelCall {
  call: (child: number) => unknown;
  returnsFd?: boolean;
}

/**
 * Makes each call with a sleeping child of ours as `child`, and reports what each did as
 * CPython's side of a comparison writes it (helpers/python.ts `cpythonAnswers`): "ok", the
 * SystemError's code ("EINVAL"), or the error's name and code for anything else; and whether
 * the child was still running and unreaped after every call. The child is killed and reaped.
 */
export function kernelAnswers(calls: readonly KernelCall[]): { answers: string[]; untouched: boolean } {
  const sleeper = posix_spawnp("sleep", ["sleep", "30"], null);
  const answers: string[] = [];
  let untouched = true;
  try {
    for (const { call, returnsFd } of calls) {
      const outcome = outcomeOf(() => call(sleeper));
      if (!outcome.threw) {
        if (returnsFd === true && /^\d+$/.test(outcome.returned)) closeSync(Number(outcome.returned));
        answers.push("ok");
      } else answers.push(outcome.name === "SystemError" ? String(outcome.code) : `${outcome.name} ${String(outcome.code)}`);
      const [pid, status] = waitpid(sleeper, WNOHANG);
      if (pid !== 0 || status !== 0) untouched = false;
    }
  } finally {
    killAndReap(sleeper);
  }
  return { answers, untouched };
}

/**
 * The command prefix that runs a program with `limit` as both limits on open descriptors:
 * util-linux's prlimit, which scripts/test-tools.sh installs (a test needing it fails without it).
 */
export function withDescriptorLimit(limit: number): string[] {
  const prlimit = Bun.which("prlimit");
  if (prlimit === null) throw new Error("prlimit (util-linux) is needed to run this test");
  return [prlimit, `--nofile=${limit}:${limit}`];
}
