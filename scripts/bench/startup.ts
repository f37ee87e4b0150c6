/**
 * The startup case of scripts/bench.ts (issue 15): what importing bun-wait4 and starting its
 * command-line tool cost over a bare Bun start, as a user sees it.
 *
 * One fresh process per contender and round: `bun -e 0` (the reference), `bun -e` importing
 * "bun-wait4" and "bun-wait4/promises", the tool's own start (`bun src/cli/main.ts` naming a
 * program that does not exist: arguments, loading, the program lookup and the exit-127 report
 * — everything but starting a command) and the tool timing `true` (its own start plus starting,
 * waiting for and reporting the command), beside GNU time timing `true`. Every Bun runs with
 * `--no-install`, so a failed resolution fails instead of fetching from a registry, and every
 * exit status is checked. One untimed pass warms the page cache; then each round runs every
 * contender once, in an order rotated each round and reversed every other one (stats.ts).
 * Wall time is measured by the parent from spawn to reap; CPU is the child's (user + system,
 * its rusage). Differences are medians of per-round differences against the bare start.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { median, pairedDiff, rotate } from "./stats.ts";

const ROOT = resolve(import.meta.dir, "..", "..");
const CLI = join(ROOT, "src", "cli", "main.ts");

/** Goals, over a bare Bun start, wall time. */
export const IMPORT_LIMIT_MS = 5;
export const CLI_LIMIT_MS = 10;

type StartupId = "bare" | "import" | "promises" | "cliOwn" | "cli" | "gnuTime";

interface Contender {
  id: StartupId;
  label: string;
  argv: string[];
  status: number;
}

function contenders(): Contender[] {
  const bun = [process.execPath, "--no-install"];
  const list: Contender[] = [
    { id: "bare", label: "`bun -e 0` (bare start, the reference)", argv: [...bun, "-e", "0"], status: 0 },
    { id: "import", label: '`bun -e \'import "bun-wait4"\'`', argv: [...bun, "-e", 'import "bun-wait4"'], status: 0 },
    { id: "promises", label: '`bun -e \'import "bun-wait4/promises"\'`', argv: [...bun, "-e", 'import "bun-wait4/promises"'], status: 0 },
    { id: "cliOwn", label: "`bun-wait4 ./no-such-program`: the tool's own start (exit 127)", argv: [...bun, CLI, "./no-such-program"], status: 127 },
    { id: "cli", label: "`bun-wait4 true`: own start + the command's", argv: [...bun, CLI, "true"], status: 0 },
  ];
  if (existsSync("/usr/bin/time")) list.push({ id: "gnuTime", label: "`/usr/bin/time true` (GNU time)", argv: ["/usr/bin/time", "true"], status: 0 });
  else console.error("bench: no /usr/bin/time; the startup case shows no GNU time row");
  return list;
}

interface Sample {
  wallNs: number;
  cpuNs: number;
}

function measure(c: Contender): Sample {
  const started = Bun.nanoseconds();
  const child = Bun.spawnSync({ cmd: c.argv, cwd: ROOT, stdout: "ignore", stderr: "pipe" });
  const wallNs = Bun.nanoseconds() - started;
  if (child.exitCode !== c.status) throw new Error(`${c.argv.join(" ")} exited ${child.exitCode} (expected ${c.status}):\n${child.stderr}`);
  const cpu = child.resourceUsage?.cpuTime;
  return { wallNs, cpuNs: cpu === undefined ? NaN : Number(cpu.user + cpu.system) * 1000 };
}

export interface StartupResult {
  rounds: number;
  labels: Partial<Record<StartupId, string>>;
  samples: Partial<Record<StartupId, Sample[]>>;
}

export function runStartup(options: { rounds: number }): StartupResult {
  const list = contenders();
  const samples: Partial<Record<StartupId, Sample[]>> = {};
  for (const c of list) measure(c);
  for (let round = 0; round < options.rounds; round++) {
    for (const c of rotate(list, round, round % 2 === 1)) (samples[c.id] ??= []).push(measure(c));
  }
  console.error(`bench: startup, ${options.rounds} rounds done`);
  return { rounds: options.rounds, labels: Object.fromEntries(list.map((c) => [c.id, c.label])), samples };
}

const ms = (ns: number) => (Number.isFinite(ns) ? `${(ns / 1e6).toFixed(1)} ms` : "–");
const signedMs = (ns: number) => (Number.isFinite(ns) ? `${ns >= 0 ? "+" : "−"}${Math.abs(ns / 1e6).toFixed(1)} ms` : "–");
const figures = (r: StartupResult, id: StartupId, clock: keyof Sample) => (r.samples[id] ?? []).map((s) => s[clock]);
/** Median per-round difference of `id` over the bare start. */
const overBare = (r: StartupResult, id: StartupId, clock: keyof Sample) => pairedDiff(figures(r, id, clock), figures(r, "bare", clock));

export function startupTables(r: StartupResult): string[] {
  const lines = [
    `Startup (\`--case startup\`): one fresh process per contender and round, ${r.rounds} rounds in rotating order; wall time from spawn to reap, the child's CPU (user + system); "over bare" is the median of per-round differences against \`bun -e 0\`. Every Bun runs with \`--no-install\`.`,
    "",
    "| contender | wall | CPU | wall over bare | CPU over bare |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const [id, label] of Object.entries(r.labels) as [StartupId, string][]) {
    const bare = id === "bare" || id === "gnuTime";
    lines.push(
      `| ${label} | ${ms(median(figures(r, id, "wallNs")))} | ${ms(median(figures(r, id, "cpuNs")))} | ${bare ? "–" : signedMs(overBare(r, id, "wallNs"))} | ${bare ? "–" : signedMs(overBare(r, id, "cpuNs"))} |`,
    );
  }
  return lines;
}

export interface StartupGoal {
  id: string;
  text: string;
  shown: string;
  measured: number | undefined;
  verdict: "PASS" | "MISS" | "n/a";
}

export function startupGoals(r: StartupResult): StartupGoal[] {
  const goal = (id: string, of: StartupId, what: string, limit: number): StartupGoal => {
    const text = `${what} at most +${limit} ms over a bare Bun start (wall)`;
    if ((r.samples[of] ?? []).length === 0) return { id, text, shown: "–", measured: undefined, verdict: "n/a" };
    const d = overBare(r, of, "wallNs") / 1e6;
    return { id, text, shown: `${signedMs(d * 1e6)} (CPU ${signedMs(overBare(r, of, "cpuNs"))})`, measured: d, verdict: d <= limit ? "PASS" : "MISS" };
  };
  return [goal("startup-import", "import", '`import "bun-wait4"`', IMPORT_LIMIT_MS), goal("startup-cli", "cli", "`bun-wait4 true`", CLI_LIMIT_MS)];
}
