/**
 * The forker (docs/DESIGN.md §6): one long-lived small shell that forks spares — shells that
 * are already our children, forked from a small process, waiting for a request script that
 * ends in the command's exec. A command then costs its own exec plus a pipe write, and the
 * shell's exec is off the critical path.
 *
 * Spares come in batches: the forker forks an intermediate shell per batch, which forks one
 * spare per pipeline element; once each has reported, the intermediate is killed in the
 * subreaper window (adopt.ts) and they all become ours at once. A batch is made synchronously
 * (a fraction of a millisecond: `spawn()` returns a pid at once, as Bun.spawn does) when a
 * command finds no spare ready; from the second command on, the pool is refilled in the
 * background when it is down to half the last batch; batches double in size (up to 8) while
 * commands keep coming, so one intermediate and one window serve many commands, and spares
 * left idle for 100 ms are let go down to one (docs/DESIGN.md §6.1). The forker ends at
 * end-of-file on its request pipe, so it dies with this process, however this process ends;
 * it is replaced if it dies.
 */
import { closeSync, fstatSync, writeSync } from "node:fs";
import { constants } from "node:os";
import type { SystemError } from "../../errors/system-error.ts";
import { pipe } from "../../sys/process.ts";
import { waitpid } from "../../sys/wait.ts";
import { LineReader } from "../fd-reader.ts";
import { adoptSpares, hasEnded } from "./adopt.ts";
import { batchLine, FORKER_SCRIPT } from "./scripts.ts";
import { startShell, type ShellFd } from "./shell-process.ts";

/** A shell forked from a small one, our child, waiting for its request. */
export interface Spare {
  readonly pid: number;
  /** Write end of the pipe its request script is read from. */
  readonly ctl: number;
  /** Our ends of the pipes it holds as 0-2 (stdin's write end, stdout's and stderr's read ends); none for a one-shot spare. */
  readonly pipes: readonly [stdin: number, stdout: number, stderr: number] | undefined;
}

/** Spares one batch makes at most (one fork of the intermediate serves them all). */
const MAX_BATCH = 8;
/** How long a batch may take before the forker is given up (ms): a shell forks in well under 1 ms. */
const BATCH_DEADLINE_MS = 5000;
/** A batch needed this soon (ms) after the last one means commands come faster than it makes spares: the next is twice its size. */
const BURST_MS = 50;
/** How long spares beyond one may stay idle (ms) before they are let go. */
const IDLE_MS = 100;

/** The identity of this process's descriptor `fd` (closed: null), to tell whether it is still what the forker holds. */
function identity(fd: number): string | null {
  try {
    const s = fstatSync(fd);
    return `${s.dev}:${s.ino}:${s.rdev}`;
  } catch {
    return null;
  }
}

/** Closes every descriptor given, ignoring ones already closed. */
export function closeAll(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {}
  }
}

/** One report line: a spare ("G"), a spare that failed ("E"), the intermediate's start ("I") or end ("D"), the trailer ("T"). */
type Report =
  | { kind: "I" | "D"; intermediate: number }
  | { kind: "T"; intermediate: number; trailer: number }
  | { kind: "G" | "E"; intermediate: number; spare: number; index: number };

/** Parses a report line; undefined for anything else. */
function parseReport(line: string): Report | undefined {
  const words = line.split(" ");
  const [kind, a, b, c] = words.map((w, i) => (i === 0 ? w : Number(w))) as [string, number, number, number];
  if ((kind === "I" || kind === "D") && words.length === 2 && a > 0) return { kind, intermediate: a };
  if (kind === "T" && words.length === 3 && a > 0 && b > 0) return { kind, intermediate: a, trailer: b };
  if ((kind === "G" || kind === "E") && words.length === 4 && a > 0 && b > 0 && c >= 0) return { kind, intermediate: a, spare: b, index: c };
  return undefined;
}

/** What one intermediate reported. */
export interface Batch {
  intermediate: number;
  /** index → pid of each spare that opened everything. */
  spares: Map<number, number>;
  /** The trailer's pid (not the intermediate's): a process of its own, reaped if adopted. */
  trailer: number | undefined;
}

/**
 * One intermediate's reports, line by line: it waits for the "I", then collects the spares'
 * lines and the trailer's until all `count` spares and the trailer have reported, or the
 * intermediate says "D". Lines of an earlier intermediate are skipped.
 */
