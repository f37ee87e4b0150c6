/**
 * Starting a command so that its `ru_maxrss` is its own (Linux; docs/DESIGN.md §6). A child's
 * peak RSS starts at its parent's — exec folds the replaced image's high-water mark in, and a
 * posix_spawn child replaces Bun's whole image — so the command must be exec'd by a process
 * forked from a small one, and made our child by the subreaper window (forker/adopt.ts):
 *
 *   Bun ─posix_spawn→ forker sh ─fork→ intermediate ─fork→ spare ─exec→ command   (most commands)
 *   Bun ─posix_spawn→ one-shot sh ─fork→ spare ─exec→ command     (own stdio descriptors, a new group)
 *
 * The spare is a shell waiting for a request script (forker/request-script.ts) that sets the
 * command's stdio, directory and environment and execs it: by exporting the variables itself
 * ("direct") where the probe showed the shell passes them on exactly, else through `env -i`.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { outOfDescriptors } from "../errors/run-errors.ts";
import { childSubreaper, isOpen, pipe, withStdioTaken } from "../sys/process.ts";
import { LineReader } from "./fd-reader.ts";
import { adoptSpares } from "./forker/adopt.ts";
import { BatchReports, closeAll, Forker, killAndReap, launch, type Spare } from "./forker/forker.ts";
import { ProbeFinding, probeDirect, probeEnvRoute, probeExecArgv0, type ShellTraits } from "./forker/probe.ts";
import { requestScript, type EnvRoute, type SpareStream } from "./forker/request-script.ts";
import { batchLine, FORKER_SCRIPT, ONE_SHOT_SCRIPT } from "./forker/scripts.ts";
import { startShell, type ShellFd } from "./forker/shell-process.ts";
import { SELF_EXPORTED, SHELL_NAME } from "./forker/shell-variables.ts";
import { readVerdict, verdictKey, writeVerdict } from "./forker/verdict-cache.ts";

/** One of the command's standard streams. */
export type HandoffStdio =
  | "inherit"
  | "ignore"
  /** A new pipe; this process gets the other end. */
  | "pipe"
  /** This process's descriptor (a file opened for the command, or the user's descriptor). */
  | { fd: number };

/** What to start. */
export interface HandoffRequest {
  argv: readonly string[];
  /** The command's whole environment (names without "=", values without NUL). */
  env: { names: readonly string[]; values: readonly string[] };
  /** An absolute directory, or undefined. */
  cwd: string | undefined;
  stdio: readonly [HandoffStdio, HandoffStdio, HandoffStdio];
  /** The command's process group: ours, or a new one (led by the one-shot shell it was forked from). */
  group: "same" | "new";
  /** The program's path as execvp would find it (resolve.ts). */
  program: string;
  /** argv[0] as the program sees it, where it is not argv[0] (Bun.spawn's argv0). */
  argv0?: string;
}

/** A command that has been let go. */
export interface HandedOver {
  readonly pid: number;
  /** Its process group id (with group "new": the one-shot shell's, whose group it joined). */
  readonly group: number;
  /** Our ends of its "pipe" streams. */
  readonly pipes: { stdin?: number; stdout?: number; stderr?: number };
  /** performance.now() when it was let go. */
  readonly startedAt: number;
}

/** The hand-off cannot start this command exactly; `reason` says why (run() then spawns directly, or rejects). */
export class HandoffRefused extends Error {
  constructor(readonly reason: string) {
    super(`bun-wait4: cannot start the command with its own peak memory: ${reason}`);
  }
}

/** The shells tried, smallest first; the first that passes on an environment exactly is used. */
const CANDIDATE_SHELLS = ["/usr/bin/dash", "/bin/dash", "/usr/bin/busybox", "/bin/busybox", "/usr/bin/mksh", "/bin/mksh", "/usr/bin/yash", "/bin/sh"];

/** Why the hand-off cannot be used here at all (undefined: it can). Cached after the first call. */
let unavailable: string | undefined | null = null;

