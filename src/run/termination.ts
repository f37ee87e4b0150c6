/**
 * How a running command is ended: a timeout, an abort or output beyond maxBuffer each ask for
 * `killSignal` once, and the first of them is the one reason the run gives for its end; a
 * command still there `forceKillAfter` ms later gets SIGKILL. Nothing is sent once the command
 * has been reaped (its pid may be reused), and a handed-over command's signal waits for its
 * exec (handoff.ts signalAfterExec).
 */
import { constants } from "node:os";
import { signalAfterExec } from "./handoff.ts";

/** Why the command was asked to end. */
export type EndReason = "timeout" | "abort" | "maxBuffer";

/** What a Termination needs to know. */
export interface TerminationOptions {
  pid: number;
  /** Where signals go: the pid, or minus a process group. */
  target: number;
  handedOver: boolean;
  killSignal: number;
  timeout: number | undefined;
  signal: AbortSignal | undefined;
  forceKillAfter: number | undefined;
}

/** The ending of one command. */
export class Termination {
  /** The first reason it was asked to end, while it was running. */
  reason: EndReason | undefined;
  /** SIGKILL had to be sent after forceKillAfter. */
  escalated = false;
  readonly #o: TerminationOptions;
  #exited = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #forceTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #onAbort = () => this.stop("abort");

  constructor(options: TerminationOptions) {
    this.#o = options;
    if (options.timeout !== undefined) this.#timer = setTimeout(() => this.stop("timeout"), options.timeout);
    options.signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (options.signal?.aborted) this.stop("abort"); // aborted while it was being started
  }

  /** Whether `ended()` has been called. */
  get exited(): boolean {
    return this.#exited;
  }

  /** Asks the command to end for `reason` (only the first reason counts; killSignal is sent once). */
  stop(reason: EndReason): void {
    if (this.#exited || this.reason !== undefined) return;
    this.reason = reason;
    this.send(this.#o.killSignal);
    const after = this.#o.forceKillAfter;
    if (after !== undefined) {
      this.#forceTimer = setTimeout(() => {
        if (this.#exited) return;
        this.escalated = true;
        this.send(constants.signals.SIGKILL);
      }, after);
    }
  }

  /** Sends `signal` to the command (or its group), unless it has been reaped. */
  send(signal: number): void {
    if (this.#exited) return;
    if (this.#o.handedOver) {
      signalAfterExec(this.#o.pid, this.#o.target, signal, () => !this.#exited);
      return;
    }
    try {
      process.kill(this.#o.target, signal);
    } catch {}
  }

  /** The command has been reaped: nothing is sent any more and no timer is left. */
  ended(): void {
    this.#exited = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#forceTimer);
    this.#o.signal?.removeEventListener("abort", this.#onAbort);
  }
}
