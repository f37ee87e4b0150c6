/**
 * The hand-off shell's verdict kept between processes (src/run/forker/verdict-cache.ts,
 * docs/DESIGN.md §6.2): used while every file it depends on is unchanged, probed again when
 * one changes, ignored when it is not exactly what we wrote, and never needed: no cache
 * directory is no error. Each case runs fresh processes against a copy of the chosen shell,
 * so touching the copy changes nothing else.
 */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handoffShell, handoffUnavailable } from "../../src/run/handoff.ts";
import { FIXTURES } from "../helpers/live.ts";

const handsOver = handoffUnavailable() === undefined;
const dir = mkdtempSync(join(tmpdir(), "bun-wait4-verdict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const chosen = handsOver ? handoffShell() : "no hand-off";
const shell = join(dir, "shell");
const cacheHome = join(dir, "cache");
const cacheFile = join(cacheHome, "bun-wait4", "handoff-verdict.json");
if (typeof chosen !== "string") copyFileSync(chosen.shell, shell);

interface Printed {
  chosen: { shell: string; route: "direct" | "env" } | string;
  exitCode?: number;
  own?: boolean;
  peakRssBytes?: number;
  handoffChildren?: number[];
}

/** This test's environment for a fresh process: the copied shell the only one to try, the cache in cacheHome. */
const envFor = (env: Record<string, string | undefined>) => ({ ...process.env, BUN_WAIT4_CACHE: undefined, XDG_CACHE_HOME: cacheHome, BUN_WAIT4_HANDOFF_SHELL: shell, ...env });

/** Runs the fixture in a fresh Bun (before `argvBefore`, e.g. unshare) with the copied shell as the only one to try. */
function fixture(mode: string, env: Record<string, string | undefined> = {}, argvBefore: string[] = []): Printed {
  const r = Bun.spawnSync([...argvBefore, process.execPath, join(FIXTURES, "handoff-verdict.ts"), mode], {
    env: envFor(env),
    stdout: "pipe",
    stderr: "pipe",
    timeout: 30_000, // a read that blocks (a FIFO as the cache file) fails here, not at the test's limit
  });
  expect(r.stderr.toString()).toBe("");
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout.toString()) as Printed;
}

const kept = () => JSON.parse(readFileSync(cacheFile, "utf8")) as { key: string; traits: { shell: string; direct: boolean } };
const probedRoute = typeof chosen === "string" ? undefined : chosen.route;
const otherRoute = probedRoute === "direct" ? "env" : "direct";
/** Keeps the verdict as written but with the route flipped: a process that uses it shows the other route. */
function flipKeptRoute(): void {
  const v = kept();
  writeFileSync(cacheFile, JSON.stringify({ ...v, traits: { ...v.traits, direct: !v.traits.direct } }), { mode: 0o600 });
}

beforeEach(() => rmSync(cacheHome, { recursive: true, force: true }));

describe.if(handsOver)("the probe's verdict, kept", () => {
  test("the first process probes and keeps what it found; the next uses it without probing", () => {
    expect(fixture("shell").chosen).toEqual({ shell, route: probedRoute! });
    expect(kept().traits.shell).toBe(shell);
    flipKeptRoute();
    // Only a kept verdict can give the route the probe did not find.
    expect(fixture("shell").chosen).toEqual({ shell, route: otherRoute });
  });

  test("a shell file that changed is probed again, and the new verdict replaces the old", () => {
    fixture("shell");
    flipKeptRoute();
    const before = kept().key;
    const later = new Date(Date.now() + 5000);
    utimesSync(shell, later, later);
    expect(fixture("shell").chosen).toEqual({ shell, route: probedRoute! });
    expect(kept().key).not.toBe(before);
    expect(kept().traits.direct).toBe(probedRoute === "direct");
  });

  const tampered: { name: string; write: (v: ReturnType<typeof kept>) => string; mode?: number }[] = [
    { name: "not JSON", write: () => "{ not json" },
    { name: "a shell that is not a candidate", write: (v) => JSON.stringify({ ...v, traits: { ...v.traits, shell: "/bin/false", direct: !v.traits.direct } }) },
    { name: "a field of the wrong type", write: (v) => JSON.stringify({ ...v, traits: { ...v.traits, direct: String(!v.traits.direct) } }) },
    { name: "unsafe names that are not strings", write: (v) => JSON.stringify({ ...v, traits: { ...v.traits, direct: !v.traits.direct, unsafe: [1] } }) },
    { name: "writable by others", write: (v) => JSON.stringify({ ...v, traits: { ...v.traits, direct: !v.traits.direct } }), mode: 0o666 },
  ];
  for (const t of tampered) {
    test(`a kept verdict with ${t.name} is ignored and probed again`, () => {
      fixture("shell");
      writeFileSync(cacheFile, t.write(kept()));
      chmodSync(cacheFile, t.mode ?? 0o600);
      expect(fixture("shell").chosen).toEqual({ shell, route: probedRoute! });
      expect(kept().traits.direct).toBe(probedRoute === "direct"); // rewritten by the probe
    });
  }

  test("BUN_WAIT4_CACHE=off keeps nothing", () => {
    expect(fixture("shell", { BUN_WAIT4_CACHE: "off" }).chosen).toEqual({ shell, route: probedRoute! });
    expect(existsSync(cacheFile)).toBe(false);
  });

  test("a cache directory that cannot be made is no error", () => {
    const notADirectory = join(dir, "a-file");
    writeFileSync(notADirectory, "");
    const printed = fixture("one-shot-run", { XDG_CACHE_HOME: notADirectory });
    expect(printed).toMatchObject({ chosen: { shell, route: probedRoute! }, exitCode: 0, own: true });
  });

  test("a one-shot process starts no forker where the verdict is kept, and its command's peak is its own", () => {
    const cold = fixture("one-shot-run");
    expect(cold).toMatchObject({ exitCode: 0, own: true });
    expect(cold.handoffChildren!.length).toBeGreaterThan(0); // the probe's forker, kept to serve
    const warm = fixture("one-shot-run");
    expect(warm).toMatchObject({ chosen: { shell, route: probedRoute! }, exitCode: 0, own: true, handoffChildren: [] });
    // `true` forked from a shell: a few MiB at most, where a start from this Bun would show its tens.
    for (const printed of [cold, warm]) expect(printed.peakRssBytes!).toBeLessThan(8 * 1024 * 1024);
  });

  test("the command-line tool's one command: with the verdict kept, no forker is started beside it", () => {
    // The command lists its parent's children: itself alone, or also the forker and its spares.
    const cli = (): string[] => {
      const r = Bun.spawnSync([process.execPath, join(import.meta.dir, "..", "..", "src", "cli", "main.ts"), "-q", "-f", "", "sh", "-c", 'echo $$; cat /proc/$PPID/task/$PPID/children'], {
        env: envFor({}),
        stdout: "pipe",
        stderr: "pipe",
      });
      expect(r.exitCode).toBe(0);
      return r.stdout.toString().trim().split(/\s+/);
    };
    const [coldSelf, ...coldChildren] = cli();
    expect(coldChildren.length).toBeGreaterThan(1); // the probe started a forker, which served
    expect(coldChildren).toContain(coldSelf!);
    const [warmSelf, ...warmChildren] = cli();
    expect(warmChildren).toEqual([warmSelf!]);
  });

  test("a cache directory that others may write to, or a link or FIFO in the file's place, is not used", () => {
    fixture("shell");
    flipKeptRoute();
    const directory = join(cacheHome, "bun-wait4");
    chmodSync(directory, 0o777);
    expect(fixture("shell").chosen).toEqual({ shell, route: probedRoute! });
    expect(kept().traits.direct).toBe(probedRoute !== "direct"); // nor written: the flipped file is as it was
    chmodSync(directory, 0o700);
    // A link to a verdict that would be used where it stands.
    const elsewhere = join(dir, "elsewhere.json");
    copyFileSync(cacheFile, elsewhere);
    rmSync(cacheFile);
    symlinkSync(elsewhere, cacheFile);
    expect(fixture("shell").chosen).toEqual({ shell, route: probedRoute! });
    rmSync(cacheFile);
    expect(Bun.spawnSync(["mkfifo", cacheFile]).exitCode).toBe(0);
    expect(fixture("shell").chosen).toEqual({ shell, route: probedRoute! });
  });

  // A kept verdict says how the shell behaves, not that it can run here: mounted noexec (same
  // device and inode, so the same key), the process probes for itself and starts the command
  // directly, saying why, instead of failing with the shell's EACCES.
  test.if(process.getuid?.() === 0)("a kept verdict for a shell that cannot run here is not believed", () => {
    fixture("shell");
    // Private first, so nothing leaks out; in a chroot (/ not a mount point) only where no mount
    // is shared, as scripts/lib/swap-sh.sh does.
    const mountNoexec = `{ mount --make-rprivate / 2>/dev/null || ! grep -q ' shared:' /proc/1/mountinfo; } && mount --bind '${dir}' '${dir}' && mount -o remount,bind,noexec '${dir}' && exec "$@"`;
    const noexec = ["unshare", "-m", "--propagation", "unchanged", "sh", "-c", mountNoexec, "sh"];
    const printed = fixture("one-shot-run", {}, noexec);
    expect(printed).toMatchObject({ exitCode: 0, own: false });
    expect(typeof printed.chosen).toBe("string");
  });
});