export class BatchReports {
  readonly batch: Batch = { intermediate: 0, spares: new Map(), trailer: undefined };
  readonly #count: number;
  #answered = 0;
  #trailed = false;
  #ended = false;

  constructor(count: number) {
    this.#count = count;
  }

  /** Whether every report is in (or the intermediate has ended). */
  get complete(): boolean {
    return this.#ended || (this.#answered === this.#count && this.#trailed);
  }

  /** Takes lines from `reports` until complete or `deadline`; true once complete, false if the pipe ended or time ran out. */
  read(reports: LineReader, deadline: number): boolean {
    while (!this.complete) {
      const line = reports.next(deadline);
      if (line === null || line === undefined) return false;
      this.#take(line);
    }
    return true;
  }

  #take(line: string): void {
    const report = parseReport(line);
    const batch = this.batch;
    if (report === undefined) return;
    if (batch.intermediate === 0) {
      if (report.kind === "I") batch.intermediate = report.intermediate;
      return;
    }
    if (report.intermediate !== batch.intermediate || report.kind === "I") return;
    if (report.kind === "D") this.#ended = true;
    else if (report.kind === "T") {
      this.#trailed = true;
      if (report.trailer !== batch.intermediate) batch.trailer = report.trailer;
    } else {
      this.#answered++;
      if (report.kind === "G" && report.spare !== batch.intermediate) batch.spares.set(report.index, report.spare);
    }
  }
}

/** Makes the pipes for `count` spares: per spare [stdin, stdout, stderr, request] as [ours, theirs]. */
function sparePipes(count: number): { ours: number[]; theirs: number[] }[] {
  const made: { ours: number[]; theirs: number[] }[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const [inRead, inWrite] = pipe();
      const spare = { ours: [inWrite], theirs: [inRead] };
      made.push(spare);
      for (let j = 0; j < 3; j++) {
        const [read, write] = pipe();
        spare.ours.push(j < 2 ? read : write);
        spare.theirs.push(j < 2 ? write : read);
      }
    }
  } catch (error) {
    for (const spare of made) closeAll([...spare.ours, ...spare.theirs]);
    throw error;
  }
  return made;
}

/** This process's working directory, or undefined where it cannot be named (removed). */
function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/** The long-lived forker shell and its ready spares. */
export class Forker {
  readonly shell: string;
  readonly pid: number;
  readonly #requests: number;
  readonly #reportFd: number;
  readonly #reports: LineReader;
  /** What this process's 0-2 were when the forker took copies of them. */
  readonly #stdio: readonly (string | null)[];
  /** This process's directory when the forker started: the one its spares are in. */
  readonly #directory = currentDirectory();
  readonly #ready: Spare[] = [];
  #takes = 0;
  #failure: Error | undefined;
  /** The size of the last batch and when it was made (performance.now()). */
  #lastBatch = { size: 0, at: -Infinity };
  /** The batch under way: its pipes per spare, its reports so far, and when to give up on it. */
  #pending: { pipes: { ours: number[]; theirs: number[] }[]; reports: BatchReports; size: number; deadline: number } | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #trimTimer: ReturnType<typeof setInterval> | undefined;
  #lastTake = -Infinity;
  #refillQueued = false;
  /** Set by prepare(true): the pool is refilled only by prepare() and take(), never while a command runs. */
  #refillsHeld = false;

  private constructor(shell: string, pid: number, requests: number, reportFd: number, stdio: (string | null)[]) {
    this.shell = shell;
    this.pid = pid;
    this.#requests = requests;
    this.#reportFd = reportFd;
    this.#reports = new LineReader(reportFd);
    this.#stdio = stdio;
  }

  /** Starts a forker running `shell`. */
  static start(shell: string): Forker {
    const [requestRead, requestWrite] = pipe();
    let reportRead: number | undefined;
    let reportWrite: number | undefined;
    try {
      [reportRead, reportWrite] = pipe();
      const stdio = [0, 1, 2].map(identity);
      const fds = new Map<number, ShellFd>([
        [3, requestRead],
        [4, reportWrite],
        ...stdio.map((id, fd): [number, ShellFd] => [5 + fd, id === null ? "null" : fd]),
      ]);
      const pid = startShell({ shell, script: FORKER_SCRIPT, args: [String(process.pid)], fds });
      closeAll([requestRead, reportWrite]);
      return new Forker(shell, pid, requestWrite, reportRead, stdio);
    } catch (error) {
      closeAll([requestRead, requestWrite, ...(reportRead === undefined ? [] : [reportRead, reportWrite!])]);
      throw error;
    }
  }

