/**
 * The loops of the spawn cases (cases/spawn.ts): bun-wait4's `spawn()` and `spawnSync()`,
 * imported from the package entry as a user imports them, next to Bun's own `Bun.spawn` and
 * `Bun.spawnSync` doing the same. Every command's exit code is checked (and its output where it
 * writes one); a default-peak command must have been handed over (`result.peakRssIsOwn`), or the
 * figure would not be the hand-off's. sample.ts ends the hand-off's forker and spares
 * (checkNoChildren) before it checks that nothing is left.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawn, spawnSync, waitpid } from "../../../src/index.ts";
import { children, fail, inFlightLoop, type Loop } from "../worker.ts";

const TRUE = ["/bin/true"];
/** Commands in flight at once in the concurrent loops. */
const CONCURRENT = 32;

const echo = (k: number) => ["sh", "-c", `echo ${k}; exit ${k}`];

/** A loop that runs n commands, `CONCURRENT` in flight at any time; command i gets k = i mod 32. */
const concurrent = (one: (k: number) => Promise<void>): Loop => inFlightLoop(CONCURRENT, one);

/** A loop that awaits `once()` n times in sequence. */
function sequential(once: () => Promise<void>): Loop {
  return {
    async batch(n) {
      for (let i = 0; i < n; i++) await once();
      return n;
    },
  };
}

/** `spawn(sh -c 'echo k; exit k')` with stdout piped and read; `own`: the default peak, checked to have been handed over. */
async function spawnEcho(k: number, own: boolean): Promise<void> {
  const p = own ? spawn(echo(k), { stdout: "pipe" }) : spawn(echo(k), { stdout: "pipe", peak: "plain" });
  const [code, text] = await Promise.all([p.exited, p.stdout.text()]);
  if (code !== k || text !== `${k}\n`) fail(`spawn(${echo(k).join(" ")}${own ? "" : ", plain"}): exit ${code}, stdout ${JSON.stringify(text)}`);
  if (own && !(await p.result).peakRssIsOwn) fail(`spawn(${echo(k).join(" ")}) was not handed over: ${(await p.result).peakNote}`);
}

/** `await spawn(["/bin/true"]).exited`; `own` as in spawnEcho. */
async function spawnTrue(own: boolean): Promise<void> {
  const p = own ? spawn(TRUE) : spawn(TRUE, { peak: "plain" });
  const code = await p.exited;
  if (code !== 0) fail(`spawn(/bin/true${own ? "" : ", plain"}): exit ${code}`);
  if (own && !(await p.result).peakRssIsOwn) fail(`spawn(/bin/true) was not handed over: ${(await p.result).peakNote}`);
}

/** The newest modification time of a file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The package as a user installs it (dist/lib, its `exports`), loaded by a first-call loop's setup. */
let built: typeof import("../../../src/index.ts") | undefined;

/** Imports "bun-wait4" itself (not the sources), after checking dist/ was built from the sources as they are. */
async function importBuilt(): Promise<void> {
  const root = join(import.meta.dir, "../../..");
  if (newest(join(root, "src")) > statSync(join(root, "dist/lib/index.js")).mtimeMs) fail("dist/lib is older than src/: run `npm run build` first");
  built = (await import("bun-wait4")) as typeof import("../../../src/index.ts");
}

/** The children of `pid` (all its threads'). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {} // gone meanwhile
  return out;
}

/**
 * Ends the built copy's forker and spares (sample.ts's checkNoChildren can close only the
 * sources' copy): every descendant killed, deepest first, and our children reaped.
 */
function endBuiltForker(): void {
  const kill = (pid: number) => {
    childrenOf(pid).forEach(kill);
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  };
  for (const pid of children()) {
    kill(pid);
    waitpid(pid, 0);
  }
}

/**
 * The first call in a fresh process, after the import and before anything else: what a script
 * that starts one command pays (loading the lazy part, opening the C functions, and for the
 * default peak starting the forker). One command per sample.
 */