/**
 * The lowest limit on open descriptors (RLIMIT_NOFILE) under which commands are handed over. A
 * spare shell moves descriptors above 9 for its redirections and opens its request: under a
 * limit of 16 or less dash, zsh and busybox ran out there, and the shell's exit (2, 1) read as
 * the command's. Twice that is left as margin.
 */
const MIN_DESCRIPTOR_LIMIT = 32;

/** This process's soft limit on open descriptors, from /proc/self/limits; undefined if unlimited or unreadable. */
function descriptorLimit(): number | undefined {
  try {
    // Taken: Bun's readFileSync keeps the descriptor it got where that is a closed 0, 1 or 2.
    const line = /^Max open files\s+(\d+)/m.exec(withStdioTaken(() => readFileSync("/proc/self/limits", "latin1")));
    return line === null ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

/** Whether this process can hand commands over (Linux, a shell, the subreaper prctl, room for a shell's descriptors). */
export function handoffUnavailable(): string | undefined {
  if (unavailable !== null) return unavailable;
  if (process.platform !== "linux") return (unavailable = `not needed on ${process.platform}: a child's peak memory is its own`);
  const refused = "the kernel refuses PR_SET_CHILD_SUBREAPER (qemu-user does)";
  const on = childSubreaper.get();
  if (on === undefined) return (unavailable = refused);
  try {
    childSubreaper.set(on); // a no-op set: qemu-user answers PR_GET but refuses PR_SET
  } catch {
    return (unavailable = refused);
  }
  const limit = descriptorLimit();
  if (limit !== undefined && limit < MIN_DESCRIPTOR_LIMIT) return (unavailable = `the limit of ${limit} open descriptors leaves a shell too few (${MIN_DESCRIPTOR_LIMIT} needed)`);
  return (unavailable = undefined);
}

/** The chosen shell: what the probe learnt (now or in an earlier process) and its forker once started; or why none could be used. */
interface Chosen {
  /** The verdict's key in the cache (verdict-cache.ts). */
  key: string;
  /** Whether it came from the cache rather than this process's probe (then a failure to start the shell is not believed: handOver). */
  kept: boolean;
  /** Started on the first command that goes through it (never, for a one-shot process whose verdict was kept). */
  forker?: Forker;
  traits: ShellTraits;
  /** Whether `env -i` is known to work: undefined until a command first needs it. */
  envRoute?: { refused?: string; execByName: boolean };
  /** Whether `exec -a` works: undefined until a command first needs it. */
  execArgv0?: boolean;
}
let chosen: Chosen | string | undefined;

/** The shells to try (`BUN_WAIT4_HANDOFF_SHELL` names the only one), whether they exist or not. */
function shellsToTry(): readonly string[] {
  const forced = process.env.BUN_WAIT4_HANDOFF_SHELL;
  return forced ? [forced] : CANDIDATE_SHELLS;
}

/** Distinct existing candidate shells. */
function candidates(shells: readonly string[]): string[] {
  const seen = new Set<string>();
  return shells.filter((path) => {
    let file: string;
    try {
      const s = statSync(path);
      if (!s.isFile()) return false;
      file = `${s.dev}:${s.ino}`;
    } catch {
      return false;
    }
    if (seen.has(file)) return false;
    seen.add(file);
    return true;
  });
}

/**
 * The verdict kept from an earlier process for these very files, else the probe's: the
 * candidates in order, a shell that exports exactly wins, else the first that works with env -i.
 */
function choose(trustKept: boolean): Chosen | string {
  const shells = shellsToTry();
  const key = verdictKey(shells);
  const existing = candidates(shells);
  const kept = trustKept ? readVerdict(key, existing) : undefined;
  if (kept !== undefined) return { key, kept: true, ...kept };
  const probed = probeCandidates(key, shells, existing);
  if (probed.settled && probed.chosen !== undefined) keep(probed.chosen);
  return probed.chosen ?? probed.why;
}

/** Keeps what is known of the chosen shell for later processes. */
function keep(c: Chosen): void {
  writeVerdict(c.key, c);
}

/**
 * Probes the shells in order. `settled`: the choice rests on findings only (ProbeFinding: what
 * the kernel reported), so it may be kept; a timeout or a signal on the way may have passed
 * over a better shell, and is only this process's concern.
 */
function probeCandidates(key: string, shells: readonly string[], existing: readonly string[]): { chosen?: Chosen; why: string; settled: boolean } {
  const failures: string[] = [];
  let settled = true;
  let fallback: Chosen | undefined;
  for (const shell of existing) {
    let forker: Forker | undefined;
    try {
      forker = Forker.start(shell);
      const probed = probeShell(shell, forker);
      settled &&= probed.settled;
      if (probed.traits.direct) {
        fallback?.forker?.close();
        return { chosen: { key, kept: false, forker, traits: probed.traits }, why: "", settled };
      }
      if (fallback === undefined) fallback = { key, kept: false, forker, traits: probed.traits };
      else forker.close();
    } catch (error) {
      forker?.close();
      // Out of descriptors says nothing about the shell: nothing is concluded, and the next command tries again.
      if (outOfDescriptors(error)) throw new HandoffRefused(`no descriptor to spare (${(error as { code: string }).code})`);
      settled &&= error instanceof ProbeFinding;
      failures.push(`${shell}: ${(error as Error).message}`);
    }
  }
  const none = shells === CANDIDATE_SHELLS ? "none of /bin/sh, dash, busybox, mksh, yash found" : `${shells.join(", ")} not found`;
  const why = `no shell could hand the command over (${failures.join("; ") || none})`;
  return { chosen: fallback, why, settled };
}


/**
 * What `shell` passes on exactly. A shell that cannot even run the direct probe (bash and
 * mksh end a script that exports one of their read-only variables) may still serve through
 * `env -i`, which is then checked at once.
 */
function probeShell(shell: string, forker: Forker): { traits: ShellTraits; settled: boolean } {
  forker.prime(3); // the two probes, and the command that asked
  try {
    return { traits: probeDirect(shell, [forker.take(), forker.take()]), settled: true };
  } catch (direct) {
    if (outOfDescriptors(direct)) throw direct;
    let execByName: boolean;
    try {
      execByName = probeEnvRoute(forker.take());
    } catch (env) {
      if (outOfDescriptors(env)) throw env;
      const why = `${(direct as Error).message}; through env -i: ${(env as Error).message}`;
      throw direct instanceof ProbeFinding && env instanceof ProbeFinding ? new ProbeFinding(why) : new Error(why);
    }
    return { traits: { shell, direct: false, unsafe: new Set(), execByName }, settled: direct instanceof ProbeFinding };
  }
}

/** Set once a kept verdict failed here: this process probes for itself. */
let keptFailed = false;

/** The chosen shell. */
function chosenShell(): Chosen {
  chosen ??= choose(!keptFailed); // throws, caching nothing, when out of descriptors
  if (typeof chosen === "string") throw new HandoffRefused(chosen);
  return chosen;
}

/** The chosen shell's forker, started if it is not yet, replaced if it died. */
function forkerOf(c: Chosen): Forker {
  if (c.forker?.failure !== undefined) c.forker.close(); // its ready spares (dead or not) are let go and reaped
  if (c.forker === undefined || c.forker.failure !== undefined) c.forker = Forker.start(c.traits.shell);
  return c.forker;
}

/** Set by preferOneShot(). */
let oneShotPreferred = false;

/**
 * For a process that runs one command and ends (the command-line tool): where no forker is
 * running yet, commands go through a one-shot shell instead of starting one — the forker pays
 * for itself only from the second command on. Where the shell's verdict is not kept from an
 * earlier process, the probe starts a forker anyway and it serves.
 */
export function preferOneShot(): void {
  oneShotPreferred = true;
}

/**
 * The shell that hands commands over and whether it sets the environment itself ("direct") or
 * through `env -i`; or why there is none. Starts (and probes) it if nothing has yet. The
 * peak-memory floor of a handed-over command is this shell's own size (and env's, with "env").
 */
export function handoffShell(): { shell: string; route: EnvRoute } | string {
  const why = handoffUnavailable();
  if (why !== undefined) return why;
  try {
    const c = chosenShell();
    return { shell: c.traits.shell, route: c.traits.direct ? "direct" : "env" };
  } catch (error) {
    return error instanceof HandoffRefused ? error.reason : String(error);
  }
}

/**
 * For a caller that times one command at a time (bun-wait4-bench): a spare is made ready now,
 * before the clock starts, and with `holdRefills` the pool is no longer refilled in the
 * background while a command runs (Forker.prepare). Does nothing where there is no hand-off.
 */
export function prepareHandoff(holdRefills: boolean): void {
  if (handoffUnavailable() !== undefined) return;
  try {
    withStdioTaken(() => forkerOf(chosenShell()).prepare(holdRefills));
  } catch {} // the command that follows meets the same refusal, and says it
}

/**
 * Ends the forker and its ready spares and reaps them; the next command starts (and probes) a
 * new one. Nothing calls this in normal use — the forker dies with this process — but a test
 * that counts this process's children and descriptors can make them all go.
 */
export function closeHandoff(): void {
  if (chosen !== undefined && typeof chosen !== "string") chosen.forker?.close();
  chosen = undefined;
}

/** A shell known from a kept verdict could not be started here (handOver then probes for itself). */
class KeptShellFailed extends Error {}

/** A spare of `c`'s forker for a probe; a kept shell that cannot start throws KeptShellFailed. */
function spareFor(c: Chosen): Spare {
  try {
    return forkerOf(c).take();
  } catch (error) {
    if (c.kept && !outOfDescriptors(error)) throw new KeptShellFailed((error as Error).message);
    throw error;
  }
}

/** Whether the env route works for `c`, probed once, on the first command that needs it. */
function envRoute(c: Chosen): { refused?: string; execByName: boolean } {
  if (c.envRoute !== undefined) return c.envRoute;
  try {
    c.envRoute = { execByName: probeEnvRoute(spareFor(c)) };
  } catch (error) {
    if (outOfDescriptors(error) || error instanceof KeptShellFailed) throw error; // nothing learnt
    c.envRoute = { refused: `env -i does not pass the environment on exactly (${(error as Error).message})`, execByName: false };
    if (!(error instanceof ProbeFinding)) return c.envRoute; // this process's conclusion only
  }
  keep(c);
  return c.envRoute;
}

/** Whether the shell can exec a file under another argv[0], probed once, when first needed. */
function execArgv0(c: Chosen): boolean {
  if (c.execArgv0 !== undefined) return c.execArgv0;
  try {
    c.execArgv0 = probeExecArgv0(spareFor(c));
  } catch (error) {
    if (outOfDescriptors(error) || error instanceof KeptShellFailed) throw error; // nothing learnt
    c.execArgv0 = false;
    if (!(error instanceof ProbeFinding)) return c.execArgv0; // this process's conclusion only
  }
  keep(c);
  return c.execArgv0;
}

/** How `request`'s environment reaches the command under `traits`, or why it cannot. */
function routeFor(request: Pick<HandoffRequest, "env">, traits: ShellTraits): EnvRoute {
  const { names } = request.env;
  if (traits.direct && names.every((name) => SHELL_NAME.test(name) && !traits.unsafe.has(name))) return "direct";
  return "env";
}

/** How an environment with these names would be set for a handed-over command, or why there is no hand-off. */
export function handoffRoute(names: readonly string[]): EnvRoute | string {
  const shell = handoffShell();
  return typeof shell === "string" ? shell : routeFor({ env: { names, values: [] } }, chosenShell().traits);
}

/**
 * Set just before a request script is written to a spare: from then on the command may be
 * running, so a failure is neither retried nor turned into a refusal (a plain spawn would run it twice).
 */
let lettingGo = false;

/**
 * Hands `request` over, synchronously: returns once the command has been let go (its exec is
 * under way). The first call starts the forker and probes its shell (a few milliseconds); a
 * later one takes a ready spare, or waits for a batch (a fraction of a millisecond). Any
 * failure before the command is let go (a shell that vanished or died since its probe, a
 * forker that cannot be restarted) is a HandoffRefused: nothing of the command has run.
 */
export function handOver(request: HandoffRequest): HandedOver {
  lettingGo = false;
  try {
    // Bun leaves open a descriptor it got as 0, 1 or 2 (readFileSync, readdirSync of /proc, a
    // FileSink's copy): with one of those closed here, nothing the hand-off opens may land there.
    try {
      return withStdioTaken(() => handOverNow(request));
    } catch (error) {
      // A kept verdict says how the shell behaves, not that it runs here (a noexec mount, a
      // sandbox): where starting it failed, this process probes for itself, once.
      const c = chosen;
      if (lettingGo || c === undefined || typeof c === "string" || !c.kept || error instanceof HandoffRefused || outOfDescriptors(error)) throw error;
      c.forker?.close();
      chosen = undefined;
      keptFailed = true;
      return withStdioTaken(() => handOverNow(request));
    }
  } catch (error) {
    if (lettingGo || error instanceof HandoffRefused) throw error;
    // A spare needs more descriptors than a direct spawn: short of them, the command is spawned
    // directly, and the forker and its spares let go of theirs (a later command starts another).
    if (outOfDescriptors(error)) {
      if (chosen !== undefined && typeof chosen !== "string") {
        chosen.forker?.close();
        chosen.forker = undefined;
      }
      throw new HandoffRefused(`no descriptor to spare for the hand-off (${(error as { code: string }).code})`);
    }
    const through = chosen !== undefined && typeof chosen !== "string" ? ` through ${chosen.traits.shell}` : "";
    throw new HandoffRefused(`the hand-off${through} failed: ${(error instanceof Error ? error.message : String(error)).replace(/^bun-wait4: /, "")}`);
  }
}

function handOverNow(request: HandoffRequest): HandedOver {
  if (request.argv[0]!.startsWith("-")) throw new HandoffRefused("a program name beginning with '-' would be read as an option");
  const c = chosenShell();
  const route = routeFor(request, c.traits);
  if (route === "env") {
    if (request.argv[0]!.includes("=")) throw new HandoffRefused("with this environment the program name may not contain '=' (env would read it as a variable)");
    const env = envRoute(c);
    if (env.refused !== undefined) throw new HandoffRefused(env.refused);
    if (!request.argv[0]!.includes("/") && !env.execByName) throw new HandoffRefused("env does not run a program name through PATH");
  }
  // A bare name is exec'd by name where the shell finds it by PATH, else by path under `exec -a`;
  // an argv[0] of its own (argv0) needs `exec -a` too.
  let execPath: string | undefined;
  let argv = request.argv;
  if (request.argv0 !== undefined && request.argv0 !== request.argv[0]) {
    if (route !== "direct" || !execArgv0(c)) throw new HandoffRefused(`${c.traits.shell} cannot give the program an argv[0] of its own${route === "env" ? " with this environment" : ""}`);
    execPath = request.program;
    argv = [request.argv0, ...request.argv.slice(1)];
  } else if (route === "direct" && !request.argv[0]!.includes("/") && !c.traits.execByName) {
    if (!execArgv0(c)) throw new HandoffRefused(`${c.traits.shell} does not run a program name through PATH`);
    execPath = request.program;
  }
  const plain = (s: HandoffStdio) => s === "inherit" || s === "ignore" || s === "pipe";
  const forker = c.forker !== undefined || !oneShotPreferred ? forkerOf(c) : undefined;
  const viaForker =
    forker !== undefined && request.group === "same" && request.stdio.every(plain) && request.stdio.every((s, fd) => s !== "inherit" || forker.holdsCurrent(fd as 0 | 1 | 2));
  const hasPath = request.env.names.includes("PATH");
  // A spare is in the directory its forker started in: after a process.chdir() it goes to ours
  // through /proc, which names it even where it was renamed or removed.
  const cwd = request.cwd ?? (viaForker && !forker.inStartDirectory() ? `/proc/${process.pid}/cwd` : undefined);
  const script = (stdio: readonly [SpareStream, SpareStream, SpareStream]) =>
    requestScript({
      argv,
      env: request.env,
      cwd,
      stdio,
      route,
      shellExports: SELF_EXPORTED,
      lookupDirectory: !hasPath && !request.argv[0]!.includes("/") ? dirname(request.program) : undefined,
      envPath: "/usr/bin/env",
      execPath,
    });
  return viaForker ? viaForkerSpare(request, script) : viaOneShot(c.traits.shell, request, script);
}

/** The start of a waiting spare's /proc cmdline: its shell's argv ("sh", "-c", script, …). */
const SPARE_CMDLINES = [FORKER_SCRIPT, ONE_SHOT_SCRIPT].map((script) => `sh\0-c\0${script}\0`);

/** Whether `pid` is still a spare shell, its request not yet run to the command's exec. */
function stillSpare(pid: number): boolean {
  try {
    const cmdline = withStdioTaken(() => readFileSync(`/proc/${pid}/cmdline`, "latin1"));
    return SPARE_CMDLINES.some((prefix) => cmdline.startsWith(prefix));
  } catch {
    return false; // gone
  }
}

/** How long a one-shot shell may take to report its spare (ms): it starts in about one. */
const ONE_SHOT_DEADLINE_MS = 5000;

/** How long a signal for a handed-over command waits for its exec at most (ms). */
const EXEC_DEADLINE_MS = 2000;

/**
 * Sends `signal` to `target` (the command, or its group) once the command `pid` has been
 * exec'd, and only while `wanted()`. Between the request and the exec the pid is still the
 * spare shell, and a shell may handle a signal its own way (mksh catches SIGTERM and exits
 * 143): the signal must meet the command, as it would after a plain spawn. Usually the exec is
 * long done and this sends at once; otherwise it looks again every millisecond.
 */
export function signalAfterExec(pid: number, target: number, signal: number, wanted: () => boolean): void {
  const deadline = performance.now() + EXEC_DEADLINE_MS;
  const attempt = () => {
    if (!wanted()) return;
    if (stillSpare(pid) && performance.now() < deadline) {
      setTimeout(attempt, 1);
      return;
    }
    try {
      process.kill(target, signal);
    } catch {}
  };
  attempt();
}

/** signalAfterExec for a caller that cannot wait for a timer (spawnSync): it looks every millisecond, blocking. */
export function signalAfterExecSync(pid: number, target: number, signal: number, handedOver: boolean): void {
  if (handedOver) {
    const deadline = performance.now() + EXEC_DEADLINE_MS;
    while (stillSpare(pid) && performance.now() < deadline) Bun.sleepSync(1);
  }
  try {
    process.kill(target, signal);
  } catch {}
}

const STREAMS = ["stdin", "stdout", "stderr"] as const;

function viaForkerSpare(request: HandoffRequest, script: (stdio: readonly [SpareStream, SpareStream, SpareStream]) => string): HandedOver {
  const stdio = request.stdio.map((s) => (s === "pipe" ? "keep" : s === "ignore" ? "null" : "copy")) as [SpareStream, SpareStream, SpareStream];
  const text = script(stdio);
  let failures = 0;
  for (;;) {
    const forker = forkerOf(chosenShell()); // a forker that died is replaced here
    let spare: Spare;
    try {
      spare = forker.take();
    } catch (error) {
      if (forker.failure === undefined || ++failures > 2) throw error;
      continue;
    }
    const pipes: HandedOver["pipes"] = {};
    spare.pipes!.forEach((fd, i) => {
      if (request.stdio[i] === "pipe") pipes[STREAMS[i]!] = fd;
      else closeAll([fd]);
    });
    const group = ownGroup();
    const startedAt = performance.now();
    lettingGo = true;
    if (launch(spare, text)) {
      forker.refill();
      return { pid: spare.pid, group, pipes, startedAt };
    }
    lettingGo = false; // it had died before its request: the command never ran
    closeAll(Object.values(pipes));
    killAndReap(spare.pid); // it had died while it waited: reap it, take another
  }
}

let group: number | undefined;
/** This process's group id (the forker's spares are in it), from /proc/self/stat. */
function ownGroup(): number {
  if (group === undefined) {
    const stat = readFileSync("/proc/self/stat", "latin1");
    group = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  }
  return group;
}

function viaOneShot(shell: string, request: HandoffRequest, script: (stdio: readonly [SpareStream, SpareStream, SpareStream]) => string): HandedOver {
  const theirs: number[] = []; // closed once the shell has its copies
  const ours: number[] = []; // closed on failure
  const pipes: HandedOver["pipes"] = {};
  let intermediate = 0;
  try {
    const fds = new Map<number, ShellFd>();
    request.stdio.forEach((s, fd) => {
      // A closed stdio descriptor of ours gives the command /dev/null, as Bun does.
      if (s === "inherit") fds.set(5 + fd, isOpen(fd) ? fd : "null");
      else if (s === "ignore") fds.set(5 + fd, "null");
      else if (s === "pipe") {
        const [read, write] = pipe();
        const [mine, child] = fd === 0 ? [write, read] : [read, write];
        ours.push(mine);
        theirs.push(child);
        pipes[STREAMS[fd]!] = mine;
        fds.set(5 + fd, child);
      } else fds.set(5 + fd, s.fd);
    });
    const [reportRead, reportWrite] = pipe();
    ours.push(reportRead);
    theirs.push(reportWrite);
    const [ctlRead, ctlWrite] = pipe();
    ours.push(ctlWrite);
    theirs.push(ctlRead);
    fds.set(4, reportWrite).set(8, ctlRead);
    intermediate = startShell({
      shell,
      script: ONE_SHOT_SCRIPT,
      args: [String(process.pid), batchLine([["-", "-", "-", "-"]])],
      fds,
      setpgroup: request.group === "new" ? 0 : undefined,
    });
    closeAll(theirs.splice(0));
    const reports = new BatchReports(1);
    const complete = reports.read(new LineReader(reportRead), performance.now() + ONE_SHOT_DEADLINE_MS);
    const batch = complete ? reports.batch : undefined;
    closeAll([reportRead]);
    ours.splice(ours.indexOf(reportRead), 1);
    const spare = batch?.spares.get(0);
    if (spare === undefined) throw new Error(`bun-wait4: the hand-off shell ${shell} made no spare (is /proc mounted?)`);
    const shellPid = intermediate;
    intermediate = 0;
    if (adoptSpares(batch!, true).length === 0) throw new Error(`bun-wait4: the hand-off shell ${shell} lost its spare`);
    ours.splice(ours.indexOf(ctlWrite), 1);
    const group = request.group === "same" ? ownGroup() : shellPid;
    const text = script(["copy", "copy", "copy"]);
    const startedAt = performance.now();
    lettingGo = true;
    if (!launch({ pid: spare, ctl: ctlWrite, pipes: undefined }, text)) {
      lettingGo = false; // the command never ran
      killAndReap(spare);
      throw new Error("bun-wait4: the hand-off spare died before its command");
    }
    return { pid: spare, group, pipes, startedAt };
  } catch (error) {
    closeAll([...theirs, ...ours]);
    if (intermediate !== 0) killAndReap(intermediate);
    throw error;
  }
}
