/**
 * bun-wait4's `spawn()` and `spawnSync()` next to Bun's own `Bun.spawn` and `Bun.spawnSync`
 * doing the same, each contender a loop of workers/spawn.ts in a fresh process per sample, all
 * from the package entry as a user calls them:
 *
 *   concurrent  32 commands in flight, `sh -c 'echo $k; exit $k'` with stdout piped and read:
 *               spawn() with `peak: "plain"` (goal: 0.95x Bun.spawn's commands/s) and with the
 *               default peak, the hand-off (goal: 0.9x).
 *   sync        `spawnSync(["/bin/true"])` one after another (goal: 0.95x Bun.spawnSync's rate), and
 *               with `peak: "plain"` (no goal: where the hand-off's time goes).
 *   sequential  `await spawn(["/bin/true"]).exited` one after another, default and plain (no goal).
 *   first       the first spawnSync() and spawn() in a fresh process, from the built package as
 *               installed (no goal: what a script that starts one command pays).
 *
 * The steady-state parts run 500-1,000 untimed commands first: a few dozen leave our JavaScript
 * in the interpreter's slow tiers, where Bun's native spawn has none (the first part shows that).
 *
 * Judged by wall time; each table also shows this process's CPU (all threads) per command.
 */
import { ms, rate, signedMs, times } from "../format.ts";
import { cpus, defineCase, goal, loopSample, walls, workerArgv, type Timing } from "../harness.ts";
import { median, pairedDiff, pairedRatio } from "../stats.ts";

type Sizes = readonly [warmup: number, iterations: number, batches: number];
type Contenders = readonly (readonly [loop: string, label: string])[];

interface Part {
  id: string;
  /** What each command is, for the table's intro. */
  what: string;
  /** The contenders; the last is Bun's own, the reference of every ratio. */
  contenders: Contenders;
  passes: readonly [number, number];
  full: Sizes;
  quick: Sizes;
  /** Show time per command (a single first call) instead of commands per second. */
  perCall?: boolean;
  /** Goals: ours' commands/s at least `limit` times the reference's. */
  goals: readonly { loop: string; limit: number; text: string }[];
}

/** The first command of a fresh process, one per sample: `call`'s contenders, Bun's last. */
function firstPart(call: "spawnSync" | "spawn", contenders: Contenders): Part {
  const command = call === "spawn" ? '`await spawn(["/bin/true"]).exited`' : '`spawnSync(["/bin/true"])`';
  return {
    id: `first ${call}`,
    what: `${command}, the first command of a fresh process after \`import "bun-wait4"\` (the built package, as installed)`,
    contenders,
    passes: [2, 1],
    full: [0, 1, 1],
    quick: [0, 1, 1],
    perCall: true,
    goals: [],
  };
}

const PARTS: Part[] = [
  {
    id: "concurrent",
    what: `32 commands in flight at any time, each \`sh -c 'echo $k; exit $k'\` (k = 0…31) with stdout piped and read (\`await Promise.all([p.exited, p.stdout.text()])\`), its exit code and output checked`,
    contenders: [
      ["concurrentPlain", '`spawn(cmd, { stdout: "pipe", peak: "plain" })`'],
      ["concurrentOwn", '`spawn(cmd, { stdout: "pipe" })` (default peak: the hand-off)'],
      ["concurrentBun", '`Bun.spawn(cmd, { stdout: "pipe" })`'],
    ],
    passes: [1, 1],
    full: [500, 160, 5],
    quick: [100, 64, 3],
    goals: [
      { loop: "concurrentPlain", limit: 0.95, text: `32 concurrent \`spawn(sh -c 'echo $k; exit $k', { peak: "plain" })\` + exited + stdout read at least 0.95x the commands/s of Bun.spawn` },
      { loop: "concurrentOwn", limit: 0.9, text: `32 concurrent \`spawn(sh -c 'echo $k; exit $k')\` (default peak, the hand-off) + exited + stdout read at least 0.9x the commands/s of Bun.spawn` },
    ],
  },
  {
    id: "sync",
    what: "`/bin/true`, one after another, its exit code checked (stdout and stderr piped, the default of both)",
    contenders: [
      ["syncOurs", '`spawnSync(["/bin/true"])` (default peak: the hand-off)'],
      ["syncPlain", '`spawnSync(["/bin/true"], { peak: "plain" })`'],
      ["syncBun", '`Bun.spawnSync(["/bin/true"])`'],
    ],
    passes: [1, 1],
    full: [1000, 100, 5],
    quick: [100, 40, 3],
    goals: [
      { loop: "syncPlain", limit: 0.95, text: '`spawnSync(["/bin/true"], { peak: "plain" })` at least 0.95x the calls/s of Bun.spawnSync' },
      { loop: "syncOurs", limit: 0.95, text: '`spawnSync(["/bin/true"])` (default peak, the hand-off) at least 0.95x the calls/s of Bun.spawnSync' },
    ],
  },
  {
    id: "sequential",
    what: "`/bin/true`, one after another, `await p.exited` (stdout piped and not read, the default), its exit code checked",
    contenders: [
      ["sequentialOwn", '`await spawn(["/bin/true"]).exited` (default peak: the hand-off)'],
      ["sequentialPlain", '`await spawn(["/bin/true"], { peak: "plain" }).exited`'],
      ["sequentialBun", '`await Bun.spawn(["/bin/true"]).exited`'],
    ],
    passes: [1, 1],
    full: [1000, 50, 5],
    quick: [100, 20, 3],
    goals: [],
  },
  firstPart("spawnSync", [
    ["firstSyncOwn", '`spawnSync(["/bin/true"])` (default peak: starts the forker)'],
    ["firstSyncPlain", '`spawnSync(["/bin/true"], { peak: "plain" })`'],
    ["firstSyncBun", '`Bun.spawnSync(["/bin/true"])`'],
  ]),
  firstPart("spawn", [
    ["firstSpawnOwn", '`await spawn(["/bin/true"]).exited` (default peak: starts the forker)'],
    ["firstSpawnPlain", '`await spawn(["/bin/true"], { peak: "plain" }).exited`'],
    ["firstSpawnBun", '`await Bun.spawn(["/bin/true"]).exited`'],
  ]),
];

