/**
 * Running bun-wait4-bench and the real hyperfine side by side: Debian's hyperfine 1.15
 * (/usr/bin/hyperfine, installed by scripts/test-tools.sh) and, where it was built, hyperfine
 * 1.20 from its source (`HYPERFINE_1_20`, or the cache of ../shared/tools/hyperfine-1.20/build.sh),
 * with the texts made comparable: only the program name in clap's usage lines differs.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Our hyperfine drop-in. */
export const BENCH = join(import.meta.dir, "..", "..", "src", "cli", "bench", "main.ts");

/** What one invocation did. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Options of an invocation. */
export interface RunAs {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

function spawn(argv: string[], o: RunAs): Ran {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe", stdin: "ignore", cwd: o.cwd, env: o.env ?? process.env, timeout: o.timeoutMs ?? 60_000 });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** Runs bun-wait4-bench with `args`. */
export function ours(args: readonly string[], o: RunAs = {}): Ran {
  return spawn([process.execPath, BENCH, ...args], o);
}

async function spawnAsync(argv: string[], o: RunAs): Promise<Ran> {
  const p = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe", stdin: "ignore", cwd: o.cwd, env: o.env ?? process.env, timeout: o.timeoutMs ?? 120_000 });
  const [stdout, stderr, status] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { status, stdout, stderr };
}

/** Runs bun-wait4-bench without waiting (to run several at once). */
export function oursAsync(args: readonly string[], o: RunAs = {}): Promise<Ran> {
  return spawnAsync([process.execPath, BENCH, ...args], o);
}

/** Debian's hyperfine 1.15. */
export const HYPERFINE_1_15 = "/usr/bin/hyperfine";

function findHyperfine120(): string | undefined {
  const given = process.env.HYPERFINE_1_20;
  if (given !== undefined && given !== "") return existsSync(given) ? given : undefined;
  const cache = process.env.HF_REF_CACHE ?? join(homedir(), ".cache", "hyperfine-1.20");
  if (!existsSync(cache)) return undefined;
  const built = readdirSync(cache)
    .filter((f) => f.startsWith("hyperfine-"))
    .map((f) => join(cache, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return built[0];
}

/** hyperfine 1.20 built from its source, if this machine has it (see the module comment). */
export const HYPERFINE_1_20 = findHyperfine120();

/** Runs a real hyperfine binary with `args`. */
export function theirs(binary: string, args: readonly string[], o: RunAs = {}): Ran {
  return spawn([binary, ...args], o);
}

/** Runs a real hyperfine binary without waiting. */
export function theirsAsync(binary: string, args: readonly string[], o: RunAs = {}): Promise<Ran> {
  return spawnAsync([binary, ...args], o);
}

/** The texts with clap's program name (`Usage: NAME ...`) made the same. */
export function comparable(r: Ran, binary: string): Ran {
  const name = binary.split("/").at(-1)!;
  const fix = (text: string) => text.replaceAll(`Usage: ${name} `, "Usage: bun-wait4-bench ");
  return { status: r.status, stdout: fix(r.stdout), stderr: fix(r.stderr) };
}

/** hyperfine's source snapshot, if this machine has one (HYPERFINE_SOURCE: a git dir), to check the vendored scripts against. */
export function hyperfineSourceGitDir(): string | undefined {
  for (const dir of [process.env.HYPERFINE_SOURCE, "/work/.mirror/sharkdp+hyperfine/repo"]) {
    if (dir !== undefined && dir !== "" && existsSync(join(dir, "HEAD"))) return dir;
  }
  return undefined;
}
