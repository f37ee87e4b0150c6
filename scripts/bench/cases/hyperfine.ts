/**
 * bun-wait4-bench against hyperfine: both run the same command lines without a shell
 * (`-N --style none -r N --export-json`, `true` and a 10 ms `sleep`), one invocation per
 * command, each tool once per round; the goal pairs their reported mean wall times: for each
 * command, the median over rounds of ours / hyperfine's within 5% of 1.
 *
 * hyperfine is $HYPERFINE, else $HYPERFINE_1_20 (.ci/run builds hyperfine 1.20, which
 * bun-wait4-bench follows), else Debian's /usr/bin/hyperfine: with `-N` all of them time a run
 * the same way (from the spawn to the reap).
 */
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { ms, times } from "../format.ts";
import { defineCase, goal } from "../harness.ts";
import { median, pairedRatio } from "../stats.ts";

const BENCH_CLI = resolve(import.meta.dir, "..", "..", "..", "src", "cli", "bench", "main.ts");
/** The commands compared, each with its runs per tool and round. */
const COMMANDS = [
  { line: "true", label: "`true`", runs: 300 },
  { line: "sleep 0.01", label: "`sleep 0.01`", runs: 100 },
] as const;
const TOLERANCE = 0.05;

/** Each command's reported mean (seconds). */
type Sample = number[];

export const hyperfineCase = defineCase<Sample>({
  id: "hyperfine",
  rounds: [7, 3],
  prepare(ctx) {
    const binary = process.env.HYPERFINE ?? process.env.HYPERFINE_1_20 ?? "/usr/bin/hyperfine";
    const version = Bun.spawnSync([binary, "--version"], { stdout: "pipe", stderr: "ignore" });
    if (!version.success) return `no hyperfine at ${binary} (apt-get install hyperfine)`;
    const json = join(ctx.dir, "hyperfine.json");
    const means = (argv: string[]): Sample =>
      COMMANDS.map((c) => {
        const r = Bun.spawnSync([...argv, "-N", "--style", "none", "-r", String(c.runs), "--export-json", json, c.line], { stdout: "ignore", stderr: "pipe" });
        if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} ${c.line} failed: ${r.stderr}`);
        const mean = (JSON.parse(readFileSync(json, "utf8")) as { results: { mean: number }[] }).results[0]!.mean;
        rmSync(json);
        return mean;
      });
    const ratio = (samples: (id: string) => Sample[], i: number) => pairedRatio(samples("ours").map((s) => s[i]!), samples("hyperfine").map((s) => s[i]!));
    const meanOf = (samples: (id: string) => Sample[], id: string, i: number) => ms(median(samples(id).map((s) => s[i]!)) * 1e9, 3);
    return {
      contenders: [
        { id: "ours", label: "bun-wait4-bench", sample: () => means([process.execPath, BENCH_CLI]) },
        { id: "hyperfine", label: "hyperfine", sample: () => means([binary]) },
      ],
      tables: (samples) => [
        {
          intro: `bun-wait4-bench vs hyperfine (\`--case hyperfine\`): \`-N --style none -r N --export-json\`, one command per invocation, each tool once per round in alternating order; the mean wall time each tool reports, medians over rounds; "ours / hyperfine" is the median of per-round ratios. hyperfine: ${version.stdout.toString().trim()} (${binary}).`,
          head: ["| command | runs | hyperfine | bun-wait4-bench | ours / hyperfine |", "|---|---:|---:|---:|---:|"],
          rows: COMMANDS.map((c, i) => `| ${c.label} | ${c.runs} | ${meanOf(samples, "hyperfine", i)} | ${meanOf(samples, "ours", i)} | ${times(ratio(samples, i), 3)} |`),
        },
      ],
      goals: (samples) =>
        COMMANDS.map((c, i) => {
          const r = ratio(samples, i);
          return goal(`bun-wait4-bench's mean wall time for ${c.label} (-N) within ${TOLERANCE * 100}% of hyperfine's`, r, Math.abs(r - 1) <= TOLERANCE, `${times(r, 3)} hyperfine's`);
        }),
    };
  },
});