  /** Why this forker can no longer make spares, if it cannot. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /**
   * Whether this process is still in the directory the forker started in, which its spares
   * inherited (process.chdir() since then moves this process only).
   */
  inStartDirectory(): boolean {
    return this.#directory !== undefined && this.#directory === currentDirectory();
  }

  /** Whether the forker's copy of this process's descriptor `fd` (0-2) is still what `fd` is. */
  holdsCurrent(fd: 0 | 1 | 2): boolean {
    return this.#stdio[fd] === identity(fd);
  }

  /**
   * A spare: a ready one; else the batch under way, finished now; else one made now. Throws
   * once the forker has failed.
   */
  take(): Spare {
    if (this.#failure !== undefined) throw this.#failure;
    this.#takes++;
    for (;;) {
      const ready = this.#ready.shift();
      if (ready === undefined) break;
      if (!hasEnded(ready.pid)) {
        this.#afterTake();
        return ready;
      }
      discardSpare(ready); // killed while it waited (a ^C to the whole process group)
    }
    if (this.#pending === undefined) this.#startBatch(this.#nextSize());
    this.#finish(performance.now() + BATCH_DEADLINE_MS);
    // Unfinished before its deadline: the report pipe ended (the forker died with the batch under way).
    if (this.#failure === undefined && this.#ready.length === 0) this.#fail(new Error(`bun-wait4: the hand-off shell ${this.shell} ended or did not answer`));
    if (this.#failure !== undefined) throw this.#failure;
    const spare = this.#ready.shift()!;
    this.#afterTake();
    return spare;
  }

  /**
   * Makes sure a spare is ready, now: finishes a batch under way, and makes one if none is
   * ready. `holdRefills`: from now on the pool is refilled only here and in take(), not in the
   * background after a launch — for a caller that times one command at a time, so that the
   * forker's forks and the subreaper window land between its commands, not inside a timed one
   * (on a machine with few cores they would compete with the command for a CPU).
   */
  prepare(holdRefills: boolean): void {
    this.#refillsHeld = holdRefills;
    if (this.#failure !== undefined) return;
    try {
      if (this.#pending === undefined && this.#ready.length === 0) this.#startBatch(this.#nextSize());
      this.#finish(performance.now() + BATCH_DEADLINE_MS);
    } catch {} // #fail has recorded it; the next take() reports it
  }

  /**
   * Starts a batch of `count` spares now if none is ready or under way: for a caller that knows
   * it will take several at once (the probe takes two, and the first command one more), so that
   * one batch serves them all instead of one batch after another.
   */
  prime(count: number): void {
    if (this.#failure !== undefined || this.#pending !== undefined || this.#ready.length > 0) return;
    try {
      this.#startBatch(Math.min(MAX_BATCH, count), 1); // not a burst of commands: later batches start from one
    } catch {} // #fail has recorded it; the next take() reports it
  }

  /**
   * Starts the next batch if the pool is low: called once a taken spare has its request, so the
   * batch forks while that command runs (a caller that never yields, as spawnSync, would
   * otherwise meet an empty pool each time). Refilled at half the last batch, so the next batch
   * is under way before the pool runs dry.
   */
  refill(): void {
    if (!this.#refillQueued) return;
    this.#refillQueued = false;
    if (this.#refillsHeld) return;
    if (this.#ready.length > this.#lastBatch.size >> 1 || this.#pending !== undefined || this.#failure !== undefined) return;
    try {
      this.#startBatch(this.#nextSize());
    } catch {} // #fail has recorded it; the next take() reports it
  }

  /** Ends the forker and its ready spares, and reaps them (for tests, and to replace it). */
  close(): void {
    this.#fail(new Error("bun-wait4: the hand-off forker was closed"));
    for (const spare of this.#ready.splice(0)) discardSpare(spare);
  }

  /**
   * Commands coming faster than batches: each batch twice the last, up to MAX_BATCH, so that one
   * intermediate and one window (the costly part of a batch) serve more commands.
   */
  #nextSize(): number {
    return performance.now() - this.#lastBatch.at < BURST_MS ? Math.min(MAX_BATCH, this.#lastBatch.size * 2) : 1;
  }

  /**
   * From the second command on, spares are kept ready: once the caller has let its command go
   * (`refill()`, or a microtask later, so none of this is on the command's way to its exec), a
   * batch is started when the pool is down to half the last batch, and finished in the
   * background (its reports are read as they come, from an unref'd timer, so it never holds the
   * process open or blocks the event loop; only its window is synchronous) or by the next
   * take(). Spares beyond one are let go after IDLE_MS without a take.
   */
  #afterTake(): void {
    if (this.#takes > 1 && !this.#refillQueued) {
      this.#refillQueued = true;
      queueMicrotask(() => this.refill());
    }
    if (this.#trimTimer === undefined) {
      this.#trimTimer = setInterval(() => {
        if (performance.now() - this.#lastTake < IDLE_MS) return;
        for (const spare of this.#ready.splice(1)) discardSpare(spare);
        clearInterval(this.#trimTimer);
        this.#trimTimer = undefined;
      }, IDLE_MS);
      this.#trimTimer.unref();
    }
    this.#lastTake = performance.now();
  }

  /**
   * Asks the forker for `count` spares; their reports are read by #finish (now or from the
   * timer). `size` is what the next batch's size is doubled from.
   */
  #startBatch(count: number, size = count): void {
    const pipes = sparePipes(count);
    try {
      writeSync(this.#requests, `${batchLine(pipes.map((p) => p.theirs))}\n`);
    } catch (error) {
      for (const p of pipes) closeAll([...p.ours, ...p.theirs]);
      this.#fail(error as Error);
      throw error;
    }
    this.#pending = { pipes, reports: new BatchReports(count), size, deadline: performance.now() + BATCH_DEADLINE_MS };
    this.#ticker = setInterval(() => this.#finish(performance.now()), 1);
    this.#ticker.unref();
  }

  /**
   * Reads the pending batch's reports until `until` (now: only what has come); once all are in,
   * adopts its spares into the ready pool. A batch past its own deadline fails the forker.
   */
  #finish(until: number): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    let complete: boolean;
    try {
      complete = pending.reports.read(this.#reports, Math.min(until, pending.deadline));
    } catch (error) {
      complete = false;
      pending.deadline = -Infinity;
      this.#fail(error as Error);
    }
    if (!complete && performance.now() < pending.deadline && this.#failure === undefined) return;
    this.#pending = undefined;
    clearInterval(this.#ticker);
    const theirs = pending.pipes.flatMap((p) => p.theirs);
    closeAll(theirs); // the spares opened their own copies before reporting
    if (!complete) {
      for (const p of pending.pipes) closeAll(p.ours);
      this.#fail(new Error(`bun-wait4: the hand-off shell ${this.shell} ended or did not answer`));
      return;
    }
    const { batch } = pending.reports;
    const adopted = new Set(batch.spares.size === 0 ? [] : adoptSpares(batch, false));
    pending.pipes.forEach((p, index) => {
      const pid = batch.spares.get(index);
      if (pid !== undefined && adopted.has(pid)) {
        const [stdin, stdout, stderr, ctl] = p.ours as [number, number, number, number];
        this.#ready.push({ pid, ctl, pipes: [stdin, stdout, stderr] });
      } else {
        closeAll(p.ours);
      }
    });
    if (adopted.size === 0) this.#fail(new Error(`bun-wait4: the hand-off shell ${this.shell} made no spare (is /proc mounted?)`));
    else this.#lastBatch = { size: pending.size, at: performance.now() };
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    clearInterval(this.#ticker);
    clearInterval(this.#trimTimer);
    if (this.#pending !== undefined) {
      for (const p of this.#pending.pipes) closeAll([...p.ours, ...p.theirs]);
      this.#pending = undefined;
    }
    closeAll([this.#requests]);
    killAndReap(this.pid);
    closeAll([this.#reportFd]);
  }
}

/** Writes the request script into a spare and closes its request pipe; false if the spare had died (EPIPE). */
export function launch(spare: Spare, script: string): boolean {
  try {
    writeSync(spare.ctl, script);
    return true;
  } catch (error) {
    if ((error as SystemError).code !== "EPIPE") throw error;
    return false;
  } finally {
    closeAll([spare.ctl]);
  }
}

/** SIGKILLs our child `pid` and reaps it. */
export function killAndReap(pid: number): void {
  try {
    process.kill(pid, constants.signals.SIGKILL);
  } catch {}
  try {
    waitpid(pid, 0);
  } catch {}
}

/** Ends an unused spare: end-of-file on its request pipe makes it exit; then it is reaped. */
export function discardSpare(spare: Spare): void {
  closeAll([spare.ctl, ...(spare.pipes ?? [])]);
  try {
    waitpid(spare.pid, 0);
  } catch {}
}
