/**
 * What a hand-off shell really does, found by running a command through it (docs/DESIGN.md
 * §6): never decided from its name. The probe command is `cat`, stopped on its stdin pipe, so
 * that while it waits this process can read what the kernel says it was given —
 * /proc/PID/environ (the environment passed to exec), cmdline, status (signals blocked and
 * ignored), cwd and fd — and then lets it go and checks it ended with 0.
 *
 * The probe environment gives every variable some shell treats as its own (shell-variables.ts)
 * a value with quotes, a newline, `$`, a backslash and non-ASCII bytes, so the shell's verdict
 * on each name comes with the quoting checked too.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync, writeSync } from "node:fs";
import { WIFEXITED } from "../../sys/status.ts";
import { waitpid } from "../../sys/wait.ts";
import { LineReader } from "../fd-reader.ts";
import { resolveProgram } from "../resolve.ts";
import { closeAll, discardSpare, killAndReap, launch, type Spare } from "./forker.ts";
import { requestScript, type EnvRoute } from "./request-script.ts";
import { SELF_EXPORTED, SHELL_VARIABLES } from "./shell-variables.ts";

/**
 * A probe's failure that is a fact about the shell, read from what the kernel reports (what the
 * command was given, how the shell ended): it may be kept for later processes
 * (verdict-cache.ts). Any other failure — a timeout, no descriptor, a signal — says nothing
 * lasting and is not kept.
 */
export class ProbeFinding extends Error {}

/** What a shell passes on exactly, learnt by the probe. */
export interface ShellTraits {
  readonly shell: string;
  /** Whether the shell can export the environment itself (the "direct" route) for ordinary names. */
  readonly direct: boolean;
  /** Names the shell does not pass on as given (such an environment takes the "env" route). */
  readonly unsafe: ReadonlySet<string>;
  /** Whether `exec name` runs the file PATH finds (busybox built to prefer its applets runs its own). */
  readonly execByName: boolean;
}

/** Where the probe looks for cat and env. */
const PROBE_PATH = "/usr/bin:/bin";
/** How long a probe may take (ms). */
const PROBE_DEADLINE_MS = 5000;

/** The probe's odd value for variable number `i`. */
function oddValue(i: number, name: string): string {
  return `${i} ${name} '"\\$\`x\n\tŁȈ€ \u00a0end`;
}

/**
 * The probe environment: every shell variable with an odd value, PATH the one that finds cat.
 * `withOwn: false` leaves out the variables shells export on their own, so that a shell that
 * adds one whatever it is given shows it.
 */
function probeEnvironment(withOwn: boolean): { names: string[]; values: string[] } {
  const names = [...new Set(SHELL_VARIABLES)].filter((name) => withOwn || name === "PATH" || !SELF_EXPORTED.includes(name));
  const values = names.map((name, i) => (name === "PATH" ? PROBE_PATH : oddValue(i, name)));
  return { names, values };
}

/** What the kernel says a waiting process was started with. */
interface Observed {
  environ: Map<string, string>;
  /** The file it runs. */
  exe: string;
  argv: string[];
  sigBlocked: string;
  sigIgnored: string;
  cwd: string;
  fds: string[];
}

function observe(pid: number): Observed {
  const environ = new Map<string, string>();
  for (const entry of readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").slice(0, -1)) {
    const eq = entry.indexOf("=");
    environ.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  const field = (name: string) => /^(\S+)/.exec(status.split(`\n${name}:`)[1]?.trim() ?? "")?.[1] ?? "";
  return {
    environ,
    exe: readlinkSync(`/proc/${pid}/exe`),
    argv: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1),
    sigBlocked: field("SigBlk"),
    sigIgnored: field("SigIgn"),
    cwd: readlinkSync(`/proc/${pid}/cwd`),
    fds: readdirSync(`/proc/${pid}/fd`).sort(),
  };
}

/** A probe command started and waiting on its stdin: `observe` reads it and lets it end. */
interface StartedProbe {
  /** What the kernel says it was started with; throws if it did not end with 0. Cleans up either way. */
  observe(): Observed;
  /** Kills and reaps it, closing its pipes (when another probe failed first). */
  abandon(): void;
}

/**
 * Starts cat through `spare` by `route` and waits until it runs (it echoes a line); throws a
 * sentence saying what went wrong, with the spare cleaned up.
 */
