/**
 * Small programs and readers the spawn parity cases (test/spawn/parity) share. The children are
 * ordinary tools (sh, cat, head, sleep, yes) wherever one does the job: under qemu-user they run
 * natively while a `bun` child would be emulated too (docs/DESIGN.md §7). Imports nothing from
 * bun:test.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { underEmulation } from "./emulation.ts";
import type { SpawnImplementation } from "./spawn-implementations.ts";

/** The Bun running the tests, for the cases that need a JavaScript child. */
export const BUN = process.execPath;

/** `sh -c script` with `args` as $1, $2, … */
export function sh(script: string, ...args: string[]): string[] {
  return ["sh", "-c", script, "sh", ...args];
}

/** A child that copies its stdin to its stdout. */
export const CAT = ["cat"];

/** All three standard streams ignored: for children whose output does not matter. */
export const QUIET: { stdio: ["ignore", "ignore", "ignore"] } = { stdio: ["ignore", "ignore", "ignore"] };

/** A child that runs until it is killed (the kill tests' target). */
export const SLEEPER = ["sleep", "1000"];

/** A directory under the system temp dir, removed with everything in it when disposed. */
export function tempDir(prefix: string): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), `spawn-parity-${prefix}-`));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** How many descriptors this process has open (Linux /proc/self/fd). */
export function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

/**
 * Waits up to `ms` for the descriptor count to come down to `limit`; returns the count. A leak
 * stays; what settles is not one: bun-wait4's hand-off keeps up to 8 idle spares after a burst
 * (four of this process's descriptors each) for 100 ms (docs/DESIGN.md §6.1).
 */
export async function descriptorsSettle(limit: number, ms = 500): Promise<number> {
  const until = Date.now() + ms;
  let count = openDescriptors();
  while (count > limit && Date.now() < until) {
    await Bun.sleep(20);
    count = openDescriptors();
  }
  return count;
}

/** Whether a process with this pid exists (a zombie counts). */
export function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * How a start that should fail ended: "threw <code>", or "exit <code>" when the spawn returned a
 * process (its exit is awaited) or spawnSync a result.
 */
export async function startOutcome(start: () => unknown): Promise<string> {
  let result: unknown;
  try {
    result = start();
  } catch (error) {
    return `threw ${(error as { code?: unknown }).code}`;
  }
  const { exited, exitCode } = result as { exited?: Promise<number>; exitCode?: number | null };
  return `exit ${exited instanceof Promise ? await exited : exitCode}`;
}

/**
 * What a start that fails with `code` may end as on this machine: a throw, or, under qemu-user,
 * where posix_spawn is a fork and a failure in the child after it (chdir, open, dup2, exec)
 * comes back as the child's exit 127 (docs/DESIGN.md §7).
 */
export function startFailures(code: string): string[] {
  return underEmulation() ? [`threw ${code}`, "exit 127"] : [`threw ${code}`];
}

/**
 * Writes `line` to a child's piped stdin `times` times, `pauseMs` apart, while reading its piped
 * stdout, then ends stdin; returns everything the child printed.
 */
export async function writeWhileReading(
  child: { stdin: { write(data: string): unknown; end(): unknown }; stdout: ReadableStream<Uint8Array> },
  line: string,
  times: number,
  pauseMs: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  const reading = (async () => {
    for await (const chunk of child.stdout) chunks.push(chunk);
  })();
  for (let i = 0; i < times; i++) {
    child.stdin.write(line);
    await Bun.sleep(pauseMs);
  }
  child.stdin.end();
  await reading;
  return Buffer.concat(chunks).toString();
}

/** What a script run by `inFreshProcess` printed and how it ended. */
export interface FreshProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signalCode: string | number | null;
  /** The value of the script's last `report(value)` line, if it printed one. */
  report: unknown;
}

/** How `inFreshProcess` starts the process. */
export interface FreshProcessOptions {
  /** Added to the environment. */
  env?: Record<string, string | undefined>;
  /** Its stdin: none (/dev/null), or these bytes. */
  stdin?: "ignore" | Blob;
  /** Shell commands run before `exec bun` (e.g. "ulimit -n 64" or "exec 7</dev/null"). */
  shellPrefix?: string;
  /** Milliseconds before it is killed with SIGKILL: a hang becomes a failed assertion. */
  timeout?: number;
}

/**
 * Runs `script` in a new `bun` process in which `spawn` and `spawnSync` are `implementation`'s
 * (loaded through spawn-implementations.ts with SPAWN_PARITY set), with `report(fd, value)`
 * defined to write one "REPORT <json>" line to a descriptor the script still has open. For the
 * cases that close the process's own descriptors, change its cwd or time its exit. The runner
 * itself is Bun.spawn: it is the harness here, not the code under test.
 */
export async function inFreshProcess(
  implementation: SpawnImplementation,
  script: string,
  // Under qemu-user an emulated Bun takes over a second to start, and a dozen start at once.
  { env = {}, stdin = "ignore", shellPrefix, timeout = underEmulation() ? 120_000 : 20_000 }: FreshProcessOptions = {},
): Promise<FreshProcessResult> {
  const registry = join(import.meta.dir, "spawn-implementations.ts");
  const prelude = `
    const { implementations } = await import(${JSON.stringify(registry)});
    const { spawn, spawnSync } = implementations[0];
    const report = (fd, value) => require("node:fs").writeSync(fd, "REPORT " + JSON.stringify(value) + "\\n");
  `;
  const bun = [BUN, "-e", prelude + script];
  const child = Bun.spawn({
    cmd: shellPrefix === undefined ? bun : sh(`${shellPrefix} && exec "$@"`, ...bun),
    env: { ...process.env, ...env, SPAWN_PARITY: implementation.name },
    stdin,
    stdout: "pipe",
    stderr: "pipe",
    timeout,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([child.stdout.text(), child.stderr.text()]);
  await child.exited;
  const line = `${stdout}\n${stderr}`.match(/^REPORT (.*)$/m)?.[1];
  return {
    stdout,
    stderr,
    exitCode: child.exitCode,
    signalCode: child.signalCode,
    report: line === undefined ? undefined : JSON.parse(line),
  };
}
