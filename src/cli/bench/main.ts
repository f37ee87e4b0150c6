/**
 * `bun-wait4-bench [OPTIONS] <command>...`: a drop-in for hyperfine (docs/HYPERFINE.md) whose
 * `memory_usage_byte` is each run's own peak memory, shown under each command and compared in
 * the summary; plus `--interleave` and `--baseline FILE`. Exit status as hyperfine's: 0, 1 for
 * an error, 2 for a usage error.
 */
import { version } from "../../../package.json" with { type: "json" };
import { baselineText, readBaseline } from "./baseline.ts";
import { PROCESS_OUTPUT, type Output } from "./benchmark.ts";
import { buildCommands } from "./commands.ts";
import { BenchError, DebugModeError } from "./errors.ts";
import { ExportManager } from "./export/manager.ts";
import { helpText, versionText } from "./help.ts";
import { readOptions, validateAgainstCommands, type BenchOptions } from "./options.ts";
import { painter } from "./paint.ts";
import { parseArgs } from "./parse-args.ts";
import { summary } from "./report.ts";
import { runBenchmarks } from "./scheduler.ts";

const ARGV0 = "bun-wait4-bench";

/** hyperfine's `run()`: everything after the arguments were parsed. */
async function bench(args: readonly string[], setOptions: (o: BenchOptions) => void): Promise<number> {
  const parsed = parseArgs(args, ARGV0);
  if (parsed.kind === "help") return PROCESS_OUTPUT.stdout(helpText(ARGV0)), 0;
  if (parsed.kind === "version") return PROCESS_OUTPUT.stdout(versionText(version)), 0;
  if (parsed.kind === "error") return PROCESS_OUTPUT.stderr(parsed.message), 2;
  const options = readOptions(parsed, { stdoutIsTerminal: process.stdout.isTTY === true, env: process.env });
  setOptions(options);
  const one = (id: string) => parsed.options.get(id)?.at(-1);
  const commands = buildCommands({
    expressions: parsed.commands,
    names: parsed.options.get("command-name")?.map((v) => v[0]!) ?? [],
    scan: one("parameter-scan"),
    step: one("parameter-step-size")?.[0],
    lists: parsed.options.get("parameter-list") ?? [],
  });
  const exports = new ExportManager(parsed, options.timeUnit, options.sortExports);
  validateAgainstCommands(options, commands);
  const baseline = options.baseline === undefined ? undefined : readBaseline(options.baseline);

  const paint = painter(options.colors);
  const out: Output = { paint, ...PROCESS_OUTPUT, progress: process.stderr.isTTY === true && (options.style === "full" || options.style === "nocolor") };
  const results = await runBenchmarks(commands, options, exports, out);
  const measuredMemory = options.executor.kind !== "mock";
  if (options.style !== "none") {
    const reference = options.reference === undefined ? undefined : results[0];
    const s = summary(results, reference, options.sortSpeed, paint, measuredMemory);
    out.stdout(s.stdout);
    out.stderr(s.stderr);
    if (baseline !== undefined) out.stdout(baselineText(options.baseline!, baseline, results, options.timeUnit, measuredMemory, paint));
  }
  out.stdout(exports.finalStdout(results, measuredMemory));
  return 0;
}

async function main(args: readonly string[]): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    return await bench(args, (o) => (options = o));
  } catch (error) {
    if (error instanceof DebugModeError) {
      PROCESS_OUTPUT.stderr(`${ARGV0}: ${error.message}\n`);
      return 101;
    }
    if (!(error instanceof BenchError)) throw error;
    const colors = options?.colors ?? (process.env.NO_COLOR === undefined && process.stdout.isTTY === true);
    PROCESS_OUTPUT.stderr(`${painter(colors)("Error:", "red")} ${error.message}\n`);
    return 1;
  }
}

// Not a top-level await: the bin is CommonJS with its bytecode beside it (scripts/build.ts).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
