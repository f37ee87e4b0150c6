/**
 * What run()'s hand-off (src/run/handoff.ts, docs/DESIGN.md §6) buys and costs, every sample
 * from a Bun parent holding 200 MiB (workers/handoff.ts):
 *
 *   peak        the peak RSS of `true` and of a program that writes 60 MiB (handoff-alloc.c;
 *               `python3 -c` without a compiler) by run() with the hand-off, by run() with
 *               peak "plain" and by GNU time's %M.
 *   cost        wall time and parent CPU per sequential `await run(["/bin/true"])` against a
 *               synchronous posix_spawnp + wait4 (the raw floor), and the parts in between, each
 *               timed from outside as its own loop: the hand-off without run() around it, the
 *               asynchronous wait alone, and the forker making a spare.
 *   ready       the same two with a pause before each command, so that run() finds its spare
 *               made: what a command costs when the forker is not on its critical path.
 *   concurrent  32 commands in flight (`sh -c 'echo $k; exit $k'`, stdout piped) through
 *               run() and through Bun.spawn + exited + stdout.text(): commands per second.
 *   first       the first call in a fresh process: run() (forker start, shell probe, loading
 *               run()), `handoffShell()` alone, and plain first spawns.
 */
import { existsSync } from "node:fs";
import { kib, ms, rate, signedMs, times } from "../format.ts";
import { compile, cpus, defineCase, goal, loopSample, processSample, walls, workerArgv, type Context, type Samples, type Timing } from "../harness.ts";
import { median, pairedDiff, pairedRatio } from "../stats.ts";

const PARENT_MIB = 200;
const BIG_MIB = 60;
const ROUNDS = [7, 3] as const;

/** A loop of workers/handoff.ts, in a process holding PARENT_MIB. */
const loopContender = (sizes: readonly number[]) => ([id, label]: readonly [string, string]) => ({ id, label, sample: () => loopSample(workerArgv("handoff", id, ...sizes, PARENT_MIB)) });
const linux = () => (process.platform === "linux" ? undefined : `not needed on ${process.platform}: a child's peak memory is its own there`);

interface PeakSample {
  hwmBareKiB: number;
  hwmParentKiB: number;
  trueKiB: number[];
  bigKiB: number[];
  shell?: string;
}

/** The 60 MiB program: built from C, else python3. */
function bigProgram(ctx: Context): { argv: string[]; label: string } | undefined {
  const built = compile(ctx, "handoff-alloc.c", "handoff-alloc");
  if (built !== undefined) return { argv: [built, String(BIG_MIB)], label: `\`handoff-alloc ${BIG_MIB}\` (C, ${ctx.cc} -O2: malloc + memset ${BIG_MIB} MiB)` };
  if (ctx.python === undefined) return undefined;
  const code = `b = b"Z" * (${BIG_MIB} << 20)`;
  return { argv: [ctx.python, "-c", code], label: `\`python3 -c '${code}'\`` };
}

const peak = defineCase<PeakSample>({
  id: "handoff/peak",
  rounds: ROUNDS,
  prepare(ctx) {
    const why = linux();
    if (why !== undefined) return why;
    const big = bigProgram(ctx);
    if (big === undefined) return "neither a C compiler nor python3 for the 60 MiB program";
    const reps = ctx.quick ? 2 : 3;
    const gnu = existsSync("/usr/bin/time");
    const ids = (gnu ? [["gnu", "GNU time %M"]] : []).concat([["auto", "run() (hand-off)"], ["plain", 'run(), peak: "plain"']]);
    const figures = (samples: Samples<PeakSample>, id: string, command: "true" | "big") => samples(id).map((s) => median(command === "true" ? s.trueKiB : s.bigKiB));
    const commands = [["true", "`true`"], ["big", big.label]] as const;
    return {
      contenders: ids.map(([id, label]) => ({ id: id!, label: label!, sample: () => processSample<PeakSample>(workerArgv("handoff", "peak", id!, PARENT_MIB, reps, ...big.argv)) })),
      tables: (samples) => {
        const all = ids.flatMap(([id]) => samples(id!));
        return [
          {
            intro: `Hand-off (\`--case handoff\`), peak RSS: \`rusage.ru_maxrss\` of a command run from a Bun parent that first wrote a ${PARENT_MIB} MiB Uint8Array (its VmHWM ${kib(median(all.map((s) => s.hwmParentKiB)))}; ${kib(median(all.map((s) => s.hwmBareKiB)))} before), next to GNU time's %M for the same command (\`sh -c 'exec /usr/bin/time -f %M "$@"' sh CMD\`, from the same parent${gnu ? "" : ": not installed"}). One process per contender and sample, each running every command ${reps} times (its median is the sample); "vs GNU" is the median of per-sample ratios. The hand-off's shell: ${samples("auto")[0]?.shell ?? "–"}.`,
            head: ["| command | GNU time %M | run() (hand-off) | vs GNU | run(), peak: \"plain\" | vs GNU |", "|---|---:|---:|---:|---:|---:|"],
            rows: commands.map(([command, label]) => {
              const g = figures(samples, "gnu", command);
              const vs = (id: string) => times(pairedRatio(figures(samples, id, command), g), 3);
              return `| ${label} | ${kib(median(g))} | ${kib(median(figures(samples, "auto", command)))} | ${vs("auto")} | ${kib(median(figures(samples, "plain", command)))} | ${vs("plain")} |`;
            }),
          },
        ];
      },
      goals: (samples) =>
        commands.map(([command]) => {
          const ours = figures(samples, "auto", command);
          const g = figures(samples, "gnu", command);
          const r = pairedRatio(ours, g);
          const pct = Math.abs((r - 1) * 100).toFixed(1);
          const what = command === "true" ? "`true`" : `the ${BIG_MIB} MiB program`;
          return goal(
            `run() peak RSS of ${what} from a ${PARENT_MIB} MiB Bun parent within 10% of GNU time's %M`,
            r,
            Math.abs(r - 1) <= 0.1,
            `${times(r, 3)} GNU's (${pct === "0.0" ? "±" : r > 1 ? "+" : "−"}${pct}%; ${kib(median(ours))} vs ${kib(median(g))})`,
          );
        }),
    };
  },
});

