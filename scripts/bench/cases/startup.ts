/**
 * What importing bun-wait4 and starting its command-line tool cost over a bare Bun start, as a
 * user sees it: one fresh process per contender (the rows of `list`) and sample. The tool's own
 * start names a program that does not exist: arguments, loading, the program lookup and the
 * exit-127 report, everything but starting a command. Every Bun runs with `--no-install`, so a
 * failed resolution fails instead of fetching from a registry, and every exit status is checked.
 * One untimed pass warms the page cache. Wall time is measured from spawn to reap; CPU is the
 * child's (user + system, its rusage). Differences are medians of per-round differences against
 * the bare start.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ms, signedMs } from "../format.ts";
import { defineCase, goal, type Samples } from "../harness.ts";
import { median, pairedDiff } from "../stats.ts";

const ROOT = resolve(import.meta.dir, "..", "..", "..");
const CLI = join(ROOT, "dist", "bun-wait4.js");
const CLI_SOURCES = join(ROOT, "src", "cli", "main.ts");

interface Sample {
  wallNs: number;
  cpuNs: number;
}

function measure(argv: string[], status: number, env: Record<string, string> = {}): Sample {
  const withEnv = { ...process.env, ...env };
  const started = Bun.nanoseconds();
  const child = Bun.spawnSync({ cmd: argv, cwd: ROOT, stdout: "ignore", stderr: "pipe", env: withEnv });
  const wallNs = Bun.nanoseconds() - started;
  if (child.exitCode !== status) throw new Error(`${argv.join(" ")} exited ${child.exitCode} (expected ${status}):\n${child.stderr}`);
  const cpu = child.resourceUsage?.cpuTime;
  return { wallNs, cpuNs: cpu === undefined ? NaN : Number(cpu.user + cpu.system) * 1000 };
}

const overBare = (samples: Samples<Sample>, id: string, clock: keyof Sample) => pairedDiff(samples(id).map((s) => s[clock]), samples("bare").map((s) => s[clock]));

export const startupCase = defineCase<Sample>({
  id: "startup",
  rounds: [21, 7],
  warmUp: true,
  prepare() {
    const bun = [process.execPath, "--no-install"];
    if (!existsSync(CLI)) throw new Error(`bench: no ${CLI} (npm run build)`);
    const list: [id: string, label: string, argv: string[], status: number, env?: Record<string, string>][] = [
      ["bare", "`bun -e 0` (bare start, the reference)", [...bun, "-e", "0"], 0],
      ["import", '`bun -e \'import "bun-wait4"\'`', [...bun, "-e", 'import "bun-wait4"'], 0],
      ["promises", '`bun -e \'import "bun-wait4/promises"\'`', [...bun, "-e", 'import "bun-wait4/promises"'], 0],
      ["importSources", "`bun -e 'import \"./src/index.ts\"'`: the same, unbuilt", [...bun, "-e", 'import "./src/index.ts"'], 0],
      ["cliOwn", "`bun-wait4 ./no-such-program`: the tool's own start (exit 127)", [...bun, CLI, "./no-such-program"], 127],
      ["cli", "`bun-wait4 true`: own start + the command's", [...bun, CLI, "true"], 0],
      ["cliProbe", "`bun-wait4 true` with no verdict kept (`BUN_WAIT4_CACHE=off`: the shell is probed)", [...bun, CLI, "true"], 0, { BUN_WAIT4_CACHE: "off" }],
      ["cliSources", "`bun src/cli/main.ts true`: the same, unbuilt", [...bun, CLI_SOURCES, "true"], 0],
    ];
    if (existsSync("/usr/bin/time")) list.push(["gnuTime", "`/usr/bin/time true` (GNU time)", ["/usr/bin/time", "true"], 0]);
    else console.error("bench: no /usr/bin/time; the startup case shows no GNU time row");
    return {
      contenders: list.map(([id, label, argv, status, env]) => ({ id, label, sample: () => measure(argv, status, env) })),
      tables: (samples) => [
        {
          intro: `Startup (\`--case startup\`): one fresh process per contender and round, in rotating order; wall time from spawn to reap, the child's CPU (user + system); "over bare" is the median of per-round differences against \`bun -e 0\`. Every Bun runs with \`--no-install\`.`,
          head: ["| contender | wall | CPU | wall over bare | CPU over bare |", "|---|---:|---:|---:|---:|"],
          rows: list.map(([id, label]) => {
            const over = (clock: keyof Sample) => (id === "bare" || id === "gnuTime" ? "–" : signedMs(overBare(samples, id, clock), 1));
            return `| ${label} | ${ms(median(samples(id).map((s) => s.wallNs)), 1)} | ${ms(median(samples(id).map((s) => s.cpuNs)), 1)} | ${over("wallNs")} | ${over("cpuNs")} |`;
          }),
        },
      ],
      goals: (samples) =>
        ([["import", '`import "bun-wait4"`', 5], ["cli", "`bun-wait4 true`", 10]] as const).map(([id, what, limit]) => {
          const d = overBare(samples, id, "wallNs") / 1e6;
          return goal(`${what} at most +${limit} ms over a bare Bun start (wall)`, d, d <= limit, `${signedMs(d * 1e6, 1)} (CPU ${signedMs(overBare(samples, id, "cpuNs"), 1)})`);
        }),
    };
  },
});
