/**
 * The loops and samples of the hand-off cases (cases/handoff.ts). Each process first holds
 * <parentMiB> MiB (the extra argument; worker.ts `hold`), so every figure is taken from a large
 * Bun parent, where a spawned child's peak would start at the parent's (docs/DESIGN.md §6).
 *
 * The loops time the real code from outside, as a user calls it, and in parts: the hand-off's
 * internals (src/run/handoff.ts, src/run/forker/) are imported only by the loops that call them,
 * at setup, so that a first run() loads run() as a user's does. Every command's exit status is
 * checked.
 */
import { posix_spawnp, run, wait4, WEXITSTATUS, WIFEXITED } from "../../../src/index.ts";
import { fail, hold, int, statusKiB, type Loop } from "../worker.ts";

type Promises = typeof import("../../../src/promises.ts");
type Handoff = typeof import("../../../src/run/handoff.ts");
type ForkerModule = typeof import("../../../src/run/forker/forker.ts");

const TRUE = ["/bin/true"];
const TRUE_ARGV = ["true"];
/** Commands in flight at once in the concurrent loops. */
const CONCURRENT = 32;

const holdParent = ([mib]: string[]) => hold(int(mib, "parentMiB"));

function checkStatus(what: string, status: number, code = 0): void {
  if (!WIFEXITED(status) || WEXITSTATUS(status) !== code) fail(`${what}: status ${status}, expected exit ${code}`);
}

/** A loop that awaits `once()` n times in sequence. */
function sequential(once: () => Promise<void>, setup?: (args: string[]) => Promise<void>): Loop {
  return {
    async setup(args) {
      holdParent(args);
      await setup?.(args);
    },
    async batch(n) {
      for (let i = 0; i < n; i++) await once();
      return n;
    },
  };
}

/** A loop that runs n commands, `CONCURRENT` in flight at any time; command i gets k = i mod 32. */
function concurrent(one: (k: number) => Promise<void>): Loop {
  return {
    setup: holdParent,
    async batch(n) {
      let next = 0;
      const lane = async () => {
        while (next < n) await one(next++ % CONCURRENT);
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENT, n) }, lane));
      return n;
    },
  };
}

const echo = (k: number) => ["sh", "-c", `echo ${k}; exit ${k}`];

let promises: Promises;
let handoff: Handoff;
let forker: ReturnType<ForkerModule["Forker"]["start"]>;
let forkerModule: ForkerModule;

/** Holds `mib` MiB and starts a forker of its own running the shell run() would choose. */
async function ownForker([mib]: string[]): Promise<void> {
  holdParent([mib!]);
  promises = await import("../../../src/promises.ts");
  const chosen = (await import("../../../src/run/handoff.ts")).handoffShell();
  if (typeof chosen === "string") fail(`no hand-off here: ${chosen}`);
  forkerModule = await import("../../../src/run/forker/forker.ts");
  forker = forkerModule.Forker.start(chosen.shell);
}

/** `await run(["/bin/true"])`: the hand-off, the default. */
async function runTrue(): Promise<void> {
  const r = await run(TRUE);
  if (r.exitCode !== 0 || !r.peakRssIsOwn) fail(`run(/bin/true): exit ${r.exitCode}, own peak ${r.peakRssIsOwn} (${r.peakNote})`);
}

/** The raw floor: posix_spawnp + a blocking wait4. */
function rawTrue(): void {
  const pid = posix_spawnp("/bin/true", TRUE_ARGV, process.env);
  const [reaped, status] = wait4(pid, 0);
  if (reaped !== pid) fail(`wait4(${pid}) reaped ${reaped}`);
  checkStatus("/bin/true", status);
}

/** Long enough for the forker to have made the next spare after a command (ms). */
const PAUSE_MS = 3;

