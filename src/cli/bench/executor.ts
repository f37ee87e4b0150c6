/**
 * How one command is run and measured (hyperfine's `src/benchmark/executor.rs` and
 * `src/timer/`): directly (`-N`), through a shell whose own start-up time is measured first and
 * subtracted, or not at all (`--debug-mode`: `sleep X` "takes" exactly X seconds). Every real
 * run goes through `run()`, so its peak memory is the command's own.
 * @module
 */
import { run, SystemError, type RunOptions } from "../../index.ts";
import { prepareHandoff } from "../../run/handoff.ts";
import { errorText } from "../strerror.ts";
import { Command } from "./commands.ts";
import { BenchError, DebugModeError } from "./errors.ts";
import type { BenchOptions, FailureAction, InputPolicy, OutputPolicy } from "./options.ts";
import { parseRustFloat } from "./rust-format.ts";
import { joinWords, splitWords, MISSING_CLOSING_QUOTE } from "./shell-words.ts";
import { mean } from "../stats.ts";

/** Which run of a command this is, as `HYPERFINE_ITERATION` and the failure message name it. */
export type Iteration = { kind: "other" } | { kind: "warmup"; index: number } | { kind: "benchmark"; index: number };

/** What one run measured. */
export interface Measurement {
  /** Wall-clock seconds (minus the shell's own start-up, through a shell). */
  timeReal: number;
  timeUser: number;
  timeSystem: number;
  /** The command's own peak resident set size, bytes (0 when nothing ran). */
  memoryBytes: number;
  /** False when the peak may include this tool's own (the command was started directly on Linux). */
  memoryIsOwn: boolean;
  /** The exit code, or 128 + the signal (hyperfine's `extract_exit_code`). */
  exitCode: number;
  /** Exited with 0. */
  success: boolean;
}

/** The three ways of running a command. */
export interface Executor {
  /** Runs and measures `command`; throws BenchError on failure (unless `failure` says to ignore it). */
  measure(command: Command, iteration: Iteration, failure: FailureAction | undefined, output: OutputPolicy): Promise<Measurement>;
  /** Measures what has to be subtracted later (the shell's start-up); a no-op elsewhere. */
  calibrate(): Promise<void>;
  /** Seconds each run costs besides the command itself (the shell's start-up). */
  overhead(): number;
}

/** `HYPERFINE_ITERATION`'s value for a run, or undefined for setup/prepare/conclude/cleanup/calibration runs. */
function iterationValue(iteration: Iteration): string | undefined {
  if (iteration.kind === "warmup") return `warmup-${iteration.index}`;
  if (iteration.kind === "benchmark") return String(iteration.index);
  return undefined;
}

/** Where in the benchmark a failure happened, in hyperfine's words. */
function when(iteration: Iteration): string {
  if (iteration.kind === "other") return "a non-benchmark run";
  if (iteration.kind === "warmup") return iteration.index === 0 ? "the first warmup run" : `warmup iteration ${iteration.index}`;
  return iteration.index === 0 ? "the first benchmark run" : `benchmark iteration ${iteration.index}`;
}

/** A Rust `io::Error`'s text for a failed spawn: glibc's words and the errno. */
function ioErrorText(error: SystemError): string {
  return `${errorText(error)} (os error ${-error.errno})`;
}

function stdioFor(input: InputPolicy, output: OutputPolicy): Pick<RunOptions, "stdin" | "stdout" | "stderr"> {
  const stdin = input.kind === "null" ? "ignore" : { file: input.path };
  switch (output.kind) {
    case "null":
      return { stdin, stdout: "ignore", stderr: "ignore" };
    case "pipe":
      return { stdin, stdout: "pipe", stderr: "ignore" };
    case "file":
      return { stdin, stdout: { file: output.path }, stderr: "ignore" };
    case "inherit":
      return { stdin, stdout: "inherit", stderr: "inherit" };
  }
}

/** Runs argv once as hyperfine's `run_command_and_measure_common` does, failures included. */
async function measureArgv(
  argv: readonly string[],
  iteration: Iteration,
  failure: FailureAction,
  options: BenchOptions,
  output: OutputPolicy,
  commandLine: string,
): Promise<Measurement> {
  const env: Record<string, string | undefined> = { ...process.env };
  env.HYPERFINE_RANDOMIZED_ENVIRONMENT_OFFSET = "X".repeat(Math.floor(Math.random() * 4096));
  const value = iterationValue(iteration);
  if (value !== undefined) env.HYPERFINE_ITERATION = value;
  let r;
  try {
    // "pipe": read to the end and dropped (hyperfine splices it to /dev/null); kept whole here.
    prepareHandoff(true); // the pool's upkeep between runs, not inside the timed one
    r = await run(argv, { env, ...stdioFor(options.input, output), encoding: "buffer", maxBuffer: Number.MAX_SAFE_INTEGER, peak: "auto" });
  } catch (error) {
    if (error instanceof SystemError) throw new BenchError(`Failed to run command '${commandLine}': ${ioErrorText(error)}`);
    throw error;
  }
  const exitCode = r.shellExitCode;
  const success = r.exitCode === 0;
  if (!success) {
    const fail = failure.kind === "raise" || (failure.kind === "ignore-codes" && !failure.codes.includes(exitCode));
    if (fail) {
      const cause = r.exitCode === null ? "The process has been terminated by a signal" : `Command terminated with non-zero exit code ${r.exitCode}`;
      throw new BenchError(
        `${cause} in ${when(iteration)}. Use the '-i'/'--ignore-failure' option if you want to ignore this. ` +
          "Alternatively, use the '--show-output' option to debug what went wrong.",
      );
    }
  }
  return {
    timeReal: r.wallSeconds,
    timeUser: r.rusage.ru_utime,
    timeSystem: r.rusage.ru_stime,
    memoryBytes: r.peakRssBytes,
    memoryIsOwn: r.peakRssIsOwn,
    exitCode,
    success,
  };
}