function startProbe(spare: Spare, route: EnvRoute, env: { names: string[]; values: string[] }, execPath?: string): StartedProbe {
  const [stdin, stdout, stderr] = spare.pipes!;
  closeAll([stderr]);
  let open = true;
  const close = () => {
    if (open) closeAll([stdin, stdout]);
    open = false;
  };
  let reaped = false; // then its pid is no longer ours to signal
  const abandon = () => {
    close();
    if (!reaped) killAndReap(spare.pid);
  };
  let launched = false;
  try {
    const script = requestScript({
      argv: ["cat"],
      env,
      cwd: "/",
      stdio: ["keep", "keep", "null"],
      route,
      shellExports: SELF_EXPORTED,
      lookupDirectory: undefined,
      envPath: resolveProgram("env", PROBE_PATH),
      execPath,
      tolerantExports: true,
    });
    launched = true;
    if (!launch(spare, script)) throw new Error("the probe's spare had died");
    try {
      writeSync(stdin, "ready\n");
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EPIPE") throw error; // EPIPE: the shell has ended already, seen next
    }
    const echoed = new LineReader(stdout).next(performance.now() + PROBE_DEADLINE_MS);
    if (echoed === null) {
      // The spare ended before cat ran: the shell refused the request (an exit), or was killed.
      const [, status] = waitpid(spare.pid, 0);
      reaped = true;
      const why = `the shell ended before the probe command (cat) started (status ${status})`;
      throw WIFEXITED(status) ? new ProbeFinding(why) : new Error(why);
    }
    if (echoed !== "ready") throw new Error("the probe command (cat) did not start in time");
  } catch (error) {
    if (!launched) closeAll([spare.ctl]);
    abandon();
    throw error;
  }
  return {
    observe() {
      let seen: Observed;
      try {
        seen = observe(spare.pid);
      } catch (error) {
        abandon();
        throw error;
      }
      close();
      const [, status] = waitpid(spare.pid, 0); // cat ends at end-of-file
      reaped = true;
      if (status !== 0) {
        const why = `the probe command ended with status ${status}`;
        throw WIFEXITED(status) ? new ProbeFinding(why) : new Error(why);
      }
      return seen;
    },
    abandon,
  };
}

/** Runs cat through `spare` by `route` and observes it; throws a sentence saying what went wrong. */
function probeSpare(spare: Spare, route: EnvRoute, env: { names: string[]; values: string[] }, execPath?: string): Observed {
  return startProbe(spare, route, env, execPath).observe();
}

/** Why `seen` is not a faithful start (signals, descriptors, directory, argv), or undefined. */
function unfaithful(seen: Observed): string | undefined {
  if (!/^0+$/.test(seen.sigBlocked)) return `signals blocked in the command (SigBlk ${seen.sigBlocked})`;
  if (!/^0+$/.test(seen.sigIgnored)) return `signals ignored in the command (SigIgn ${seen.sigIgnored})`;
  if (seen.fds.join(" ") !== "0 1 2") return `descriptors left open in the command (${seen.fds.join(" ")})`;
  if (seen.cwd !== "/") return `the command ran in ${seen.cwd}, not in the directory asked for`;
  if (seen.argv.join("\0") !== "cat") return `the command's argv was changed (${JSON.stringify(seen.argv)})`;
  return undefined;
}

/** The names whose value in `seen` is not the one `given`, and the names added. */
function environmentVerdict(seen: Observed, given: { names: string[]; values: string[] }): { wrong: Set<string>; added: string[] } {
  const wrong = new Set<string>();
  given.names.forEach((name, i) => {
    if (seen.environ.get(name) !== given.values[i]) wrong.add(name);
  });
  const added = [...seen.environ.keys()].filter((name) => !given.names.includes(name));
  return { wrong, added };
}

/**
 * Probes a shell with the "direct" route through two of its spares: one environment
 * without the variables shells export on their own (anything added shows), one with all.
 */
export function probeDirect(shell: string, spares: readonly [Spare, Spare]): ShellTraits {
  const envs = [probeEnvironment(false), probeEnvironment(true)] as const;
  // Both run at once: the first use waits for one cat's start, not two in a row. A probe that
  // fails has cleaned up after itself; the others are let go here.
  const started: StartedProbe[] = [];
  try {
    for (const [i, spare] of spares.entries()) started.push(startProbe(spare, "direct", envs[i]!));
  } catch (error) {
    for (const probe of started) probe.abandon();
    for (const spare of spares.slice(started.length + 1)) discardSpare(spare);
    throw error;
  }
  const seen: Observed[] = [];
  try {
    for (const probe of started) seen.push(probe.observe());
  } catch (error) {
    for (const probe of started.slice(seen.length + 1)) probe.abandon();
    throw error;
  }
  let direct = true;
  const unsafe = new Set<string>();
  const cat = realpathSync(resolveProgram("cat", PROBE_PATH));
  const execByName = seen.every((observed) => observed.exe === cat);
  seen.forEach((observed, i) => {
    const why = unfaithful(observed);
    if (why !== undefined) throw new ProbeFinding(why);
    const { wrong, added } = environmentVerdict(observed, envs[i]!);
    if (added.length > 0) direct = false;
    for (const name of wrong) unsafe.add(name);
  });
  return { shell, direct, unsafe, execByName };
}

/**
 * Whether `exec -a NAME FILE` runs FILE with argv[0] NAME in the shell behind `spare`. A shell
 * without it ends on the request: a ProbeFinding, as false is; any other error says nothing.
 */
export function probeExecArgv0(spare: Spare): boolean {
  const cat = realpathSync(resolveProgram("cat", PROBE_PATH));
  const seen = probeSpare(spare, "direct", probeEnvironment(false), cat);
  return unfaithful(seen) === undefined && seen.exe === cat;
}

/**
 * Checks that the "env" route gives exactly the environment asked for (throws if not); true
 * if `env` also runs a bare name as PATH finds it.
 */
export function probeEnvRoute(spare: Spare): boolean {
  const env = probeEnvironment(true);
  const seen = probeSpare(spare, "env", env);
  const why = unfaithful(seen);
  if (why !== undefined) throw new ProbeFinding(why);
  const { wrong, added } = environmentVerdict(seen, env);
  if (wrong.size > 0 || added.length > 0) throw new ProbeFinding(`env -i changed the environment (${[...wrong, ...added].join(", ")})`);
  return seen.exe === realpathSync(resolveProgram("cat", PROBE_PATH));
}