export const loops: Record<string, Loop> = {
  run: sequential(runTrue),
  plain: sequential(async () => {
    const r = await run(TRUE, { peak: "plain" });
    if (r.exitCode !== 0) fail(`run(/bin/true, plain): exit ${r.exitCode}`);
  }),
  /** The raw floor, synchronous: no await in its loop. */
  raw: {
    setup: holdParent,
    batch(n) {
      for (let i = 0; i < n; i++) rawTrue();
      return n;
    },
  },
  /** A pause before each command, in both: run() finds its spare ready. */
  runReady: sequential(async () => {
    await Bun.sleep(PAUSE_MS);
    await runTrue();
  }),
  rawReady: sequential(async () => {
    await Bun.sleep(PAUSE_MS);
    rawTrue();
  }),
  /** posix_spawnp, then `await wait4(pid)` from bun-wait4/promises: the asynchronous floor. */
  asyncWait: sequential(
    async () => {
      const pid = posix_spawnp("/bin/true", TRUE_ARGV, process.env);
      checkStatus("/bin/true", (await promises.wait4(pid))[1]);
    },
    async () => void (promises = await import("../../../src/promises.ts")),
  ),
  /** The hand-off without run() around it: `handOver()` a request as run() builds it, then `await wait4(pid)`. */
  handOver: sequential(
    async () => {
      const env = { names: Object.keys(process.env), values: Object.values(process.env) as string[] };
      const stdio = ["inherit", "inherit", "inherit"] as const;
      const handed = handoff.handOver({ argv: TRUE, env, cwd: undefined, stdio, group: "same", program: "/bin/true" });
      checkStatus("/bin/true", (await promises.wait4(handed.pid))[1]);
    },
    async () => {
      promises = await import("../../../src/promises.ts");
      handoff = await import("../../../src/run/handoff.ts");
    },
  ),
  /** A spare told only `exec /bin/true` (no stdio, directory or environment to set), then `await wait4(pid)`. */
  launch: {
    ...sequential(async () => {
      const spare = forker.take();
      forkerModule.closeAll(spare.pipes ?? []);
      if (!forkerModule.launch(spare, "exec /bin/true\n")) fail(`the spare ${spare.pid} had died`);
      checkStatus("/bin/true", (await promises.wait4(spare.pid))[1]);
    }),
    setup: ownForker,
    teardown: () => forker.close(),
  },
  /** Making one spare (a batch of one: the intermediate's fork, the spare's, the subreaper window) and ending it unused. */
  spare: {
    setup: ownForker,
    /** Synchronous, so the forker's background refill never runs: each take() makes its spare. */
    batch(n) {
      for (let i = 0; i < n; i++) forkerModule.discardSpare(forker.take());
      return n;
    },
    teardown: () => forker.close(),
  },
  /** `handoffShell()`: starting the forker and probing its shell (what a first run() adds). */
  shell: sequential(async () => {
    const chosen = (await import("../../../src/run/handoff.ts")).handoffShell();
    if (typeof chosen === "string") fail(`no hand-off here: ${chosen}`);
  }),
  /** `Bun.spawn(["/bin/true"])` + `await exited`. */
  bunSpawn: sequential(async () => {
    const code = await Bun.spawn(TRUE).exited;
    if (code !== 0) fail(`Bun.spawn(/bin/true): exit ${code}`);
  }),
  concurrentRun: concurrent(async (k) => {
    const r = await run(echo(k), { stdout: "pipe" });
    if (r.exitCode !== k || r.stdout !== `${k}\n` || !r.peakRssIsOwn) fail(`run(${echo(k).join(" ")}): exit ${r.exitCode}, stdout ${JSON.stringify(r.stdout)}, own peak ${r.peakRssIsOwn}`);
  }),
  concurrentPlain: concurrent(async (k) => {
    const r = await run(echo(k), { stdout: "pipe", peak: "plain" });
    if (r.exitCode !== k || r.stdout !== `${k}\n`) fail(`run(${echo(k).join(" ")}, plain): exit ${r.exitCode}, stdout ${JSON.stringify(r.stdout)}`);
  }),
  concurrentBun: concurrent(async (k) => {
    const p = Bun.spawn(echo(k), { stdout: "pipe" });
    const [code, text] = await Promise.all([p.exited, p.stdout.text()]);
    if (code !== k || text !== `${k}\n`) fail(`Bun.spawn(${echo(k).join(" ")}): exit ${code}, stdout ${JSON.stringify(text)}`);
  }),
};

export const samples = {
  /**
   * `peak <contender> <parentMiB> <reps> <bigCommand…>`: the peak RSS (KiB) of `true` and of
   * the 60 MiB program, each run <reps> times: by run() ("auto", the hand-off), by run() with
   * peak "plain", or by GNU time's %M started from a small shell ("gnu").
   */
  async peak([contender, mib, repsArg, ...big]: string[]) {
    const reps = int(repsArg, "reps");
    if (!["auto", "plain", "gnu"].includes(contender ?? "") || big.length === 0) fail("bad arguments");
    const hwmBareKiB = statusKiB("VmHWM");
    holdParent([mib!]);
    const hwmParentKiB = statusKiB("VmHWM");
    const commands = { true: ["true"], big };
    const kib: Record<keyof typeof commands, number[]> = { true: [], big: [] };
    for (let r = 0; r < reps; r++) {
      for (const name of ["true", "big"] as const) {
        const cmd = commands[name];
        if (contender === "gnu") {
          const p = Bun.spawnSync({ cmd: ["sh", "-c", 'exec /usr/bin/time -f %M "$@"', "sh", ...cmd], stdout: "ignore", stderr: "pipe" });
          const err = p.stderr.toString().trim();
          const last = Number(err.split("\n").pop());
          if (p.exitCode !== 0 || !(last > 0)) fail(`GNU time ${cmd.join(" ")}: exit ${p.exitCode}, stderr ${JSON.stringify(err)}`);
          kib[name].push(last);
        } else {
          const result = await run(cmd, contender === "plain" ? { peak: "plain" } : {});
          if (result.exitCode !== 0) fail(`${cmd.join(" ")} exited ${result.exitCode ?? result.signalName}`);
          if (contender === "auto" && !result.peakRssIsOwn) fail(`run() could not hand ${cmd.join(" ")} over: ${result.peakNote}`);
          kib[name].push(result.rusage.ru_maxrss); // KiB on Linux
        }
      }
    }
    const shell = contender === "auto" ? (await import("../../../src/run/handoff.ts")).handoffShell() : undefined;
    return { hwmBareKiB, hwmParentKiB, trueKiB: kib.true, bigKiB: kib.big, shell: typeof shell === "object" ? `${shell.shell}, ${shell.route}` : shell };
  },
};
