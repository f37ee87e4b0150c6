/**
 * One benchmark, as hyperfine's `Benchmark::run` (`src/benchmark/mod.rs`) does it: `--setup`,
 * the warm-up runs, a first timed run that decides how many runs fit in the minimum time,
 * the other runs (each between `--prepare` and `--conclude`), then the report, the warnings and
 * `--cleanup`. The phases are separate methods so that `--interleave` can run them in rounds.
 * @module
 */
import { writeSync } from "node:fs";
import { mean } from "../stats.ts";
import { Command } from "./commands.ts";
import { BenchError } from "./errors.ts";
import type { Executor, Iteration, Measurement } from "./executor.ts";
import type { BenchOptions, OutputPolicy } from "./options.ts";
import { modifiedZScores, OUTLIER_THRESHOLD } from "./outliers.ts";
import type { Paint } from "./paint.ts";
import { header, MIN_EXECUTION_TIME, resultBlock, warningsBlock, type Warning } from "./report.ts";
import { noRuns, resultOf, type BenchmarkResult, type Runs } from "./result.ts";
import { formatDuration } from "./units.ts";

/** Where the texts go and how they look. */
export interface Output {
  paint: Paint;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether progress bars are drawn. */
  progress: boolean;
}

/** Writes to the process's stdout and stderr, synchronously, in order. */
export const PROCESS_OUTPUT = { stdout: (t: string) => void writeSync(1, t), stderr: (t: string) => void writeSync(2, t) };

const INTERMEDIATE_FAILURE = (what: string) =>
  `The ${what} command terminated with a non-zero exit code. Append ' || true' to the command if you are sure that this can be ignored.`;

/** Rust's `f64 as u64`: truncated, NaN and negatives 0, saturating. */
function asU64(x: number): number {
  if (Number.isNaN(x) || x <= 0) return 0;
  return Math.min(Math.floor(x), Number.MAX_SAFE_INTEGER);
}

/** One command's benchmark. */
export class Benchmark {
  private readonly runs: Runs = noRuns();
  private allSucceeded = true;
  private readonly output: OutputPolicy;
  private readonly prepareCommand: Command | undefined;
  private readonly concludeCommand: Command | undefined;
  /** How many timed runs, once the first has been timed. */
  count = 0;

  constructor(
    /** 0-based position (the reference is 0 when there is one). */
    readonly number: number,
    readonly command: Command,
    private readonly options: BenchOptions,
    private readonly executor: Executor,
    private readonly out: Output,
  ) {
    this.output = options.outputs[number]!;
    const perCommand = (values: readonly string[] | undefined) =>
      values === undefined ? undefined : new Command(undefined, values.length === 1 ? values[0]! : values[number]!, command.parameters);
    this.prepareCommand = perCommand(options.prepare);
    this.concludeCommand = perCommand(options.conclude);
  }

  private get shown(): boolean {
    return this.options.style !== "none";
  }

  /** Runs a setup/prepare/conclude/cleanup command; any failure becomes hyperfine's message. */
  private async intermediate(command: Command, what: string): Promise<Measurement> {
    try {
      return await this.executor.measure(command, { kind: "other" }, { kind: "raise" }, this.output);
    } catch (error) {
      if (error instanceof BenchError) throw new BenchError(INTERMEDIATE_FAILURE(what));
      throw error;
    }
  }

  private async prepare(): Promise<Measurement | undefined> {
    return this.prepareCommand === undefined ? undefined : this.intermediate(this.prepareCommand, "preparation");
  }

  private async conclude(): Promise<Measurement | undefined> {
    return this.concludeCommand === undefined ? undefined : this.intermediate(this.concludeCommand, "conclusion");
  }

  /** The `Benchmark N: name` line. */
  printHeader(): void {
    if (this.shown) this.out.stdout(header(this.number + 1, this.command.nameWithUnusedParameters(), this.out.paint));
  }

