/**
 * The loops of the spawn cases (cases/spawn.ts, issue 14): bun-wait4's `spawn()` and
 * `spawnSync()`, imported from the package entry as a user imports them, next to Bun's own
 * `Bun.spawn` and `Bun.spawnSync` doing the same. Every command's exit code is checked (and its
 * output where it writes one); a default-peak command must have been handed over
 * (`result.peakRssIsOwn`), or the figure would not be the hand-off's. sample.ts ends the
 * hand-off's forker and spares (checkNoChildren) before it checks that nothing is left.
 */
import { spawn, spawnSync } from "../../../src/index.ts";
import { fail, inFlightLoop, type Loop } from "../worker.ts";

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

export const loops: Record<string, Loop> = {
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
