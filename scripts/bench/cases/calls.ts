/**
 * The synchronous calls: the same loop in C (ref.c, gcc -O2), bun-wait4 (workers/calls.ts),
 * CPython (ref.py) and a Bun built-in where one exists, each in a process of its own that
 * reports the median of its timed batches. Judged by the worker thread's CPU time, which a busy
 * neighbour barely moves; spawn, whose work includes the child's, by wall time (--wall: every
 * case by wall time). Both clocks are kept.
 */
import { median, pairedRatio } from "../stats.ts";
import { ns, rate, times } from "../format.ts";
import { benchFile, compile, defineCase, goal, loopSample, workerArgv, type Contender, type Context, type Timing } from "../harness.ts";

type Sizes = readonly [warmup: number, iterations: number, batches: number];
type Versus = "c" | "python" | "builtin";

interface Goal {
  text: string;
  versus: Versus;
  /** ours' time / theirs at most `limit` ("slower"), or theirs / ours at least (above, when strict) `limit` ("faster"). */
  kind: "slower" | "faster";
  limit: number;
  strict?: boolean;
}

interface Call {
  id: string;
  title: string;
  /** "rate": shown as operations per second. */
  unit: "ns" | "rate";
  clock: "cpu" | "wall";
  passes: number;
  ours: [loop: string, label: string];
  python: string;
  builtin?: [loop: string, label: string];
  full: Sizes;
  quick: Sizes;
  goals: Goal[];
}

const CALLS: Call[] = [
  {
    id: "wait4",
    title: "wait4(pid, WNOHANG) on a live child, WIFEXITED(status)",
    unit: "ns",
    clock: "cpu",
    passes: 1,
    ours: ["wait4", "bun-wait4 wait4"],
    python: "CPython os.wait4",
    full: [100_000, 100_000, 5],
    quick: [100_000, 50_000, 3],
    goals: [
      { text: "wait4 WNOHANG within 1.25x of C", versus: "c", kind: "slower", limit: 1.25 },
      { text: "wait4 WNOHANG >= 2.5x faster than CPython", versus: "python", kind: "faster", limit: 2.5 },
    ],
  },
  {
    id: "getrusage",
    title: "getrusage(RUSAGE_SELF), one field read",
    unit: "ns",
    clock: "cpu",
    passes: 1,
    ours: ["getrusage", "bun-wait4 getrusage"],
    python: "CPython resource.getrusage",
    builtin: ["resourceUsage", "Bun process.resourceUsage()"],
    full: [100_000, 100_000, 5],
    quick: [100_000, 50_000, 3],
    goals: [
      { text: "getrusage within 1.15x of C", versus: "c", kind: "slower", limit: 1.15 },
      { text: "getrusage faster than process.resourceUsage()", versus: "builtin", kind: "faster", limit: 1, strict: true },
    ],
  },
  {
    id: "exitcode",
    title: "waitstatus_to_exitcode(status), exited and signaled words",
    unit: "ns",
    clock: "cpu",
    passes: 1,
    ours: ["exitcode", "bun-wait4 waitstatus_to_exitcode"],
    python: "CPython os.waitstatus_to_exitcode",
    // The optimizing JIT needs a few hundred thousand iterations of a loop this cheap.
    full: [2_000_000, 2_000_000, 5],
    quick: [1_000_000, 400_000, 3],
    goals: [{ text: "waitstatus_to_exitcode >= 10x faster than CPython", versus: "python", kind: "faster", limit: 10 }],
  },
  {
    id: "wmacros",
    title: "the 8 W* functions, per call",
    unit: "ns",
    clock: "cpu",
    passes: 1,
    ours: ["wmacros", "bun-wait4 W*"],
    python: "CPython os.W*",
    full: [1_000_000, 400_000, 5],
    quick: [500_000, 100_000, 3],
    goals: [{ text: "W* functions >= 10x faster than CPython", versus: "python", kind: "faster", limit: 10 }],
  },
  {
    id: "echild",
    title: "error path: waitpid(-1, 0) without children -> ECHILD, caught",
    unit: "ns",
    clock: "cpu",
    passes: 1,
    ours: ["echild", "bun-wait4 waitpid -> SystemError"],
    python: "CPython os.waitpid -> ChildProcessError",
    full: [100_000, 100_000, 5],
    quick: [100_000, 50_000, 3],
    goals: [{ text: "ECHILD error path faster than CPython", versus: "python", kind: "faster", limit: 1, strict: true }],
  },
  {
    id: "posix_spawn",
    title: "spawn and reap /bin/true (spawns/s)",
    unit: "rate",
    clock: "wall",
    // A spawn is slow and noisy (the child must be scheduled too): twice the samples, in
    // short batches, many of them, so that one noisy moment shows as one batch.
    passes: 2,
    ours: ["spawn", "bun-wait4 posix_spawnp + wait4"],
    python: "CPython os.posix_spawnp + os.wait4",
    builtin: ["spawnSync", "Bun.spawnSync, stdio inherit"],
    full: [50, 100, 7],
    quick: [30, 50, 5],
    goals: [
      { text: "spawn+reap >= 0.95x C's spawns/s", versus: "c", kind: "faster", limit: 0.95 },
      { text: "spawn+reap >= Bun.spawnSync's spawns/s", versus: "builtin", kind: "faster", limit: 1 },
    ],
  },
];