function firstCall(once: () => void | Promise<void>, ours: boolean): Loop {
  return {
    setup: ours ? importBuilt : undefined,
    teardown: ours ? endBuiltForker : undefined,
    async batch(n) {
      for (let i = 0; i < n; i++) await once();
      return n;
    },
  };
}

export const loops: Record<string, Loop> = {
  firstSyncOwn: firstCall(() => {
    const r = built!.spawnSync(TRUE);
    if (r.exitCode !== 0 || !r.result.peakRssIsOwn) fail(`spawnSync(/bin/true): exit ${r.exitCode}, own peak ${r.result.peakRssIsOwn} (${r.result.peakNote})`);
  }, true),
  firstSyncPlain: firstCall(() => {
    const r = built!.spawnSync(TRUE, { peak: "plain" });
    if (r.exitCode !== 0) fail(`spawnSync(/bin/true, plain): exit ${r.exitCode}`);
  }, true),
  firstSyncBun: firstCall(() => {
    const r = Bun.spawnSync(TRUE);
    if (r.exitCode !== 0) fail(`Bun.spawnSync(/bin/true): exit ${r.exitCode}`);
  }, false),
  firstSpawnOwn: firstCall(async () => {
    const p = built!.spawn(TRUE);
    if ((await p.exited) !== 0 || !(await p.result).peakRssIsOwn) fail(`spawn(/bin/true): exit ${p.exitCode}, ${(await p.result).peakNote}`);
  }, true),
  firstSpawnPlain: firstCall(async () => {
    const code = await built!.spawn(TRUE, { peak: "plain" }).exited;
    if (code !== 0) fail(`spawn(/bin/true, plain): exit ${code}`);
  }, true),
  firstSpawnBun: firstCall(async () => {
    const code = await Bun.spawn(TRUE).exited;
    if (code !== 0) fail(`Bun.spawn(/bin/true): exit ${code}`);
  }, false),
  concurrentOwn: concurrent((k) => spawnEcho(k, true)),
  concurrentPlain: concurrent((k) => spawnEcho(k, false)),
  concurrentBun: concurrent(async (k) => {
    const p = Bun.spawn(echo(k), { stdout: "pipe" });
    const [code, text] = await Promise.all([p.exited, p.stdout.text()]);
    if (code !== k || text !== `${k}\n`) fail(`Bun.spawn(${echo(k).join(" ")}): exit ${code}, stdout ${JSON.stringify(text)}`);
  }),
  /** Synchronous loops: no await in them. */
  syncOurs: {
    batch(n) {
      for (let i = 0; i < n; i++) {
        const r = spawnSync(TRUE);
        if (r.exitCode !== 0 || !r.result.peakRssIsOwn) fail(`spawnSync(/bin/true): exit ${r.exitCode}, own peak ${r.result.peakRssIsOwn} (${r.result.peakNote})`);
      }
      return n;
    },
  },
  syncPlain: {
    batch(n) {
      for (let i = 0; i < n; i++) {
        const r = spawnSync(TRUE, { peak: "plain" });
        if (r.exitCode !== 0) fail(`spawnSync(/bin/true, plain): exit ${r.exitCode}`);
      }
      return n;
    },
  },
  syncBun: {
    batch(n) {
      for (let i = 0; i < n; i++) {
        const r = Bun.spawnSync(TRUE);
        if (r.exitCode !== 0) fail(`Bun.spawnSync(/bin/true): exit ${r.exitCode}`);
      }
      return n;
    },
  },
  sequentialOwn: sequential(() => spawnTrue(true)),
  sequentialPlain: sequential(() => spawnTrue(false)),
  sequentialBun: sequential(async () => {
    const code = await Bun.spawn(TRUE).exited;
    if (code !== 0) fail(`Bun.spawn(/bin/true): exit ${code}`);
  }),
};
