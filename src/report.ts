/** Turns how a child ended and what it used into lines a person reads, or a JSON object. */
import type { ProcessState } from "./status.ts";
import type { Rusage } from "./rusage.ts";

/** What the command-line tool measured about one command. */
export interface RunReport {
  command: readonly string[];
  pid: number;
  status: number;
  state: ProcessState;
  /** Shell-style exit code: the exit code, or 128 + signal. */
  exitCode: number;
  wallSeconds: number;
  rusage: Rusage;
  /** True where ru_maxrss also counts the spawning process's peak (Linux without the hand-off). */
  maxrssIncludesParent: boolean;
}

/** `ru_maxrss` unit of the running platform. */
export function maxrssUnit(platform: string = process.platform): "bytes" | "KiB" {
  return platform === "darwin" ? "bytes" : "KiB";
}

/** One line saying how the process ended, e.g. "killed by signal 9 (SIGKILL), core dumped". */
export function describeState(state: ProcessState): string {
  switch (state.kind) {
    case "exited":
      return `exited with code ${state.code}`;
    case "signaled":
      return `killed by signal ${state.signal}${state.signalName ? ` (${state.signalName})` : ""}${state.coreDumped ? ", core dumped" : ""}`;
    case "stopped":
      return `stopped by signal ${state.signal}${state.signalName ? ` (${state.signalName})` : ""}`;
    case "continued":
      return "continued";
  }
}

/** The shell's convention: exit code, or 128 + signal number. */
export function shellExitCode(state: ProcessState): number {
  switch (state.kind) {
    case "exited":
      return state.code;
    case "signaled":
    case "stopped":
      return 128 + state.signal;
    case "continued":
      return 0;
  }
}

const ROWS: readonly [field: keyof Rusage, label: string, unit: string][] = [
  ["ru_utime", "user CPU time", "s"],
  ["ru_stime", "system CPU time", "s"],
  ["ru_maxrss", "peak resident set size", "<maxrss>"],
  ["ru_ixrss", "shared memory size (integral)", "KiB·ticks"],
  ["ru_idrss", "unshared data size (integral)", "KiB·ticks"],
  ["ru_isrss", "unshared stack size (integral)", "KiB·ticks"],
  ["ru_minflt", "minor page faults", "faults"],
  ["ru_majflt", "major page faults", "faults"],
  ["ru_nswap", "swaps", "swaps"],
  ["ru_inblock", "block input operations", "ops"],
  ["ru_oublock", "block output operations", "ops"],
  ["ru_msgsnd", "IPC messages sent", "msgs"],
  ["ru_msgrcv", "IPC messages received", "msgs"],
  ["ru_nsignals", "signals received", "signals"],
  ["ru_nvcsw", "voluntary context switches", "switches"],
  ["ru_nivcsw", "involuntary context switches", "switches"],
];

function formatNumber(value: number, unit: string): string {
  return unit === "s" ? value.toFixed(6) : value.toLocaleString("en-US");
}

/** The human-readable report, one fact a line. */
export function formatReport(report: RunReport, platform: string = process.platform): string {
  const lines = [
    `command: ${report.command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ")}`,
    `pid: ${report.pid}`,
    `ended: ${describeState(report.state)} (wait status 0x${(report.status >>> 0).toString(16)})`,
    `wall time: ${report.wallSeconds.toFixed(6)} s`,
  ];
  for (const [field, label, unit] of ROWS) {
    const shownUnit = unit === "<maxrss>" ? maxrssUnit(platform) : unit;
    lines.push(`${label} (${field}): ${formatNumber(report.rusage[field], unit)} ${shownUnit}`);
  }
  if (report.maxrssIncludesParent) {
    lines.push("note: ru_maxrss includes this tool's own peak here (the command was spawned directly)");
  }
  return lines.join("\n");
}

/** The report as a JSON-ready object, units in the field names where they are not obvious. */
export function reportJson(report: RunReport, platform: string = process.platform) {
  return {
    command: report.command,
    pid: report.pid,
    status: report.status,
    state: report.state,
    exitCode: report.exitCode,
    wallSeconds: report.wallSeconds,
    maxrssUnit: maxrssUnit(platform),
    rusage: report.rusage,
    maxrssIncludesParent: report.maxrssIncludesParent,
  };
}
