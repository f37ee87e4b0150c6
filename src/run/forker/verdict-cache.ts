/**
 * The probe's verdict, kept between processes (docs/DESIGN.md §6.2): what a shell passes on
 * depends on the files that run (the shells, env, cat) and the code that judges them, not on
 * the process asking, so a verdict is kept in the user's cache directory under the identity of
 * all of them. A file that was replaced, touched or installed since, another bun-wait4, Bun or
 * C library gives another key and the shells are probed again. A fresh process then starts its
 * first command without the probe's ~15 ms.
 *
 * `BUN_WAIT4_CACHE=off` turns it off; the directory is `$XDG_CACHE_HOME/bun-wait4`, else
 * `$HOME/.cache/bun-wait4`. A directory or file that is not ours or is writable by others, a
 * link, or a file that does not parse exactly is ignored (a file is replaced by the next
 * probe); a directory that cannot be written just means no cache.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { version } from "../../../package.json" with { type: "json" };
import { libc } from "../../ffi/load.ts";
import { withStdioTaken } from "../../sys/process.ts";
import type { ShellTraits } from "./probe.ts";
import { SELF_EXPORTED, SHELL_VARIABLES } from "./shell-variables.ts";

/** Bumped whenever what the probe concludes, or how a verdict is used, changes without a release. */
const VERDICT_FORMAT = 2;
const FILE_NAME = "handoff-verdict.json";
/** Files whose identity is in the key besides the shells: what the env route and the probe run. */
const OTHER_FILES = ["/usr/bin/env", "/usr/bin/cat", "/bin/cat"];

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

/**
 * The key of a verdict about these candidate shells: every file it depends on as it is now,
 * and the code that judged them (this package's version, the shell-variable lists the probe
 * sets, Bun and the C library whose spawn started the probe).
 */
export function verdictKey(shells: readonly string[]): string {
  const code = [VERDICT_FORMAT, version, Bun.version, Bun.revision, libc.abi.id, Bun.hash(JSON.stringify([SHELL_VARIABLES, SELF_EXPORTED])).toString(36)];
  return JSON.stringify([...code, ...[...shells, ...OTHER_FILES].map(identity)]);
}

/** The cache directory, or undefined where there is none (turned off, or no home). */
function cacheDirectory(): string | undefined {
  const env = process.env;
  if (env.BUN_WAIT4_CACHE === "off") return undefined;
  const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : env.HOME?.startsWith("/") ? `${env.HOME}/.cache` : undefined;
  return base === undefined ? undefined : `${base}/bun-wait4`;
}

/** Whether `s` is this user's and writable by nobody else. */
const ours = (s: { uid: number; mode: number }) => s.uid === process.geteuid?.() && (s.mode & 0o022) === 0;

/** Whether `directory` is a directory (not a link to one) of ours that nobody else can write to. */
function ownDirectory(directory: string): boolean {
  try {
    const s = lstatSync(directory);
    return s.isDirectory() && ours(s);
  } catch {
    return false;
  }
}

const isString = (v: unknown): v is string => typeof v === "string";

/** The verdict kept under `key`, or undefined (none, another key, not ours, or not exactly as written). */
export function readVerdict(key: string, shells: readonly string[]): Verdict | undefined {
  const directory = cacheDirectory();
  if (directory === undefined) return undefined;
  let text: string;
  try {
    text = withStdioTaken(() => {
      if (!ownDirectory(directory)) throw new Error("not ours");
      // Not through a link, and never blocking (a FIFO put there would).
      const fd = openSync(`${directory}/${FILE_NAME}`, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      try {
        const s = fstatSync(fd);
        if (!s.isFile() || !ours(s) || s.size > 65536) throw new Error("not ours");
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
  const directory = cacheDirectory();
  if (directory === undefined) return;
  const { traits } = verdict;
  const text = JSON.stringify({
    key,
    traits: { shell: traits.shell, direct: traits.direct, unsafe: [...traits.unsafe], execByName: traits.execByName },
    envRoute: verdict.envRoute,
    execArgv0: verdict.execArgv0,
  });
  const temporary = `${directory}/${FILE_NAME}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    withStdioTaken(() => {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      if (!ownDirectory(directory)) return; // someone else's, or open to others: no cache
      // A new file of our own: never through a link, never one that was there.
      const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, `${directory}/${FILE_NAME}`);
    });
  } catch {
    try {
      unlinkSync(temporary);
    } catch {}
  }
}
