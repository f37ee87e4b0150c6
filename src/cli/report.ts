/** Turns how a child ended and what it used into lines a person reads, or a JSON object. */
import { RU_MAXRSS_UNIT, type ProcessState, type Rusage } from "../index.ts";

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

/** A counted unit: its singular and plural, or one word for both (`s`, `KiB`). */
type Unit = readonly [one: string, many: string];

const ROWS: readonly [field: keyof Rusage, label: string, unit: Unit][] = [
  ["ru_utime", "user CPU time", ["s", "s"]],
  ["ru_stime", "system CPU time", ["s", "s"]],
  ["ru_maxrss", "peak resident set size", [RU_MAXRSS_UNIT === "bytes" ? "byte" : "KiB", RU_MAXRSS_UNIT]],
  ["ru_ixrss", "shared memory size (integral)", ["KiB·tick", "KiB·ticks"]],
  ["ru_idrss", "unshared data size (integral)", ["KiB·tick", "KiB·ticks"]],
  ["ru_isrss", "unshared stack size (integral)", ["KiB·tick", "KiB·ticks"]],
  ["ru_minflt", "minor page faults", ["fault", "faults"]],
  ["ru_majflt", "major page faults", ["fault", "faults"]],
  ["ru_nswap", "swaps", ["swap", "swaps"]],
  ["ru_inblock", "block input operations", ["operation", "operations"]],
  ["ru_oublock", "block output operations", ["operation", "operations"]],
  ["ru_msgsnd", "IPC messages sent", ["message", "messages"]],
  ["ru_msgrcv", "IPC messages received", ["message", "messages"]],
  ["ru_nsignals", "signals received", ["signal", "signals"]],
  ["ru_nvcsw", "voluntary context switches", ["switch", "switches"]],
  ["ru_nivcsw", "involuntary context switches", ["switch", "switches"]],
];

/** `1 switch`, `2 switches`, `0.250000 s`, `1,234 KiB`. */
export function withUnit(value: number, [one, many]: Unit): string {
  const number = one === "s" ? value.toFixed(6) : value.toLocaleString("en-US");
  return `${number} ${value === 1 ? one : many}`;
}

/** The human-readable report, one fact a line. */
export function formatReport(report: RunReport): string {
  const lines = [
    `command: ${report.command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ")}`,
    `pid: ${report.pid}`,
    `ended: ${describeState(report.state)} (wait status 0x${(report.status >>> 0).toString(16)})`,
    `wall time: ${report.wallSeconds.toFixed(6)} s`,
  ];
  for (const [field, label, unit] of ROWS) lines.push(`${label} (${field}): ${withUnit(report.rusage[field], unit)}`);
  if (report.maxrssIncludesParent) {
    lines.push("note: ru_maxrss includes this tool's own peak here (the command was spawned directly)");
  }
  return lines.join("\n");
}

/** The report as a JSON-ready object, units in the field names where they are not obvious. */
export function reportJson(report: RunReport) {
  return {
    command: report.command,
    pid: report.pid,
    status: report.status,
    state: report.state,
    exitCode: report.exitCode,
    wallSeconds: report.wallSeconds,
    maxrssUnit: RU_MAXRSS_UNIT,
    rusage: report.rusage,
    maxrssIncludesParent: report.maxrssIncludesParent,
  };
}
