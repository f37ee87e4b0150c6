/**
 * The handle `spawn()` returns: Bun's Subprocess, field for field (bun-types `Subprocess`), with
 * the command's own peak memory behind `resourceUsage()` and run()'s whole result in `result`.
 */
import { closeSync } from "node:fs";
import { constants } from "node:os";
import { setRef } from "../async/registry.ts";
import { wait4 } from "../promises.ts";
import type { Rusage } from "../sys/rusage.ts";
import { signalName as nameOf } from "../sys/signals.ts";
import type { Launched } from "./launch.ts";
import { ResourceUsage } from "./resource-usage.ts";
import { buildResult, type RunResult } from "./result.ts";
import { readBunSignal, type InputSpec, type SpawnRequest } from "./spawn-options.ts";
import { feed, inputSink, outputPipe, type OutputPipe } from "./stdio-streams.ts";
import { Termination } from "./termination.ts";

/** The signal's name as Bun gives it in signalCode ("SIGTERM"), or its number where it has none. */
function signalCodeOf(signal: number): NodeJS.Signals | number {
  const name = nameOf(signal);
  return name !== undefined && name in constants.signals ? (name as NodeJS.Signals) : signal;
}

/** What a Subprocess is made from: a launched command and what spawn() (or run()) asked. */
export interface SubprocessParts {
  launched: Launched;
  request: SpawnRequest & {
    /** run(): ms after killSignal before SIGKILL, if it still runs. */
    forceKillAfter?: number;
    /** run()'s killTree: signals go to the command's whole process group. */
    killGroup?: boolean;
  };
}

/** Which output stream passed maxBuffer, for run()'s MaxBufferError (not part of Bun's Subprocess). */
export const overflowOf = new WeakMap<object, "stdout" | "stderr">();

/** A running (or ended) child, as Bun.spawn's Subprocess. */
export class Subprocess {
  /** The child's process id. */
  readonly pid: number;
  /** A FileSink for stdin "pipe", the descriptor for an fd, else undefined. */
  readonly stdin: Bun.FileSink | number | undefined;
  /** A ReadableStream for "pipe" (the default), the descriptor for an fd, else undefined. */
  readonly stdout: ReadableStream<Uint8Array<ArrayBuffer>> | number | undefined;
  /** As stdout ("inherit" by default). */
  readonly stderr: ReadableStream<Uint8Array<ArrayBuffer>> | number | undefined;
  /** null for 0-2; for stdio[3] on: this process's end of a pipe or socket, the fd given, or null. */
  readonly stdio: [null, null, null, ...(number | null)[]];
  /** Resolves with the exit code, or 128 + the signal that ended it. */
  readonly exited: Promise<number>;
  /** run()'s result for this child: exit code XOR signal, names, wall time, JSON-safe rusage, own peak memory. */
  readonly result: Promise<RunResult>;
  /** No pseudo-terminal (the `terminal` option is refused). */
  readonly terminal: undefined = undefined;
  #exitCode: number | null = null;
  #signalCode: NodeJS.Signals | number | null = null;
  #ended = false;
  #rusage: Rusage | undefined;
  readonly #termination: Termination;
  readonly #stdinSink: { end(): unknown } | undefined;
  /** Stops the feeding of stdin from bytes or a stream at the exit; made only for such a stdin. */
  #feeding: AbortController | undefined;
  readonly #outputs: readonly OutputPipe[];

