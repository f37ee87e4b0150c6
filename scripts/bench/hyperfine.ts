/**
 * The hyperfine case (`--case hyperfine`, issue 16 "Speed"): bun-wait4-bench's per-run
 * overhead against hyperfine's own. Both run the same command lines without a shell
 * (`-N --style none -r N`, `true` and a 10 ms `sleep`) and export JSON; a round runs both
 * tools once, in alternating order, and pairs their reported mean wall times. The goal: for
 * each command, the median over rounds of ours / hyperfine's within 5% of 1.
 *
 * hyperfine is Debian's (/usr/bin/hyperfine) unless HYPERFINE names another binary (e.g. the
 * 1.20 that ../shared/tools/hyperfine-1.20/build.sh builds): with `-N` both versions time a run
 * the same way (from the spawn to the reap).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median, pairedRatio, rotate } from "./stats.ts";

const BENCH = resolve(import.meta.dir, "..", "..", "src", "cli", "bench", "main.ts");
/** The commands compared, each with its runs per tool and round. */
const COMMANDS = [
  { line: "true", label: "`true`", runs: 300 },
  { line: "sleep 0.01", label: "`sleep 0.01`", runs: 100 },
] as const;
const TOLERANCE = 0.05;

/** One round: each tool's reported mean (seconds) per command. */
interface Round {
  order: ("ours" | "hyperfine")[];
  ours: number[];
  hyperfine: number[];
}

/** What the case measured. */
export interface HyperfineResult {
  binary: string;
  version: string;
  rounds: Round[];
}

/** A goal of this case, shaped as bench.ts's other special cases shape theirs. */
export interface HyperfineGoal {
  id: string;
  text: string;
  shown: string;
  measured: number | undefined;
  verdict: "PASS" | "MISS" | "n/a";
}

/** Each command's reported mean (seconds) from one invocation of the tool per command (each with its own -r). */
function means(argv: string[], json: string): number[] {
  return COMMANDS.map((c) => {
    const r = Bun.spawnSync([...argv, "-N", "--style", "none", "-r", String(c.runs), "--export-json", json, c.line], { stdout: "ignore", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} ${c.line} failed: ${r.stderr.toString()}`);
    return (JSON.parse(readFileSync(json, "utf8")) as { results: { mean: number }[] }).results[0]!.mean;
  });
}

/** Runs the rounds; undefined (with a note) when there is no hyperfine to compare with. */
export function runHyperfine(options: { rounds: number }): HyperfineResult | undefined {
  const binary = process.env.HYPERFINE ?? "/usr/bin/hyperfine";
  const version = Bun.spawnSync([binary, "--version"], { stdout: "pipe" });
  if (version.exitCode !== 0) {
    console.error(`bench: no hyperfine at ${binary} (apt-get install hyperfine); the hyperfine case is skipped`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-hyperfine-"));
  const tools = { ours: [process.execPath, BENCH], hyperfine: [binary] } as const;
  const rounds: Round[] = [];
  try {
    for (let i = 0; i < options.rounds; i++) {
      const order = rotate(["ours", "hyperfine"] as const, i, false);
      const round: Round = { order, ours: [], hyperfine: [] };
      for (const tool of order) round[tool] = means([...tools[tool]], join(dir, `${tool}.json`));
      rounds.push(round);
      console.error(`bench: hyperfine round ${i + 1}/${options.rounds}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { binary, version: version.stdout.toString().trim(), rounds };
}

const ms = (s: number) => `${(s * 1e3).toFixed(3)} ms`;

function ratios(r: HyperfineResult, index: number): number {
  return pairedRatio(
    r.rounds.map((x) => x.ours[index]!),
    r.rounds.map((x) => x.hyperfine[index]!),
  );
}

/** The goals: each command's mean within 5% of hyperfine's. */
export function hyperfineGoals(r: HyperfineResult): HyperfineGoal[] {
  return COMMANDS.map((c, i) => {
    const ratio = ratios(r, i);
    const off = Math.abs(ratio - 1);
    return {
      id: `hyperfine-${c.line.replace(/\W+/g, "-")}`,
      text: `bun-wait4-bench's mean wall time for ${c.label} (-N) within ${TOLERANCE * 100}% of hyperfine's`,
      shown: `${ratio.toFixed(3)}x hyperfine's`,
      measured: off,
      verdict: off <= TOLERANCE ? "PASS" : "MISS",
    };
  });
}

/** The table for BENCHMARKS.md. */
export function hyperfineTables(r: HyperfineResult): string[] {
  const lines = [
    `bun-wait4-bench vs hyperfine (\`--case hyperfine\`): \`-N --style none -r N --export-json\`, one command per invocation, each tool once per round in alternating order; the mean wall time each tool reports, medians over ${r.rounds.length} rounds; "ours / hyperfine" is the median of per-round ratios. hyperfine: ${r.version} (${r.binary}).`,
    "",
    "| command | runs | hyperfine | bun-wait4-bench | ours / hyperfine |",
    "|---|---:|---:|---:|---:|",
  ];
  COMMANDS.forEach((c, i) => {
    const theirs = median(r.rounds.map((x) => x.hyperfine[i]!));
    const ours = median(r.rounds.map((x) => x.ours[i]!));
    lines.push(`| ${c.label} | ${c.runs} | ${ms(theirs)} | ${ms(ours)} | ${ratios(r, i).toFixed(3)}x |`);
  });
  return lines;
}
