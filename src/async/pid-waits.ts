/**
 * The waits pending on one child and how a state change of that child is shared among them
 * (docs/DESIGN.md §9). Plain TypeScript over the synchronous API, which `check` calls only with
 * WNOHANG, so nothing here blocks.
 *
 * Rules:
 * - A state change is looked at first without consuming it (`waitid(…, WNOWAIT)`), unless every
 *   waiter only wants the exit and reaps it, when `wait4(pid, WNOHANG)` does both at once.
 * - An exit is delivered to every waiter that wants exits: the reaping ones share one reap (one
 *   `[pid, status, rusage]` for all of them), the WNOWAIT ones see it without reaping. After a
 *   reap the child is gone, so waiters that wanted only stops or continues get ECHILD, as the
 *   kernel would give them.
 * - A stop (or continue) is delivered to every waiter that asked for stops (continues). It is
 *   consumed — with `wait4(pid, WUNTRACED | WNOHANG)`, which also gives the stopped child's
 *   rusage — only if one of them does not pass WNOWAIT. A waiter that wants only the exit never
 *   consumes a stop, and a stop waiter never consumes the exit another waiter expects.
 */
import type { WaitConstants } from "../abi/types.ts";
import type { SystemError } from "../errors/system-error.ts";
import type { Rusage } from "../sys/rusage.ts";
import type { WaitidResult } from "../sys/waitid.ts";

/** What one pending wait asks for, decoded from its options. */
export interface Wants {
  exit: boolean;
  stop: boolean;
  cont: boolean;
  /** WNOWAIT (waitid only): report, leave the state change in place. */
  peek: boolean;
}

/** What a state change was, as the sync calls report it. */
export interface Change {
  kind: "exit" | "stop" | "cont";
  /** The status word and rusage when wait4 consumed (or reaped) it; absent for a WNOWAIT look. */
  reaped?: { status: number; rusage: Rusage };
  /** The siginfo, whenever a waitid waiter may receive this change. */
  info?: WaitidResult;
}

/** One pending wait. */
export interface Waiter {
  readonly wants: Wants;
  /** Called once with the change this waiter receives. */
  deliver(change: Change): void;
  /** Called once with the error this waiter receives. */
  fail(error: unknown): void;
  /** True for waitid, which reports a siginfo; false for wait4/waitpid, which report a status word. */
  readonly needsInfo: boolean;
}

/** The synchronous calls `check` uses (the real ones from src/sys/, or fakes in tests). */
export interface Kernel {
  wait4(pid: number, options: number): [pid: number, status: number, rusage: Rusage];
  waitid(idtype: number, id: number, options: number): WaitidResult | null;
  /** Decodes a status word into the kind of change it reports. */
  kindOf(status: number): "exit" | "stop" | "cont";
  /** The siginfo a waitid would have reported for `status` (the kernel's si_code rules). */
  infoOf(status: number, pid: number, uid: number): WaitidResult;
  readonly constants: Pick<WaitConstants, "WNOHANG" | "WUNTRACED" | "WCONTINUED" | "WEXITED" | "WSTOPPED" | "WNOWAIT" | "P_PID" | "CLD_EXITED" | "CLD_KILLED" | "CLD_DUMPED" | "CLD_STOPPED" | "CLD_TRAPPED" | "CLD_CONTINUED">;
  /** The error for a child that is gone, as a wait would throw it. */
  echild(): SystemError;
}

/** The pending waits of one pid. */
export class PidWaits {
  readonly waiters = new Set<Waiter>();
  constructor(readonly pid: number) {}

  /** True if some waiter wants stops or continues: those need a look on every SIGCHLD. */
  watchesStops(): boolean {
    for (const w of this.waiters) if (w.wants.stop || w.wants.cont) return true;
    return false;
  }

  /**
   * Looks at the child once (non-blocking) and settles every waiter the pending state changes
   * satisfy. Returns true when the child is gone (reaped, or not our child): no waiter is left.
   */
  check(kernel: Kernel): boolean {
    for (let guard = 0; guard < 8 && this.waiters.size > 0; guard++) {
      let change: Change | null;
      try {
        change = this.next(kernel);
      } catch (error) {
        this.failAll(error);
        return true;
      }
      if (change === null) return false;
      if (this.settle(change, kernel)) return true;
    }
    return this.waiters.size === 0;
  }

  /** The pending state change this set of waiters cares about, consumed if they reap or consume it. */
  private next(kernel: Kernel): Change | null {
    const k = kernel.constants;
    let exit = false;
    let stop = false;
    let cont = false;
    let anyPeek = false;
    let anyInfo = false;
    for (const w of this.waiters) {
      exit ||= w.wants.exit;
      stop ||= w.wants.stop;
      cont ||= w.wants.cont;
      anyPeek ||= w.wants.peek;
      anyInfo ||= w.needsInfo;
    }
    // The common case, every waiter a plain exit wait4/waitpid: one call reaps and reports.
    if (exit && !stop && !cont && !anyPeek && !anyInfo) return this.reap(kernel, k.WNOHANG);

    const flags = (exit ? k.WEXITED : 0) | (stop ? k.WSTOPPED : 0) | (cont ? k.WCONTINUED : 0);
    const info = kernel.waitid(k.P_PID, this.pid, flags | k.WNOHANG | k.WNOWAIT);
    if (info === null) return null;
    const kind = info.si_code === k.CLD_STOPPED || info.si_code === k.CLD_TRAPPED ? "stop" : info.si_code === k.CLD_CONTINUED ? "cont" : "exit";
    let anyConsumer = false;
    for (const w of this.waiters) anyConsumer ||= wantsKind(w.wants, kind) && !w.wants.peek;
    if (!anyConsumer) return { kind, info };
    // Consume it with wait4, which also reports the rusage: for an exit the only option given is
    // WNOHANG, so nothing but an exit can come back; for a stop, WUNTRACED (WCONTINUED for a
    // continue) — and should the child have exited meanwhile, wait4 reports that exit instead.
    const options = kind === "exit" ? k.WNOHANG : kind === "stop" ? k.WUNTRACED | k.WNOHANG : k.WCONTINUED | k.WNOHANG;
    const consumed = this.reap(kernel, options);
    if (consumed === null) return null; // someone else consumed it between the look and now
    consumed.info = consumed.kind === kind ? info : kernel.infoOf(consumed.reaped!.status, this.pid, info.si_uid);
    return consumed;
  }

  private reap(kernel: Kernel, options: number): Change | null {
    const [pid, status, rusage] = kernel.wait4(this.pid, options);
    if (pid === 0) return null;
    return { kind: kernel.kindOf(status), reaped: { status, rusage } };
  }

  /** Hands `change` to the waiters it satisfies; true when the child is gone. */
  private settle(change: Change, kernel: Kernel): boolean {
    for (const w of [...this.waiters]) {
      if (!wantsKind(w.wants, change.kind)) continue;
      this.waiters.delete(w);
      w.deliver(change);
    }
    if (change.kind === "exit" && change.reaped !== undefined) {
      // Reaped: whoever is left wanted only stops or continues, which can no longer happen.
      if (this.waiters.size > 0) this.failAll(kernel.echild());
      return true;
    }
    return false;
  }

  /** Fails every waiter with `error` and forgets them. */
  failAll(error: unknown): void {
    const all = [...this.waiters];
    this.waiters.clear();
    for (const w of all) w.fail(error);
  }
}

function wantsKind(wants: Wants, kind: Change["kind"]): boolean {
  return kind === "exit" ? wants.exit : kind === "stop" ? wants.stop : wants.cont;
}
