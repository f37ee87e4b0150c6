/**
 * `bun-wait4 [OPTIONS] COMMAND [ARG]...`: a drop-in for GNU time (docs/GNU-TIME.md) that
 * reports the command's own peak memory on Linux, plus `--json`, `--repeat` and `--warmup`.
 * Report on stderr (or `-o FILE`), exit status as GNU time's: the command's own, 128 + N for
 * signal N, 127 not found, 126 not runnable, 125 for a usage error or a failure of its own.
 */
import { openSync, writeSync, closeSync } from "node:fs";
import { run, RUSAGE_FIELDS, SystemError, type RunResult } from "../index.ts";
import { parseArgs, USAGE_ERROR_STATUS, type RunRequest } from "./args.ts";
import { gnuExitStatus, unknownStatusMessage } from "./exit-status.ts";
import { expandFormat, type TimedRun } from "./format.ts";
import { statusLine } from "./status-line.ts";
import { helpText, versionText } from "./help.ts";
import { repeatJson, repeatText, runJson } from "./report.ts";
import { errorText } from "./strerror.ts";
import { preferOneShot } from "../run/handoff.ts";
import { version } from "../../package.json" with { type: "json" };

const ARGV0 = "bun-wait4";
/** The kernel's page size, for %Z (4096 on x86_64 and on the arm64 kernels CI uses). */
const PAGE_SIZE = 4096;

/**
 * Writes `text` to stdout or stderr, in order with the other writes (each is awaited); not
 * through process.stdout/process.stderr (docs/DESIGN.md §3.1). A failed write is ignored, as
 * GNU time ignores a failed fprintf to stderr.
 */
async function emit(to: "stdout" | "stderr", text: string): Promise<void> {
  if (text === "") return;
  try {
    await Bun.write(to === "stdout" ? Bun.stdout : Bun.stderr, text);
  } catch {}
}

/** Where the report goes: stderr, or the `-o` file opened before the command starts. */
interface Sink {
  write(text: string): Promise<void>;
  close(): void;
}

function openSink(request: RunRequest): Sink | string {
  if (request.output === undefined) return { write: (t) => emit("stderr", t), close: () => {} };
  let fd: number;
  try {
    // Node's and Bun's open() sets O_CLOEXEC: the command never sees the report file.
    fd = openSync(request.output.path, request.output.append ? "a" : "w", 0o666);
  } catch (error) {
    return `${ARGV0}: ${request.output.path}: ${errorText(error)}\n`;
  }
  return { write: async (t) => void writeSync(fd, t), close: () => closeSync(fd) };
}

/** The TimedRun GNU's formatter reads, from run()'s result. */
function timed(r: RunResult): TimedRun {
  return { command: r.command, status: r.status, wallNanoseconds: Math.round(r.wallSeconds * 1e9), rusage: r.rusage };
}

/** A command that could not be run reports as GNU's child does: it "exited" 127 or 126. */
function notRun(command: readonly string[], error: SystemError): RunResult {
  const code = error.code === "ENOENT" ? 127 : 126;
  const zero = Object.fromEntries(RUSAGE_FIELDS.map((f) => [f, 0])) as unknown as RunResult["rusage"];
  return {
    command: [...command], pid: 0, state: { kind: "exited", code }, status: code << 8, exitCode: code, signal: null, signalName: null,
    signalDescription: null, coreDumped: false, shellExitCode: code, wallSeconds: 0, rusage: zero, peakRssBytes: 0,
    peakRssIsOwn: true, peakNote: null, timedOut: false, canceled: false, forced: false,
  };
}

/** Runs the command once, as GNU time's child would: a spawn failure is a message and 127/126. */
async function runOnce(request: RunRequest): Promise<RunResult> {
  try {
    return await run(request.command, { peak: request.peak });
  } catch (error) {
    if (!(error instanceof SystemError) || (error.code !== "ENOENT" && error.code !== "EACCES" && error.code !== "ENOEXEC")) throw error;
    await emit("stderr", `${ARGV0}: cannot run ${request.command[0]}: ${errorText(error)}\n`);
    return notRun(request.command, error);
  }
}

async function main(args: readonly string[]): Promise<number> {
  const parsed = parseArgs(ARGV0, args, process.env);
  switch (parsed.kind) {
    case "help":
      await emit("stdout", helpText(ARGV0));
      return 0;
    case "version":
      await emit("stdout", versionText(version));
      return 0;
    case "usage-error":
      await emit("stderr", parsed.message);
      return USAGE_ERROR_STATUS;
  }
  const sink = openSink(parsed);
  if (typeof sink === "string") {
    await emit("stderr", sink);
    return USAGE_ERROR_STATUS;
  }
  // As GNU time: a ^C or ^\ at the terminal is for the command; we stay to report. Handlers,
  // not SIG_IGN, so the command still starts with both at their default.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  process.on("SIGQUIT", ignore);
  // One command and done: no forker is started for it where the shell's verdict is kept (§6.1).
  if (parsed.repeat === 1 && parsed.warmup === 0) preferOneShot();
  try {
    for (let i = 0; i < parsed.warmup; i++) await runOnce(parsed);
    const runs: RunResult[] = [];
    for (let i = 0; i < parsed.repeat; i++) runs.push(await runOnce(parsed));
    const first = runs[0]!;
    if (parsed.json) {
      const report = parsed.repeat === 1 && parsed.warmup === 0 ? { command: parsed.command, ...runJson(first) } : repeatJson(parsed.command, parsed.warmup, runs);
      await sink.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (parsed.repeat > 1) {
      await sink.write(repeatText(parsed.command, parsed.warmup, runs));
    } else {
      const t = timed(first);
      await sink.write(statusLine(t, parsed.format, { quiet: parsed.quiet, portable: parsed.formatIsPortable }));
      await sink.write(expandFormat(parsed.format, t, PAGE_SIZE));
      await emit("stderr", unknownStatusMessage(ARGV0, first.status));
    }
    const failed = runs.find((r) => r.shellExitCode !== 0) ?? first;
    return gnuExitStatus(failed.status);
  } catch (error) {
    // A failure of the tool's own (`--peak own` where it cannot be had, a spawn refused for want
    // of memory or processes): a message and GNU's 125 for "cannot fork", never a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    await emit("stderr", `${ARGV0}: ${message.replace(/^bun-wait4: /, "")}\n`);
    return USAGE_ERROR_STATUS;
  } finally {
    process.off("SIGINT", ignore);
    process.off("SIGQUIT", ignore);
    sink.close();
  }
}

// Not a top-level await: the bin is CommonJS with its bytecode beside it (scripts/build.ts).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
