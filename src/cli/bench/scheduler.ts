/**
 * hyperfine's scheduler (`src/benchmark/scheduler.rs`): the shell's start-up measured first,
 * then each benchmark (the reference first), the exports rewritten after each one. With
 * `--interleave` the same phases run in rounds across the benchmarks instead.
 * @module
 */
import { Benchmark, type Output } from "./benchmark.ts";
import { Command } from "./commands.ts";
import type { ExportManager } from "./export/manager.ts";
import { MockExecutor, RawExecutor, ShellExecutor, type Executor } from "./executor.ts";
import type { BenchOptions } from "./options.ts";
import { progressBar } from "./progress.ts";
import type { BenchmarkResult } from "./result.ts";

/** The executor the options ask for; a shell's calibration ticks `onCalibrationRun`. */
function executorFor(options: BenchOptions, onCalibrationRun: () => void): Executor {
  const kind = options.executor;
  if (kind.kind === "raw") return new RawExecutor(options);
  if (kind.kind === "mock") return new MockExecutor(kind.shell);
  return new ShellExecutor(options, kind.argv, onCalibrationRun);
}

/** Every benchmark run, in order; the exports rewritten as each result is complete. */
export async function runBenchmarks(
  commands: readonly Command[],
  options: BenchOptions,
  exports: ExportManager,
  out: Output,
): Promise<BenchmarkResult[]> {
  const shown = options.style !== "none";
  const measuredMemory = options.executor.kind !== "mock";
  let calibration = progressBar(0, "", false);
  if (options.executor.kind === "shell") calibration = progressBar(50, "Measuring shell spawning time", out.progress && shown);
  const executor = executorFor(options, () => calibration.inc());
  await executor.calibrate();
  calibration.finishAndClear();

  const all = [...(options.reference === undefined ? [] : [new Command(options.referenceName, options.reference)]), ...commands];
  const benchmarks = all.map((c, i) => new Benchmark(i, c, options, executor, out));
  const results: BenchmarkResult[] = [];
  const finish = async (b: Benchmark) => {
    results.push(await b.finish());
    exports.writeIntermediate(results, measuredMemory);
  };

  if (!options.interleave) {
    for (const b of benchmarks) {
      b.printHeader();
      await b.setup();
      if (options.warmup > 0) {
        const bar = progressBar(options.warmup, "Performing warmup runs", out.progress && shown);
        for (let i = 0; i < options.warmup; i++) {
          await b.warmup(i);
          bar.inc();
        }
        bar.finishAndClear();
      }
      const bar = progressBar(options.minRuns, "Initial time measurement", out.progress && shown);
      await b.first();
      bar.setLength(b.count);
      bar.inc();
      for (let i = 1; i < b.count; i++) {
        await b.next(i, () => bar.setMessage(b.estimate()));
        bar.inc();
      }
      bar.finishAndClear();
      await finish(b);
    }
    return results;
  }

  for (const b of benchmarks) await b.setup();
  for (let i = 0; i < options.warmup; i++) for (const b of benchmarks) await b.warmup(i);
  for (const b of benchmarks) await b.first();
  const rounds = Math.max(...benchmarks.map((b) => b.count));
  const bar = progressBar(benchmarks.reduce((n, b) => n + b.count, 0), "Interleaved runs", out.progress && shown);
  for (let i = 1; i < rounds; i++) {
    for (const b of benchmarks) {
      if (i < b.count) {
        await b.next(i);
        bar.inc();
      }
    }
  }
  bar.finishAndClear();
  for (const b of benchmarks) {
    b.printHeader();
    await finish(b);
  }
  return results;
}
