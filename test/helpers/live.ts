/**
 * Shared by the live-child tests and their fixture scripts: spawning and always reaping our
 * own children, and running Bun fixture scripts as subprocesses. Imports nothing from
 * bun:test, so fixture scripts (plain `bun` processes) can use it too.
 *
 * Nothing here ever waits on -1, 0 or a process group: those waits live only in fixture
 * scripts that run as their own `bun` process.
 */
import { join } from "node:path";
import { posix_spawnp, waitpid, WNOHANG, type SpawnOptions } from "../../src/index.ts";

/** Directory of the fixture scripts (test/fixtures: scripts that run as their own process). */
export const FIXTURES = join(import.meta.dir, "..", "fixtures");

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
