#!/usr/bin/env bun
/**
 * `bun-wait4 [--json] [--output FILE] [--] command [args...]`: runs a command, waits for
 * it with wait4, and reports how it ended and what it cost on stderr (like GNU time),
 * exiting with the command's exit code (128 + signal if a signal ended it).
 */
import { constants } from "node:os";
import { decodeStatus, posix_spawnp, SystemError, wait4 } from "../index.ts";
import { spawnWithOwnPeak } from "../run/own-peak.ts";
import { formatReport, reportJson, shellExitCode, type RunReport } from "./report.ts";

const USAGE = `usage: bun-wait4 [--json] [--output FILE] [--] command [args...]

Runs command, waits for it with wait4(2), and prints how it ended (exit code, signal,
core dump) and every field of its struct rusage to stderr. Exits with the command's
exit code, or 128 + the signal number if a signal ended it.

  --json          print the report as JSON
  --output FILE   write the report to FILE instead of stderr
  -h, --help      show this help`;

interface CliOptions {
  json: boolean;
  output: string | undefined;
  command: string[];
}

function parseArgs(args: string[]): CliOptions | string {
  const options: CliOptions = { json: false, output: undefined, command: [] };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (arg === "--json") options.json = true;
    else if (arg === "--output") {
      const file = args[++i];
      if (file === undefined) return "--output needs a file name";
      options.output = file;
    } else if (arg === "-h" || arg === "--help") return "";
    else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else break;
  }
  options.command = args.slice(i);
  if (options.command.length === 0) return "no command given";
  return options;
}

// Bun ignores SIGPIPE and SIGXFSZ, and ignored signals survive exec: give the command
// the defaults a shell would (as CPython's subprocess does with restore_signals).
const RESTORE_SIGNALS = { setsigdef: [constants.signals.SIGPIPE, constants.signals.SIGXFSZ] };

interface Started {
  pid: number;
  started: number;
  /** True where ru_maxrss also counts this process's own peak (docs/DESIGN.md §6). */
  maxrssIncludesParent: boolean;
}

/** Starts the command; returns its pid and the moment it was let go. */
function start(command: string[]): Started {
  if (process.platform === "linux" && !command[0]!.includes("=")) {
    // Linux folds a parent's peak RSS into its spawned child's: hand the command over
    // from a small shell so that its ru_maxrss is its own (src/run/own-peak.ts).
    if (Bun.which(command[0]!, { PATH: process.env.PATH ?? "" }) === null) {
      throw new SystemError(constants.errno.ENOENT, "posix_spawnp", "no such file or directory", command[0]);
    }
    try {
      const child = spawnWithOwnPeak(command, process.env, RESTORE_SIGNALS);
      const started = performance.now();
      child.start();
      return { pid: child.pid, started, maxrssIncludesParent: false };
    } catch (error) {
      // No subreaper here (qemu-user refuses the prctl): spawn directly instead.
      if (!(error instanceof SystemError && error.syscall === "prctl")) throw error;
    }
  }
  const started = performance.now();
  const pid = posix_spawnp(command[0]!, command, process.env, RESTORE_SIGNALS);
  return { pid, started, maxrssIncludesParent: process.platform === "linux" };
}

async function main(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    if (parsed !== "") console.error(`bun-wait4: ${parsed}`);
    console.error(USAGE);
    return parsed === "" ? 0 : 2;
  }
  const { command } = parsed;
  // Like GNU time: a ^C or ^\ at the terminal goes to the command; we stay to report.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  process.on("SIGQUIT", ignore);
  let report: RunReport;
  try {
    let child: Started;
    try {
      child = start(command);
    } catch (error) {
      if (!(error instanceof SystemError)) throw error;
      console.error(`bun-wait4: cannot run ${command[0]}: ${error.message}`);
      return error.code === "ENOENT" ? 127 : 126;
    }
    const [, status, rusage] = wait4(child.pid, 0);
    const wallSeconds = (performance.now() - child.started) / 1000;
    const state = decodeStatus(status);
    const { pid, maxrssIncludesParent } = child;
    report = { command, pid, status, state, exitCode: shellExitCode(state), wallSeconds, rusage, maxrssIncludesParent };
  } finally {
    process.off("SIGINT", ignore);
    process.off("SIGQUIT", ignore);
  }
  const text = parsed.json ? JSON.stringify(reportJson(report), null, 2) : formatReport(report);
  if (parsed.output !== undefined) await Bun.write(parsed.output, `${text}\n`);
  else console.error(text);
  return report.exitCode;
}

process.exitCode = await main(process.argv.slice(2));