  constructor({ launched, request }: SubprocessParts) {
    this.pid = launched.pid;
    const [stdinEnd, stdoutEnd, stderrEnd, ...extraEnds] = launched.ends;
    this.#termination = new Termination({
      pid: launched.pid,
      target: request.killGroup ? -launched.group : launched.pid,
      handedOver: launched.handedOver,
      killSignal: request.killSignal,
      timeout: request.timeout,
      signal: request.signal,
      forceKillAfter: request.forceKillAfter,
    });
    const maxBuffer = request.maxBuffer;
    const pipes: OutputPipe[] = [];
    const output = (end: number | undefined, spec: SpawnRequest["stdout"], name: "stdout" | "stderr") => {
      if (end === undefined) return spec.kind === "fd" ? spec.fd : undefined;
      let bytes = 0;
      // maxBuffer counts each stream: past it the child gets killSignal and the stream keeps what came.
      const pipe: OutputPipe = outputPipe(end, {
        read: (n) => {
          bytes += n;
          if (maxBuffer === undefined || bytes <= maxBuffer) return;
          pipe.stop();
          if (!overflowOf.has(this)) overflowOf.set(this, name);
          this.#termination.stop("maxBuffer");
        },
      });
      pipes.push(pipe);
      return pipe.stream;
    };
    this.stdout = output(stdoutEnd, request.stdout, "stdout");
    this.stderr = output(stderrEnd, request.stderr, "stderr");
    this.#outputs = pipes;
    this.stdio = [null, null, null, ...request.extra.map((spec, i) => extraEnds[i] ?? (spec.kind === "fd" ? spec.fd : null))];
    [this.stdin, this.#stdinSink] = this.#stdinOf(stdinEnd, request.stdin);

    const wait = wait4(this.pid);
    const started = launched.startedAt;
    const onExit = request.onExit;
    this.result = wait.then(async ([, status, rusage]) => {
      const wallSeconds = (performance.now() - started) / 1000;
      this.#termination.ended();
      this.#rusage = rusage;
      const result = buildResult({
        command: [...request.argv],
        pid: this.pid,
        status,
        rusage,
        wallSeconds,
        peakRssIsOwn: launched.own,
        peakNote: launched.note,
        timedOut: this.#termination.reason === "timeout",
        canceled: this.#termination.reason === "abort",
        escalated: this.#termination.escalated,
      });
      this.#exitCode = result.exitCode;
      this.#signalCode = result.signal === null ? null : signalCodeOf(result.signal);
      this.#ended = true;
      await this.#afterExit();
      return result;
    });
    this.exited = this.result.then((r) => r.exitCode ?? 128 + r.signal!);
    if (onExit !== undefined) {
      this.exited.then(
        () => onExit(...([this, this.#exitCode, this.#signalCode, undefined] as never[])),
        (error: unknown) => onExit(...([this, null, null, error] as never[])),
      );
    }
  }

  /** stdin as Bun shows it, and the sink to end at the exit. */
  #stdinOf(end: number | undefined, spec: InputSpec): [Subprocess["stdin"], { end(): unknown } | undefined] {
    if (spec.kind === "fd") return [spec.fd, undefined];
    if (end === undefined) return [undefined, undefined];
    if (spec.kind === "pipe") {
      const sink = inputSink(end);
      return [sink, sink];
    }
    const source = spec.kind === "bytes" ? spec.bytes : spec.kind === "body" ? spec.body : spec.kind === "primed" ? spec.primed : undefined;
    if (source !== undefined) void feed(end, source, (this.#feeding = new AbortController()).signal);
    else closeSync(end);
    return [undefined, undefined];
  }

  /** At the exit: a stdin nobody ended is ended (and closed), a feeding stops; after a kill, the outputs end with what has come. */
  async #afterExit(): Promise<void> {
    this.#feeding?.abort();
    if (this.#stdinSink !== undefined) Promise.resolve().then(() => this.#stdinSink!.end()).catch(() => {});
    if (this.#termination.reason !== undefined) for (const pipe of this.#outputs) pipe.endAtKilledExit();
    // What the child wrote is in its streams when exited resolves, as with Bun.spawn.
    await Promise.all(this.#outputs.map((pipe) => pipe.caughtUp()));
  }

  /** Same as stdout (Bun's alias). */
  get readable(): Subprocess["stdout"] {
    return this.stdout;
  }

  /** The exit code once it has exited; null before, and when a signal ended it. */
  get exitCode(): number | null {
    return this.#exitCode;
  }

  /** The signal that ended it ("SIGTERM", or a number for a signal without a name); null otherwise. */
  get signalCode(): NodeJS.Signals | number | null {
    return this.#signalCode;
  }

  /** Whether it has exited (whatever ended it), as Bun's `killed`. */
  get killed(): boolean {
    return this.#ended;
  }

  /**
   * Sends `signal` (a name from os.constants.signals or a number 1-31; default SIGTERM; 0 sends
   * nothing). Nothing is sent once it has been reaped; a signal sent while the command is still
   * being handed over reaches the command, not the shell before it.
   */
  kill(signal?: number | NodeJS.Signals): void {
    const number = signal === undefined ? constants.signals.SIGTERM : readBunSignal(signal, true);
    if (number === 0 || this.#ended) return;
    this.#termination.send(number);
  }

  /** Keeps this process alive until the child exits (the default). */
  ref(): void {
    setRef(this.pid, true);
  }

  /** Lets this process exit while the child runs (its `exited` still resolves if the process lives). */
  unref(): void {
    setRef(this.pid, false);
  }

  /** Its resources once it has exited (maxRSS its own peak, in bytes); undefined before. */
  resourceUsage(): ResourceUsage | undefined {
    return this.#rusage === undefined ? undefined : new ResourceUsage(this.#rusage);
  }

  /** IPC is refused at spawn (the `ipc` option): there is never a channel. */
  send(): never {
    throw new TypeError("bun-wait4: this subprocess has no IPC channel (the ipc option is not supported)");
  }

  /** IPC is refused at spawn: there is nothing to disconnect. */
  disconnect(): void {}

  /** `await using`: kills it (SIGTERM) if it still runs, and waits until it is reaped. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#ended) this.kill();
    await this.exited;
  }
}