  /** `--setup`, with this benchmark's parameters. */
  async setup(): Promise<void> {
    if (this.options.setup !== undefined) await this.intermediate(new Command(undefined, this.options.setup, this.command.parameters), "setup");
  }

  /** One warm-up run between prepare and conclude. */
  async warmup(index: number): Promise<void> {
    await this.prepare();
    await this.executor.measure(this.command, { kind: "warmup", index }, undefined, this.output);
    await this.conclude();
  }

  private record(m: Measurement): void {
    this.runs.real.push(m.timeReal);
    this.runs.user.push(m.timeUser);
    this.runs.system.push(m.timeSystem);
    this.runs.memory.push(m.memoryBytes);
    this.runs.memoryIsOwn &&= m.memoryIsOwn;
    this.runs.exitCodes.push(m.exitCode);
  }

  /** The first timed run; sets {@link count} from how long it and its prepare/conclude took. */
  async first(): Promise<void> {
    const overhead = (m: Measurement | undefined) => (m === undefined ? 0 : m.timeReal + this.executor.overhead());
    const prepareOverhead = overhead(await this.prepare());
    const m = await this.executor.measure(this.command, { kind: "benchmark", index: 0 }, undefined, this.output);
    const concludeOverhead = overhead(await this.conclude());
    const inMinTime = asU64(this.options.minBenchmarkingTime / (m.timeReal + this.executor.overhead() + prepareOverhead + concludeOverhead));
    const atLeast = Math.max(inMinTime, this.options.minRuns);
    // hyperfine 1.20 goes on forever for a count of 0 (`-r 0`, `-M 0`); one run is what it makes first.
    this.count = Math.max(1, this.options.maxRuns === undefined ? atLeast : Math.min(atLeast, this.options.maxRuns));
    this.record(m);
    this.allSucceeded &&= m.success;
  }

  /** The message beside the progress bar: the mean so far. */
  estimate(): string {
    return `Current estimate: ${this.out.paint(formatDuration(mean(this.runs.real), this.options.timeUnit), "green")}`;
  }

  /** Timed run number `index` (1-based after the first). */
  async next(index: number, beforeRun: () => void = () => {}): Promise<void> {
    await this.prepare();
    beforeRun();
    const m = await this.executor.measure(this.command, { kind: "benchmark", index }, undefined, this.output);
    this.record(m);
    this.allSucceeded &&= m.success;
    await this.conclude();
  }

  /** The statistics, the report block and warnings, then `--cleanup`. */
  async finish(): Promise<BenchmarkResult> {
    const result = resultOf(this.command, this.runs);
    const measuredMemory = this.options.executor.kind !== "mock";
    if (this.shown) this.out.stdout(resultBlock(result, this.options.timeUnit, this.out.paint, measuredMemory));
    const warnings: Warning[] = [];
    if (this.options.executor.kind === "shell" && result.times.some((t) => t < MIN_EXECUTION_TIME)) warnings.push({ kind: "fast" });
    if (!this.allSucceeded) warnings.push({ kind: "non-zero" });
    const scores = modifiedZScores(result.times);
    const context = { warmup: this.options.warmup > 0, prepare: (this.options.prepare?.length ?? 0) > 0 };
    if (scores[0]! > OUTLIER_THRESHOLD) warnings.push({ kind: "slow-first", seconds: result.times[0]!, context });
    else if (scores.some((s) => Math.abs(s) > OUTLIER_THRESHOLD)) warnings.push({ kind: "outliers", context });
    if (measuredMemory && !result.memoryIsOwn) warnings.push({ kind: "memory-not-own", why: "this system does not let it start the command from a small process" });
    this.out.stderr(warningsBlock(warnings, this.out.paint));
    if (this.shown) this.out.stdout(" \n");
    if (this.options.cleanup !== undefined) await this.intermediate(new Command(undefined, this.options.cleanup, this.command.parameters), "cleanup");
    return result;
  }
}
