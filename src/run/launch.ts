/**
 * Starting a command for spawn(), spawnSync() and run(): the checks that come first (the
 * directory, the program as execvp finds it, files to open), then the hand-off (the command's
 * own peak memory, handoff.ts) or, where that cannot be, a plain posix_spawn — and the parent's
 * ends of the pipes either way.
 */
import { closeSync, constants as fs, fstatSync, openSync, statSync } from "node:fs";
import { constants as os } from "node:os";
import { resolve as resolvePath } from "node:path";
import { PeakUnavailableError } from "../errors/run-errors.ts";
import { systemError } from "../sys/errno.ts";
import { isOpen, pipe, socketPair, withStdioTaken } from "../sys/process.ts";
import { checkedRequest, spawnChecked } from "../sys/spawn.ts";
import { kernelRuns } from "./exec-format.ts";
import { closeAll } from "./forker/forker.ts";
import { ALL_SIGNALS, placeFds, type ShellFd } from "./forker/shell-process.ts";
import { HandoffRefused, handoffUnavailable, handOver, type HandoffStdio } from "./handoff.ts";
import type { PeakMode } from "./peak-modes.ts";
import { checkDirectory, resolveProgram } from "./resolve.ts";

/** One of the child's descriptors, as the launch takes it. */
export type Slot =
  | { kind: "ignore" }
  /** This process's descriptor of the same number. */
  | { kind: "inherit" }
  /** A new pipe (a socket pair for "socket"); this process keeps the other end. */
  | { kind: "pipe" }
  | { kind: "socket" }
  /** This process's descriptor `fd`, left open. */
  | { kind: "fd"; fd: number }
  /** A file opened here (relative to this process's directory, as Bun.file() names it); `append`: written at its end, not truncated. */
  | { kind: "file"; path: string; append?: boolean };

/** What to start. */
export interface LaunchRequest {
  argv: readonly string[];
  argv0?: string;
  env: { names: readonly string[]; values: readonly string[] };
  cwd: string | undefined;
  /** stdin, stdout, stderr, then the child's descriptors 3, 4, …. */
  slots: readonly Slot[];
  /** The command's process group: ours, a new one it leads, or a new session (detached). */
  group: "same" | "new" | "session";
  peak: PeakMode;
  /**
   * Exec as Bun.spawn does: a file the kernel cannot run itself (no ELF header, no `#!` with a
   * runnable interpreter) fails with ENOEXEC or ENOENT, rather than run as a shell script, as
   * execvp(3) and a shell's `exec` run it (run() and the command-line tool keep that, as GNU time has it).
   */
  execAsBun?: boolean;
}

/** A started command. */
export interface Launched {
  readonly pid: number;
  /** The group to signal for the whole tree (group "new" or "session"); else the pid. */
  readonly group: number;
  /** performance.now() when it was let go. */
  readonly startedAt: number;
  /** Whether it was handed over (its signals then wait for its exec: handoff.signalAfterExec). */
  readonly handedOver: boolean;
  /** Whether its ru_maxrss is its own, and why not if not. */
  readonly own: boolean;
  readonly note: string | null;
  /** This process's end of each "pipe" or "socket" slot (undefined elsewhere). */
  readonly ends: (number | undefined)[];
}

const lookupErrors = new WeakSet<object>();

/** Whether `error` came from looking the program up (ENOENT: not found; EACCES: not executable). */
export function isLookupError(error: unknown): boolean {
  return typeof error === "object" && error !== null && lookupErrors.has(error);
}

/** The error a failed start of `cwd` or a file would give, as posix_spawn reports it. */
function openError(code: "EISDIR", path: string): Error {
  return systemError("open", os.errno[code], path);
}

/** Opens a Bun.file() path for slot `slot` (stdin and slots from 3 read; stdout and stderr write, created, and truncated or appended to). */
function openFile(path: string, slot: number, append = false): number {
  if (slot === 0 || slot > 2) {
    const fd = openSync(path, fs.O_RDONLY);
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw openError("EISDIR", path);
    }
    return fd;
  }
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw openError("EISDIR", path);
  return openSync(path, fs.O_WRONLY | fs.O_CREAT | (append ? fs.O_APPEND : fs.O_TRUNC), 0o666);
}

/**
 * Starts `request`. Throws the argument's or the system's error before anything runs: the
 * directory (ENOENT, ENOTDIR), the program (ENOENT, EACCES), a file (ENOENT, EISDIR, …), the
 * hand-off where `peak: "own"` asked for it and it cannot be done.
 */
