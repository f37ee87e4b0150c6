/**
 * The forker (docs/DESIGN.md §6): one long-lived small shell that forks spares — shells that
 * are already our children, forked from a small process, waiting for a request script that
 * ends in the command's exec. A command then costs its own exec plus a pipe write, and the
 * shell's exec is off the critical path.
 *
 * Spares come in batches: the forker forks an intermediate shell per batch, which forks one
 * spare per pipeline element; once each has reported, the intermediate is killed in the
 * subreaper window (adopt.ts) and they all become ours at once. Batches are made on demand
 * (no process at import, none before the first command), and one spare is kept ready once a
 * second command has asked for one. The forker ends at end-of-file on its request pipe, so it
 * dies with this process, however this process ends; it is replaced if it dies.
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
const BATCH_DEADLINE_MS = 10_000;

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
export function parseReport(line: string): Report | undefined {
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
 * Reads one intermediate's reports: waits for its "I", then collects its spares' lines and
 * its trailer's until all `count` spares and the trailer have reported, or it says "D". Lines
 * of an earlier intermediate are skipped.
 */
export async function readBatch(reports: LineReader, count: number): Promise<Batch | undefined> {
  const batch: Batch = { intermediate: 0, spares: new Map(), trailer: undefined };
  let answered = 0;
  let trailed = false;
  while (answered < count || !trailed) {
    const line = await reports.next();
    if (line === null) return undefined;
    const report = parseReport(line);
    if (report === undefined) continue;
    if (batch.intermediate === 0) {
      if (report.kind === "I") batch.intermediate = report.intermediate;
      continue;
    }
    if (report.intermediate !== batch.intermediate || report.kind === "I") continue;
    if (report.kind === "D") break;
    if (report.kind === "T") {
      trailed = true;
      if (report.trailer !== batch.intermediate) batch.trailer = report.trailer;
      continue;
    }
    answered++;
    if (report.kind === "G" && report.spare !== batch.intermediate) batch.spares.set(report.index, report.spare);
  }
  return batch;
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

/** The long-lived forker shell and its ready spares. */
export class Forker {
  readonly shell: string;
  readonly pid: number;
  readonly #requests: number;
  readonly #reportFd: number;
  readonly #reports: LineReader;
  /** What this process's 0-2 were when the forker took copies of them. */
  readonly #stdio: readonly (string | null)[];
  readonly #ready: Spare[] = [];
  readonly #waiting: { resolve: (spare: Spare) => void; reject: (error: Error) => void }[] = [];
  #batching = false;
  #uses = 0;
  #failure: Error | undefined;

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

  /** Whether the forker's copy of this process's descriptor `fd` (0-2) is still what `fd` is. */
  holdsCurrent(fd: 0 | 1 | 2): boolean {
    return this.#stdio[fd] === identity(fd);
  }

  /** A spare, made now if none is ready. Rejects once the forker has failed. */
  acquire(): Promise<Spare> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    this.#uses++;
    let ready = this.#ready.shift();
    while (ready !== undefined && hasEnded(ready.pid)) {
      discardSpare(ready); // killed while it waited (a ^C to the whole process group)
      ready = this.#ready.shift();
    }
    if (ready !== undefined) {
      this.#refill();
      return Promise.resolve(ready);
    }
    const spare = new Promise<Spare>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#refill();
    return spare;
  }

  /** Ends the forker and its ready spares, and reaps them (for tests, and to replace it). */
  async close(): Promise<void> {
    this.#fail(new Error("bun-wait4: the hand-off forker was closed"));
    while (this.#batching) await new Promise((r) => setTimeout(r, 1));
    for (const spare of this.#ready.splice(0)) discardSpare(spare);
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
    closeAll([this.#requests]);
    killAndReap(this.pid);
    this.#reports.stop();
    closeAll([this.#reportFd]);
  }

  #refill(): void {
    if (this.#batching || this.#failure !== undefined) return;
    const idle = this.#uses > 1 ? 1 : 0;
    const wanted = this.#waiting.length + idle - this.#ready.length;
    if (wanted <= 0) return;
    this.#batching = true;
    this.#batch(Math.min(wanted, MAX_BATCH)).then(
      (spares) => {
        this.#batching = false;
        if (spares.length === 0) this.#fail(new Error(`bun-wait4: the hand-off shell ${this.shell} made no spare (is /proc mounted?)`));
        for (const spare of spares) {
          const waiter = this.#waiting.shift();
          if (waiter !== undefined) waiter.resolve(spare);
          else this.#ready.push(spare);
        }
        this.#refill();
      },
      (error: Error) => {
        this.#batching = false;
        this.#fail(error);
      },
    );
  }

  /** Makes up to `count` spares. */
  async #batch(count: number): Promise<Spare[]> {
    const pipes = sparePipes(count);
    const theirs = pipes.flatMap((p) => p.theirs);
    this.#reports.hold();
    const deadline = setTimeout(() => this.#reports.stop(), BATCH_DEADLINE_MS);
    let result: Awaited<ReturnType<typeof readBatch>>;
    try {
      writeSync(this.#requests, `${batchLine(pipes.map((p) => p.theirs))}\n`);
      result = await readBatch(this.#reports, count);
    } catch (error) {
      for (const p of pipes) closeAll(p.ours);
      throw error;
    } finally {
      clearTimeout(deadline);
      this.#reports.release();
      closeAll(theirs); // the spares opened their own copies before reporting
    }
    if (result === undefined) {
      for (const p of pipes) closeAll(p.ours);
      throw new Error(`bun-wait4: the hand-off shell ${this.shell} ended or did not answer`);
    }
    const adopted = new Set(result.spares.size === 0 ? [] : adoptSpares(result, false));
    const spares: Spare[] = [];
    pipes.forEach((p, index) => {
      const pid = result.spares.get(index);
      if (pid !== undefined && adopted.has(pid)) {
        const [stdin, stdout, stderr, ctl] = p.ours as [number, number, number, number];
        spares.push({ pid, ctl, pipes: [stdin, stdout, stderr] });
      } else {
        closeAll(p.ours);
      }
    });
    return spares;
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