const COST = [
  ["run", '`await run(["/bin/true"])` (hand-off, the default)'],
  ["plain", '`await run(["/bin/true"], { peak: "plain" })`'],
  ["handOver", "`handOver(request)` + `await wait4(pid)`: the hand-off without run() around it"],
  ["launch", "a ready spare told only `exec /bin/true` + `await wait4(pid)`"],
  ["asyncWait", "`posix_spawnp` + `await wait4(pid)` (bun-wait4/promises)"],
  ["raw", "`posix_spawnp` + `wait4(pid, 0)`, synchronous (raw floor)"],
  ["bunSpawn", '`await Bun.spawn(["/bin/true"]).exited`'],
  ["spare", "the forker making one spare and ending it unused (`take()` with none ready, synchronously)"],
] as const;

/** The parts of `await run()` − raw, as paired differences of the loops above. */
const PARTS = [
  ["run", "handOver", "run()'s own work: options, program lookup, supervising, the result"],
  ["handOver", "launch", "the request: building it, and the spare setting stdio, directory and environment"],
  ["launch", "asyncWait", "a ready spare's exec instead of a posix_spawn"],
  ["asyncWait", "raw", "waiting through bun-wait4/promises instead of a blocking wait4"],
  ["run", "raw", "in all: `await run()` − the raw floor"],
] as const;

/** The most extra wall time per command of `await run()` over the raw floor (ms), and its goal's suffix. */
const COST_LIMITS = [[1, ""], [0.5, " (stretch)"], [0.25, " (issue 13)"]] as const;

const cost = defineCase<Timing>({
  id: "handoff/cost",
  rounds: ROUNDS,
  passes: [2, 1],
  prepare(ctx) {
    if (linux()) return linux()!;
    // The hand-off's parent CPU keeps falling for ~1,000 spawns (the JIT), its wall time
    // settles after ~100; 150 untimed spawns are a compromise with the time budget.
    const sizes = ctx.quick ? [100, 30, 3] : [150, 30, 5];
    return {
      contenders: COST.map(loopContender(sizes)),
      tables: (samples) => [
        {
          intro: `Hand-off, cost per command of \`/bin/true\`, one after another: wall time and this process's CPU (user + system, all threads). One process per contender and sample: ${sizes[0]} untimed commands, then ${sizes[2]} batches of ${sizes[1]}, its median batch; medians over samples; the differences are medians of per-sample differences against the raw floor of the same round and pass.`,
          head: ["| contender | wall per command | spread of samples | parent CPU per command | wall − raw | CPU − raw |", "|---|---:|---:|---:|---:|---:|"],
          rows: COST.map(([id, label]) => {
            const w = walls(samples, id);
            const over = (f: typeof walls) => (id === "raw" || id === "spare" ? "–" : signedMs(pairedDiff(f(samples, id), f(samples, "raw"))));
            return `| ${label} | ${ms(median(w))} | ${ms(Math.min(...w))} – ${ms(Math.max(...w))} | ${ms(median(cpus(samples, id)), 3)} | ${over(walls)} | ${over(cpus)} |`;
          }),
        },
        {
          intro: "Hand-off, where the time goes: each part is the median of per-sample differences between two of the loops above (same round and pass), so the parts need not add up exactly.",
          head: ["| part | wall | parent CPU |", "|---|---:|---:|"],
          rows: PARTS.map(([a, b, label]) => `| ${label} | ${signedMs(pairedDiff(walls(samples, a), walls(samples, b)), 3)} | ${signedMs(pairedDiff(cpus(samples, a), cpus(samples, b)), 3)} |`),
        },
      ],
      goals: (samples) => {
        const run = walls(samples, "run");
        const raw = walls(samples, "raw");
        const d = pairedDiff(run, raw) / 1e6;
        return COST_LIMITS.map(([limit, which]) =>
          goal(
            `\`await run(["/bin/true"])\` at most +${limit} ms over a synchronous posix_spawnp + wait4${which}, ${PARENT_MIB} MiB parent (wall)`,
            d,
            d <= limit,
            `${signedMs(d * 1e6)} per command (${ms(median(run))} vs ${ms(median(raw))})`,
          ),
        );
      },
    };
  },
});