export function launch(request: LaunchRequest): Launched {
  const cwd = request.cwd === undefined ? undefined : resolvePath(request.cwd);
  if (cwd !== undefined) checkDirectory(cwd);
  let program: string;
  try {
    program = resolveProgram(request.argv[0]!, request.env.values[request.env.names.lastIndexOf("PATH")], cwd);
  } catch (error) {
    lookupErrors.add(error as object);
    throw error;
  }
  // An "inherit" slot names a descriptor of ours as it is now, before this call opens anything
  // that could take its number: a closed one above 2 fails the spawn, as Bun's does; a closed
  // stdin, stdout or stderr gives the child /dev/null.
  const slots = request.slots.map((slot, i): Slot => {
    if (slot.kind !== "inherit" || isOpen(i)) return slot;
    if (i > 2) throw systemError("posix_spawn", os.errno.EBADF);
    return { kind: "ignore" };
  });
  const opened: number[] = [];
  const ends: (number | undefined)[] = request.slots.map(() => undefined);
  try {
    const files = withStdioTaken(() => slots.map((slot, i) => (slot.kind === "file" ? opened[opened.push(openFile(slot.path, i, slot.append)) - 1]! : undefined)));
    const why = whyPlain(request, program, cwd);
    if (why === undefined) {
      try {
        const handed = handOver({
          argv: request.argv,
          argv0: request.argv0,
          env: request.env,
          cwd,
          group: request.group === "new" ? "new" : "same",
          program,
          stdio: slots.slice(0, 3).map((slot, i): HandoffStdio => {
            if (slot.kind === "fd") return { fd: slot.fd };
            if (slot.kind === "file") return { fd: files[i]! };
            return slot.kind === "socket" ? "pipe" : slot.kind;
          }) as [HandoffStdio, HandoffStdio, HandoffStdio],
        });
        [handed.pipes.stdin, handed.pipes.stdout, handed.pipes.stderr].forEach((fd, i) => (ends[i] = fd));
        return { pid: handed.pid, group: handed.group, startedAt: handed.startedAt, handedOver: true, own: true, note: null, ends };
      } catch (error) {
        if (!(error instanceof HandoffRefused)) throw error;
        if (request.peak === "own") throw new PeakUnavailableError(error.reason);
        return plainLaunch(request, slots, program, cwd, files, ends, plainNote(error.reason));
      }
    }
    if (request.peak === "own" && why !== null) throw new PeakUnavailableError(why);
    return plainLaunch(request, slots, program, cwd, files, ends, why === null ? null : plainNote(why));
  } catch (error) {
    closeAll(ends.filter((fd): fd is number => fd !== undefined));
    throw error;
  } finally {
    closeAll(opened);
  }
}

/**
 * Why this request is spawned directly: undefined to hand it over; null where no note is due
 * (peak "plain", or a platform where a child's peak is its own anyway).
 */
function whyPlain(request: LaunchRequest, program: string, cwd: string | undefined): string | null | undefined {
  if (request.peak === "plain" || process.platform !== "linux") return null;
  const unavailable = handoffUnavailable();
  if (unavailable !== undefined) return unavailable;
  if (request.slots.length > 3) return "descriptors above 2 (stdio[3] on) are not handed over";
  // setsid() must be the command's own call (Bun's detached child leads its session), and no
  // shell can make it; the setsid utility would be one more exec, and one more lookup, between.
  if (request.group === "session") return "a detached child is started directly, to lead its own session";
  if (request.execAsBun === true && !kernelRuns(program, cwd)) return "neither an ELF file nor a #! script whose interpreter runs: its exec answers as Bun.spawn's, not a shell's";
  return undefined;
}

function plainNote(why: string): string {
  return `started directly (${why}): ru_maxrss includes this process's own peak`;
}

/** posix_spawn straight from this process: its peak is folded into the child's on Linux. */
function plainLaunch(
  request: LaunchRequest,
  slots: readonly Slot[],
  program: string,
  cwd: string | undefined,
  files: readonly (number | undefined)[],
  ends: (number | undefined)[],
  note: string | null,
): Launched {
  const theirs: number[] = [];
  try {
    const targets = new Map<number, ShellFd>();
    slots.forEach((slot, i) => {
      switch (slot.kind) {
        case "ignore":
          targets.set(i, "null");
          break;
        case "inherit":
          targets.set(i, i); // open (a closed one was settled before anything was opened)
          break;
        case "pipe":
        case "socket": {
          const [a, b] = slot.kind === "socket" ? socketPair() : pipe();
          const [mine, child] = i === 0 ? [b, a] : [a, b];
          ends[i] = mine;
          theirs.push(child);
          targets.set(i, child);
          break;
        }
        case "fd":
          targets.set(i, slot.fd);
          break;
        case "file":
          targets.set(i, files[i]!);
          break;
      }
    });
    const argv = request.argv0 === undefined ? request.argv : [request.argv0, ...request.argv.slice(1)];
    const startedAt = performance.now();
    const pid = spawnChecked(
      "posix_spawn",
      checkedRequest(program, argv, request.env, {
        fileActions: placeFds(targets),
        setsigdef: ALL_SIGNALS,
        setsigmask: [],
        cwd,
        setpgroup: request.group === "new" ? 0 : undefined,
        setsid: request.group === "session",
      }),
    );
    return { pid, group: pid, startedAt, handedOver: false, own: process.platform !== "linux", note, ends };
  } finally {
    closeAll(theirs);
  }
}
