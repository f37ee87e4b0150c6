/**
 * bun-wait4's `spawn()` and `spawnSync()` next to Bun's own `Bun.spawn` and `Bun.spawnSync`
 * doing the same (issue 14, "Speed"), each contender a loop of workers/spawn.ts in a fresh
 * process per sample, all from the package entry as a user calls them:
 *
 *   concurrent  32 commands in flight, `sh -c 'echo $k; exit $k'` with stdout piped and read:
 *               spawn() with `peak: "plain"` (goal: 0.95x Bun.spawn's commands/s) and with the
 *               default peak, the hand-off (goal: 0.9x).
 *   sync        `spawnSync(["/bin/true"])` one after another (goal: 0.95x Bun.spawnSync's rate), and
 *               with `peak: "plain"` (no goal: where the hand-off's time goes).
 *   sequential  `await spawn(["/bin/true"]).exited` one after another, default and plain (no goal).
 *
 * Judged by wall time; each table also shows this process's CPU (all threads) per command.
 */
import { grouped, ms, signedMs, times } from "../format.ts";
import { defineCase, goal, loopSample, workerArgv, type Samples, type Timing } from "../harness.ts";
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
  /** Goals: ours' commands/s at least `limit` times the reference's. */
  goals: readonly { loop: string; limit: number; text: string }[];
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
    full: [64, 160, 5],
    quick: [32, 64, 3],
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
    passes: [2, 1],
    full: [50, 60, 5],
    quick: [20, 40, 3],
    goals: [{ loop: "syncOurs", limit: 0.95, text: '`spawnSync(["/bin/true"])` at least 0.95x the calls/s of Bun.spawnSync' }],
  },
  {
    id: "sequential",
    what: "`/bin/true`, one after another, `await p.exited` (stdout piped and not read, the default), its exit code checked",
    contenders: [
      ["sequentialOwn", '`await spawn(["/bin/true"]).exited` (default peak: the hand-off)'],
      ["sequentialPlain", '`await spawn(["/bin/true"], { peak: "plain" }).exited`'],
      ["sequentialBun", '`await Bun.spawn(["/bin/true"]).exited`'],
    ],
    passes: [2, 1],
    full: [150, 30, 5],
    quick: [30, 20, 3],
    goals: [],
  },
];

const walls = (samples: Samples<Timing>, id: string) => samples(id).map((s) => s.wall);
/** This process's CPU: all its threads. */
const cpus = (samples: Samples<Timing>, id: string) => samples(id).map((s) => s.proc);
const rate = (ns: number) => `${grouped(1e9 / ns)}/s`;

function spawnCase(part: Part) {
  const reference = part.contenders[part.contenders.length - 1]!;
  const bun = reference[0];
  return defineCase<Timing>({
    id: `spawn/${part.id}`,
    rounds: [7, 3],
    passes: part.passes,
    prepare(ctx) {
      const sizes = ctx.quick ? part.quick : part.full;
      const passes = ctx.quick ? part.passes[1] : part.passes[0];
      return {
        contenders: part.contenders.map(([id, label]) => ({ id, label, sample: () => loopSample(workerArgv("spawn", id, ...sizes)) })),
        tables: (samples) => [
          {
            intro: `spawn() and spawnSync() (\`--case spawn\`), ${part.id}: ${part.what}. One process per contender and sample (${passes} per round): ${sizes[0]} untimed commands, then ${sizes[2]} batches of ${sizes[1]}, its median batch; medians over samples; "vs" is the median of per-sample ratios of commands per second against ${reference[1]} of the same round and pass, "− Bun" the median of paired differences per command.`,
            head: ["| contender | commands per second | spread of samples | parent CPU per command | vs Bun's | wall − Bun | parent CPU − Bun |", "|---|---:|---:|---:|---:|---:|---:|"],
            rows: part.contenders.map(([id, label]) => {
              const w = walls(samples, id);
              const versus = (f: typeof walls) => (id === bun ? "–" : signedMs(pairedDiff(f(samples, id), f(samples, bun)), 3));
              return `| ${label} | ${rate(median(w))} | ${rate(Math.max(...w))} – ${rate(Math.min(...w))} | ${ms(median(cpus(samples, id)), 3)} | ${times(pairedRatio(walls(samples, bun), w))} | ${versus(walls)} | ${versus(cpus)} |`;
            }),
          },
        ],
        goals: (samples) =>
          part.goals.map((g) => {
            const r = pairedRatio(walls(samples, bun), walls(samples, g.loop));
            return goal(g.text, r, r >= g.limit, `${r.toFixed(3)}x (${rate(median(walls(samples, g.loop)))} vs ${rate(median(walls(samples, bun)))})`);
          }),
      };
    },
  });
}

export const spawnCases = PARTS.map(spawnCase);