/** The C references, built once per run. */
let reference: { dir: string; path: string | undefined } | undefined;

function callCase(call: Call) {
  return defineCase<Timing>({
    id: `calls/${call.id}`,
    rounds: [7, 5],
    passes: [call.passes, call.passes],
    prepare(ctx: Context) {
      if (reference?.dir !== ctx.dir) reference = { dir: ctx.dir, path: compile(ctx, "ref.c", "ref") };
      const sizes = ctx.quick ? call.quick : call.full;
      const clock = ctx.wall ? "wall" : call.clock;
      const other = clock === "wall" ? "cpu" : "wall";
      const contenders: Contender<Timing>[] = [];
      const c = reference.path;
      if (c !== undefined) contenders.push({ id: "c", label: "C (gcc -O2)", sample: () => loopSample([c, call.id, ...sizes.map(String)]) });
      contenders.push({ id: "ours", label: call.ours[1], sample: () => loopSample(workerArgv("calls", call.ours[0], ...sizes)) });
      const python = ctx.python;
      if (python !== undefined) contenders.push({ id: "python", label: call.python, sample: () => loopSample([python, benchFile("ref.py"), call.id, ...sizes.map(String)]) });
      const builtin = call.builtin;
      if (builtin !== undefined) contenders.push({ id: "builtin", label: builtin[1], sample: () => loopSample(workerArgv("calls", builtin[0], ...sizes)) });
      const labels = new Map(contenders.map((k) => [k.id, k.label]));
      const value = call.unit === "rate" ? rate : ns;
      return {
        contenders,
        tables: (samples) => [
          {
            head: ["| case (clock) | contender | median | spread of samples | vs C | median by the other clock |", "|---|---|---:|---:|---:|---:|"],
            rows: contenders.map((k, i) => {
              const figures = samples(k.id).map((s) => s[clock]);
              const vsC = pairedRatio(figures, samples("c").map((s) => s[clock]));
              const [lo, hi] = [Math.min(...figures), Math.max(...figures)];
              const spread = call.unit === "rate" ? `${rate(hi)} – ${rate(lo)}` : `${ns(lo)} – ${ns(hi)}`;
              return `| ${i === 0 ? `${call.title} (${clock === "cpu" ? "thread CPU" : "wall"})` : ""} | ${k.label} | ${value(median(figures))} | ${spread} | ${times(call.unit === "rate" ? 1 / vsC : vsC)} | ${value(median(samples(k.id).map((s) => s[other])))} |`;
            }),
          },
        ],
        goals: (samples) =>
          call.goals.map((g) => {
            const ours = samples("ours").map((s) => s[clock]);
            const theirs = samples(g.versus).map((s) => s[clock]);
            const label = labels.get(g.versus) ?? g.versus;
            if (g.kind === "slower") {
              const r = pairedRatio(ours, theirs);
              return goal(g.text, r, r <= g.limit, `${times(r, 3)} of ${label}'s time`);
            }
            const r = pairedRatio(theirs, ours);
            return goal(g.text, r, g.strict ? r > g.limit : r >= g.limit, `${times(r, 3)} ${call.unit === "rate" ? `of ${label}'s rate` : `as fast as ${label}`}`);
          }),
      };
    },
  });
}

export const callCases = CALLS.map(callCase);