const ready = defineCase<Timing>({
  id: "handoff/ready",
  rounds: ROUNDS,
  prepare(ctx) {
    if (linux()) return linux()!;
    const sizes = ctx.quick ? [50, 20, 3] : [100, 20, 5];
    const loops = [
      ["runReady", '`await run(["/bin/true"])`'],
      ["rawReady", "`posix_spawnp` + `wait4(pid, 0)`"],
    ] as const;
    return {
      contenders: loops.map(loopContender(sizes)),
      tables: (samples) => [
        {
          intro: `Hand-off with its spare ready: the same commands with a 3 ms pause (\`await Bun.sleep(3)\`) before each, in both loops, so that the forker has made the next spare by then; ${sizes[0]} untimed, then ${sizes[2]} batches of ${sizes[1]}; the pause is in both figures and cancels in the difference.`,
          head: ["| contender (pause included) | wall per command | parent CPU per command |", "|---|---:|---:|"],
          rows: [
            ...loops.map(([id, label]) => `| ${label} | ${ms(median(walls(samples, id)))} | ${ms(median(cpus(samples, id)), 3)} |`),
            `| difference (paired) | ${signedMs(pairedDiff(walls(samples, "runReady"), walls(samples, "rawReady")), 3)} | ${signedMs(pairedDiff(cpus(samples, "runReady"), cpus(samples, "rawReady")), 3)} |`,
          ],
        },
      ],
    };
  },
});

const CONCURRENT = [
  ["concurrentRun", '`run(["sh", "-c", "echo $k; exit $k"], { stdout: "pipe" })` (hand-off)'],
  ["concurrentPlain", 'the same with `peak: "plain"`'],
  ["concurrentBun", "`Bun.spawn` + `exited` + `stdout.text()`"],
] as const;

const concurrent = defineCase<Timing>({
  id: "handoff/concurrent",
  rounds: ROUNDS,
  prepare(ctx) {
    if (linux()) return linux()!;
    const sizes = ctx.quick ? [32, 128, 3] : [64, 256, 5];
    return {
      contenders: CONCURRENT.map(loopContender(sizes)),
      tables: (samples) => [
        {
          intro: `Hand-off, throughput: 32 commands in flight at any time, each checked for its exit status and output. One process per contender and sample: ${sizes[0]} untimed commands, then ${sizes[2]} batches of ${sizes[1]}, its median batch; "vs Bun.spawn" is the median of per-sample ratios of commands per second.`,
          head: ["| contender | commands per second | spread of samples | parent CPU per command | vs Bun.spawn |", "|---|---:|---:|---:|---:|"],
          rows: CONCURRENT.map(([id, label]) => {
            const w = walls(samples, id);
            return `| ${label} | ${rate(median(w))} | ${rate(Math.max(...w))} – ${rate(Math.min(...w))} | ${ms(median(cpus(samples, id)), 3)} | ${times(pairedRatio(walls(samples, "concurrentBun"), w))} |`;
          }),
        },
      ],
      goals: (samples) => {
        const r = pairedRatio(walls(samples, "concurrentBun"), walls(samples, "concurrentRun"));
        return [goal(`32 concurrent \`run(sh -c 'echo $k; exit $k', { stdout: "pipe" })\` at least 0.9x the commands/s of Bun.spawn + exited + stdout.text(), ${PARENT_MIB} MiB parent`, r, r >= 0.9, `${times(r, 3)} Bun.spawn's rate`)];
      },
    };
  },
});

const FIRST = [
  ["run", '`await run(["/bin/true"])`'],
  ["shell", "`handoffShell()` alone: the forker's start and the shell's probe"],
  ["plain", '`await run(["/bin/true"], { peak: "plain" })`'],
  ["raw", "`posix_spawnp` + `wait4(pid, 0)` (the plain first spawn)"],
  ["bunSpawn", '`await Bun.spawn(["/bin/true"]).exited`'],
] as const;

const first = defineCase<Timing>({
  id: "handoff/first",
  rounds: ROUNDS,
  passes: [2, 1],
  prepare() {
    if (linux()) return linux()!;
    return {
      contenders: FIRST.map(loopContender([0, 1, 1])),
      tables: (samples) => [
        {
          intro: `Hand-off, first use: the first call in a fresh process (after \`import "bun-wait4"\` and the ${PARENT_MIB} MiB allocation), one process per sample; "over the plain first spawn" is the median of per-sample differences against the first \`posix_spawnp\` + \`wait4\` of the same round and pass.`,
          head: ["| first call | wall | parent CPU | over the plain first spawn (wall) |", "|---|---:|---:|---:|"],
          rows: FIRST.map(([id, label]) => `| ${label} | ${ms(median(walls(samples, id)))} | ${ms(median(cpus(samples, id)))} | ${id === "raw" ? "–" : signedMs(pairedDiff(walls(samples, id), walls(samples, "raw")))} |`),
        },
      ],
    };
  },
});

export const handoffCases = [peak, cost, ready, concurrent, first];
