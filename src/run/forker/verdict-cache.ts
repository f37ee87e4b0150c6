/**
 * The probe's verdict, kept between processes (docs/DESIGN.md §6.2): what a shell passes on
 * depends on the shell's binary (and env's), not on the process asking, so a verdict is kept
 * in the user's cache directory under the identity of every file it depends on — each
 * candidate shell's and /usr/bin/env's path, device, inode, size and change times. A file that
 * was replaced, touched or installed since gives another key and the shells are probed again.
 * A fresh process then starts its first command without the probe's ~15 ms.
 *
 * `BUN_WAIT4_CACHE=off` turns it off; the directory is `$XDG_CACHE_HOME/bun-wait4`, else
 * `$HOME/.cache/bun-wait4`. A file that is not ours, is writable by others, or does not parse
 * exactly is ignored (and replaced by the next probe); a directory that cannot be written just
 * means no cache.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { withStdioTaken } from "../../sys/process.ts";
import type { ShellTraits } from "./probe.ts";

/** Bumped whenever what the probe concludes, or how a verdict is used, changes. */
const VERDICT_FORMAT = 1;
const FILE_NAME = "handoff-verdict.json";

/** What is kept: the traits of the shell that serves, and what the later probes learnt. */
export interface Verdict {
  readonly traits: ShellTraits;
  /** Whether `env -i` works (undefined: not probed yet). */
  readonly envRoute?: { readonly refused?: string; readonly execByName: boolean };
  /** Whether `exec -a` works (undefined: not probed yet). */
  readonly execArgv0?: boolean;
}

/** The identity of a file that the verdict depends on: its path and what stat says of it, or null where it is missing. */
function identity(path: string): string | null {
  try {
    const s = statSync(path, { bigint: true });
    return `${path}:${s.dev}:${s.ino}:${s.size}:${s.mode}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

/** The key of a verdict about these candidate shells: every file it depends on, as it is now. */
export function verdictKey(shells: readonly string[]): string {
  return JSON.stringify([VERDICT_FORMAT, ...[...shells, "/usr/bin/env"].map(identity)]);
}

/** The cache file's path, or undefined where there is none (turned off, or no home). */
function cacheFile(): string | undefined {
  const env = process.env;
  if (env.BUN_WAIT4_CACHE === "off") return undefined;
  const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : env.HOME?.startsWith("/") ? `${env.HOME}/.cache` : undefined;
  return base === undefined ? undefined : `${base}/bun-wait4/${FILE_NAME}`;
}

const isString = (v: unknown): v is string => typeof v === "string";

/** The verdict kept under `key`, or undefined (none, another key, not ours, or not exactly as written). */
export function readVerdict(key: string, shells: readonly string[]): Verdict | undefined {
  const file = cacheFile();
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = withStdioTaken(() => {
      const fd = openSync(file, "r");
      try {
        const s = fstatSync(fd);
        if (!s.isFile() || s.uid !== process.getuid?.() || (s.mode & 0o022) !== 0 || s.size > 65536) throw new Error("not ours");
        return readFileSync(fd, "utf8");
      } finally {
        closeSync(fd);
      }
    });
  } catch {
    return undefined;
  }
  try {
    const kept = JSON.parse(text) as Record<string, unknown>;
    if (kept.key !== key) return undefined;
    const t = kept.traits as Record<string, unknown>;
    // The shell must be one of the candidates whose identity is in the key.
    if (!isString(t.shell) || !shells.includes(t.shell)) return undefined;
    if (typeof t.direct !== "boolean" || typeof t.execByName !== "boolean" || !Array.isArray(t.unsafe) || !t.unsafe.every(isString)) return undefined;
    const verdict: { -readonly [K in keyof Verdict]: Verdict[K] } = { traits: { shell: t.shell, direct: t.direct, unsafe: new Set(t.unsafe), execByName: t.execByName } };
    const env = kept.envRoute as Record<string, unknown> | undefined;
    if (env !== undefined) {
      if (typeof env.execByName !== "boolean" || (env.refused !== undefined && !isString(env.refused))) return undefined;
      verdict.envRoute = env.refused === undefined ? { execByName: env.execByName } : { refused: env.refused, execByName: env.execByName };
    }
    if (kept.execArgv0 !== undefined) {
      if (typeof kept.execArgv0 !== "boolean") return undefined;
      verdict.execArgv0 = kept.execArgv0;
    }
    return verdict;
  } catch {
    return undefined;
  }
}

/** Keeps `verdict` under `key` (written whole, then renamed into place); a failure leaves no cache and is not an error. */
export function writeVerdict(key: string, verdict: Verdict): void {
  const file = cacheFile();
  if (file === undefined) return;
  const { traits } = verdict;
  const text = JSON.stringify({
    key,
    traits: { shell: traits.shell, direct: traits.direct, unsafe: [...traits.unsafe], execByName: traits.execByName },
    envRoute: verdict.envRoute,
    execArgv0: verdict.execArgv0,
  });
  const temporary = `${file}.${process.pid}`;
  try {
    withStdioTaken(() => {
      mkdirSync(file.slice(0, file.lastIndexOf("/")), { recursive: true, mode: 0o700 });
      const fd = openSync(temporary, "w", 0o600);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
    });
  } catch {
    try {
      unlinkSync(temporary);
    } catch {}
  }
}