function spawnCase(part: Part) {
  const reference = part.contenders[part.contenders.length - 1]!;
  const bun = reference[0];
  return defineCase<Timing>({
    id: `spawn/${part.id.replace(" ", "-")}`,
    rounds: [7, 3],
    passes: part.passes,
    prepare(ctx) {
      const sizes = ctx.quick ? part.quick : part.full;
      const passes = ctx.quick ? part.passes[1] : part.passes[0];
      return {
        contenders: part.contenders.map(([id, label]) => ({ id, label, sample: () => loopSample(workerArgv("spawn", id, ...sizes)) })),
        tables: (samples) => [
          {
            intro: part.perCall
              ? `spawn() and spawnSync() (\`--case spawn\`), ${part.id}: ${part.what}. One process per contender and sample (${passes} per round), one command each; medians over samples; "− Bun's" the median of paired differences against ${reference[1]} of the same round and pass.`
              : `spawn() and spawnSync() (\`--case spawn\`), ${part.id}: ${part.what}. One process per contender and sample (${passes} per round): ${sizes[0]} untimed commands, then ${sizes[2]} batches of ${sizes[1]}, its median batch; medians over samples; "vs" is the median of per-sample ratios of commands per second against ${reference[1]} of the same round and pass, "− Bun" the median of paired differences per command.`,
            head: part.perCall
              ? ["| contender | wall | parent CPU | wall − Bun's | parent CPU − Bun's |", "|---|---:|---:|---:|---:|"]
              : ["| contender | commands per second | spread of samples | parent CPU per command | vs Bun's | wall − Bun | parent CPU − Bun |", "|---|---:|---:|---:|---:|---:|---:|"],
            rows: part.contenders.map(([id, label]) => {
              const w = walls(samples, id);
              const versus = (f: typeof walls) => (id === bun ? "–" : signedMs(pairedDiff(f(samples, id), f(samples, bun)), 3));
              if (part.perCall) return `| ${label} | ${ms(median(w), 2)} | ${ms(median(cpus(samples, id)), 2)} | ${versus(walls)} | ${versus(cpus)} |`;
              return `| ${label} | ${rate(median(w))} | ${rate(Math.max(...w))} – ${rate(Math.min(...w))} | ${ms(median(cpus(samples, id)), 3)} | ${times(pairedRatio(walls(samples, bun), w))} | ${versus(walls)} | ${versus(cpus)} |`;
            }),
          },
        ],
        goals: (samples) =>
          part.goals.map((g) => {
            const r = pairedRatio(walls(samples, bun), walls(samples, g.loop));
            return goal(g.text, r, r >= g.limit, `${times(r, 3)} (${rate(median(walls(samples, g.loop)))} vs ${rate(median(walls(samples, bun)))})`);
          }),
      };
    },
  });
}

export const spawnCases = PARTS.map(spawnCase);