/** `-N` / `--shell=none`: the command line split into words and run directly. */
export class RawExecutor implements Executor {
  constructor(private readonly options: BenchOptions) {}

  async measure(command: Command, iteration: Iteration, failure: FailureAction | undefined, output: OutputPolicy): Promise<Measurement> {
    const line = command.commandLine();
    const argv = splitWords(line);
    if (argv === undefined) throw new BenchError(`Failed to parse command '${line}': ${MISSING_CLOSING_QUOTE}`);
    if (argv.length === 0) throw new BenchError("Can not execute empty command");
    return measureArgv(argv, iteration, failure ?? this.options.failure, this.options, output, line);
  }

  /**
   * Nothing to subtract, but the first commands of a process run cold code (and start the
   * hand-off's forker): 3-7 ms for `true` against ~1 ms later, which would show as a slow first
   * run and an outlier warning hyperfine does not give. A few untimed runs of `true` (never the
   * user's command) warm that path; without a `true` in PATH nothing is primed.
   */
  async calibrate(): Promise<void> {
    for (let i = 0; i < PRIMING_RUNS; i++) {
      try {
        await measureArgv(["true"], { kind: "other" }, { kind: "ignore-all" }, this.options, { kind: "null" }, "true");
      } catch {
        return;
      }
    }
  }

  overhead(): number {
    return 0;
  }
}

/** Untimed runs of `true` before the first benchmark with `-N` (RawExecutor.calibrate). */
const PRIMING_RUNS = 3;

/** The shell's start-up, measured 50 times before the first benchmark (hyperfine's COUNT). */
const CALIBRATION_RUNS = 50;

/** Through a shell (`sh -c CMD` by default, `--shell`), its mean start-up time subtracted. */
export class ShellExecutor implements Executor {
  private spawning: { real: number; user: number; system: number } | undefined;

  constructor(
    private readonly options: BenchOptions,
    private readonly shell: readonly string[],
    private readonly onCalibrationRun: () => void = () => {},
  ) {}

  async measure(command: Command, iteration: Iteration, failure: FailureAction | undefined, output: OutputPolicy): Promise<Measurement> {
    const line = command.commandLine();
    const m = await measureArgv([...this.shell, "-c", line], iteration, failure ?? this.options.failure, this.options, output, line);
    if (this.spawning !== undefined) {
      m.timeReal = Math.max(m.timeReal - this.spawning.real, 0);
      m.timeUser = Math.max(m.timeUser - this.spawning.user, 0);
      m.timeSystem = Math.max(m.timeSystem - this.spawning.system, 0);
    }
    return m;
  }

  async calibrate(): Promise<void> {
    const real: number[] = [];
    const user: number[] = [];
    const system: number[] = [];
    const empty = new Command(undefined, "");
    for (let i = 0; i < CALIBRATION_RUNS; i++) {
      let m: Measurement;
      try {
        m = await this.measure(empty, { kind: "other" }, undefined, { kind: "null" });
      } catch (error) {
        if (!(error instanceof BenchError)) throw error;
        throw new BenchError(`Could not measure shell execution time. Make sure you can run '${joinWords(this.shell)} -c ""'.`);
      }
      real.push(m.timeReal);
      user.push(m.timeUser);
      system.push(m.timeSystem);
      this.onCalibrationRun();
    }
    this.spawning = { real: mean(real), user: mean(user), system: mean(system) };
  }

  overhead(): number {
    return this.spawning?.real ?? 0;
  }
}

/** `sleep X` as exactly X seconds; hyperfine's mock stops the program on anything else. */
function sleepSeconds(line: string): number {
  if (!line.startsWith("sleep ")) throw new DebugModeError(line);
  let rest = line;
  while (rest.startsWith("sleep ")) rest = rest.slice("sleep ".length);
  const seconds = parseRustFloat(rest);
  if (seconds === undefined) throw new DebugModeError(line);
  return seconds;
}

/** `--debug-mode`: nothing runs. */
export class MockExecutor implements Executor {
  constructor(private readonly shell: string | undefined) {}

  async measure(command: Command): Promise<Measurement> {
    return { timeReal: sleepSeconds(command.commandLine()), timeUser: 0, timeSystem: 0, memoryBytes: 0, memoryIsOwn: true, exitCode: 0, success: true };
  }

  async calibrate(): Promise<void> {}

  overhead(): number {
    return this.shell === undefined ? 0 : sleepSeconds(this.shell);
  }
}
