/**
 * The parent's side of a child's pipes, as Bun's Subprocess shows them: stdout and stderr as
 * ReadableStreams (with Bun's `.text()`, `.json()`, `.bytes()`, `.blob()`), read as the child
 * writes, to the end while nobody reads them and up to READ_AHEAD ahead of a reader, as Bun's
 * are (so an output read only after the exit is whole, and its pipe closes even if nobody reads
 * it), a stdin "pipe" as a FileSink whose end() closes the pipe, and stdin fed from bytes, a
 * Blob, a Response or Request body, or a ReadableStream. This process's descriptor of each
 * pipe is closed exactly once, when the stream ends, errs or is cancelled.
 */
import { closeSync, readSync } from "node:fs";
import { outOfDescriptors } from "../errors/run-errors.ts";
import { pollMany, pollReadable, withStdioTaken } from "../sys/process.ts";

/**
 * How far a stdout/stderr stream that someone reads runs ahead of its reader (bytes). Until a
 * reader takes the stream (`getReader()`, `.text()`, `for await`), it is read to its end
 * without bound, as Bun.spawn's is: a program that awaits `exited` before it reads (common,
 * and fine with Bun's) would otherwise wait forever on a child blocked writing into a full
 * pipe. Once read, the stream is pulled, and a reader that stalls holds a long writer back,
 * as with Bun's. `maxBuffer` bounds both.
 */
const READ_AHEAD = 1024 * 1024;

type Chunk = Uint8Array<ArrayBuffer>;

/** What an output stream tells its subprocess. */
export interface OutputHooks {
  /** Called with the size of every chunk read from the pipe (maxBuffer counts them). */
  read?(bytes: number): void;
  /** Called once the pipe has ended and its descriptor is closed. */
  closed?(): void;
}

/** Closes `fd` once, however many times it is asked. */
function closer(fd: number, after?: () => void): () => void {
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    try {
      closeSync(fd);
    } catch {}
    after?.();
  };
}

/** A child's stdout or stderr as a stream, and how its reading ends at a killed exit. */
export interface OutputPipe {
  readonly stream: ReadableStream<Chunk>;
  /**
   * The child was killed (timeout, abort, maxBuffer) and has exited: what is in the pipe now
   * still comes, and then the stream ends, even if a grandchild holds the pipe open (Bun.spawn
   * does the same; after an ordinary exit the stream waits for end-of-file, as Bun's does).
   */
  endAtKilledExit(): void;
  /** No more is read: the stream ends after what it holds (maxBuffer passed). */
  stop(): void;
  /**
   * At the child's exit: resolves once everything still in the pipe has been read into the
   * stream (or the stream holds all it may read ahead), where no other process holds the pipe's
   * write end; at once where one does (a grandchild), whose output keeps coming as it comes.
   */
  caughtUp(): Promise<void>;
}

/** How often a pipe read without Bun's reader is looked at (ms). */
const POLL_MS = 2;

/** stdout or stderr: the pipe's read end `fd`, as a ReadableStream that owns it. */
export function outputPipe(fd: number, hooks: OutputHooks = {}): OutputPipe {
  const close = closer(fd, hooks.closed);
  type Reader = { read(): Promise<{ done: boolean; value?: Chunk }>; cancel(): Promise<void> };
  let reader: Reader | undefined;
  /** Set where Bun's reader could not be made for want of a descriptor: the pipe is polled instead. */
  let polled = false;
  let draining = false;
  let stopped = false;
  let ended = false;
  let controllerOf: ReadableStreamDefaultController<Chunk> | undefined;
  const waiting: (() => void)[] = [];
  // A stream nobody has taken is read to its end; one being read, up to READ_AHEAD ahead.
  const idle = () => ended || (stream.locked && (controllerOf?.desiredSize ?? 1) <= 0);
  const wake = () => {
    if (idle()) for (const resolve of waiting.splice(0)) resolve();
  };
  /** One read of a pipe that polled readable: a chunk, or undefined at its end. */
  const readReady = (): Chunk | undefined => {
    const chunk = new Uint8Array(new ArrayBuffer(65536));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    return n === 0 ? undefined : chunk.subarray(0, n);
  };
  /** What is in the pipe now, read without waiting; undefined once nothing is. */
  const drainOne = (): Chunk | undefined => (pollReadable(fd, 0) ? readReady() : undefined);
  /**
   * The next chunk without Bun's reader (which takes a descriptor of its own): the pipe is looked
   * at every POLL_MS until it has data or ends. Undefined at its end, or once draining or stopped.
   */
  const pollOne = async (): Promise<Chunk | undefined> => {
    while (!draining && !stopped) {
      if (pollReadable(fd, 0)) return readReady();
      await Bun.sleep(POLL_MS);
    }
    return undefined;
  };
  /** Reads one chunk from the pipe into the stream, or ends (or errs) the stream. */
  const pullOne = async (controller: ReadableStreamDefaultController<Chunk>): Promise<void> => {
    let value: Chunk | undefined;
    if (!draining && !stopped) {
      try {
        if (reader === undefined && !polled) {
          try {
            reader = withStdioTaken(() => Bun.file(fd).stream().getReader() as unknown as Reader);
          } catch (error) {
            if (!outOfDescriptors(error)) throw error;
            polled = true;
          }
        }
        if (polled) value = await pollOne();
        else {
          const pending = reader!;
          const step = await withStdioTaken(() => pending.read());
          value = step.done ? undefined : step.value;
        }
      } catch (error) {
        close();
        ended = true;
        controller.error(error);
        wake();
        return;
      }
    }
    if (value === undefined && draining && !stopped) value = drainOne();
    if (value === undefined) {
      close();
      ended = true;
      controller.close();
      wake();
      return;
    }
    controller.enqueue(value);
    hooks.read?.(value.byteLength);
    wake();
  };
  const stream: ReadableStream<Chunk> = new ReadableStream<Chunk>(
    {
      start(controller) {
        controllerOf = controller;
      },
      async pull(controller) {
        // One chunk per pull while someone reads (the stream's own flow control); while nobody
        // has taken the stream, on past READ_AHEAD to the end (see READ_AHEAD).
        do await pullOne(controller);
        while (!ended && !stream.locked && controller.desiredSize! <= 0);
      },
      async cancel() {
        await reader?.cancel().catch(() => {});
        close();
        ended = true;
        wake();
      },
    },
    { highWaterMark: READ_AHEAD, size: (chunk) => chunk?.byteLength ?? 0 },
  );
  return {
    stream,
    endAtKilledExit() {
      draining = true;
      void reader?.cancel().catch(() => {}); // a read waiting on the pipe ends now
    },
    stop() {
      stopped = true;
      void reader?.cancel().catch(() => {});
    },
    caughtUp() {
      if (idle()) return Promise.resolve();
      // POLLHUP (0x10): every write end is closed, so what is left is read and then end-of-file.
      const hungUp = (pollMany([{ fd, write: false }], 0)[0]! & 0x10) !== 0;
      if (!hungUp) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
  };
}

/** A stdin "pipe": a FileSink over the pipe's write end whose end() also closes it (so the child reads end-of-file). */
export function inputSink(fd: number): Bun.FileSink {
  const sink = withStdioTaken(() => Bun.file(fd).writer());
  const close = closer(fd);
  const end = (error?: Error): number | Promise<number> => {
    let ended: number | Promise<number>;
    try {
      ended = sink.end(error);
    } catch (thrown) {
      close();
      throw thrown;
    }
    if (ended instanceof Promise) return ended.finally(close);
    close();
    return ended;
  };
  return {
    write: (chunk) => sink.write(chunk),
    flush: () => sink.flush(),
    end,
    start: (options) => sink.start(options),
    ref: () => sink.ref(),
    unref: () => sink.unref(),
  } as Bun.FileSink;
}

/** Reads a whole output stream into one buffer, keeping at most `max` bytes (the rest is drained). */
export async function collect(stream: ReadableStream<Chunk>, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  for await (const chunk of stream) {
    if (kept >= max) continue; // keep draining so the child is never blocked on a full pipe
    const part = kept + chunk.byteLength > max ? chunk.subarray(0, max - kept) : chunk;
    chunks.push(part);
    kept += part.byteLength;
  }
  const out = new Uint8Array(kept);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A stream whose reading has begun: its reader and its first read. */
export interface PrimedStream {
  reader: { read(): Promise<{ done: boolean; value?: unknown }>; cancel(reason?: unknown): Promise<void> };
  first: Promise<{ done: boolean; value?: unknown }>;
}

/**
 * Starts reading a stdin stream now, so that a source that fails at once fails the spawn, as
 * Bun's does (a "direct" stream whose pull throws, for one): throws that error.
 */
export function primeStream(stream: ReadableStream<unknown>): PrimedStream {
  const reader = stream.getReader() as unknown as PrimedStream["reader"];
  const first = reader.read();
  if (Bun.peek.status(first) === "rejected") {
    const error: unknown = Bun.peek(first);
    first.catch(() => {});
    throw error;
  }
  first.catch(() => {}); // handled by the feeding; never an unhandled rejection
  return { reader, first };
}

/** What stdin is fed from. */
export type StdinSource = Uint8Array | Blob | Response | Request | PrimedStream;

/** A chunk of a stdin stream as bytes (strings as UTF-8), or undefined for what is not data. */
function bytesOf(chunk: unknown): Uint8Array | undefined {
  if (typeof chunk === "string") return new TextEncoder().encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  return undefined;
}

/**
 * Writes `source` into the pipe's write end `fd` and closes it; resolves when done. A child
 * that stops reading (it ended, or closed its stdin) ends the feeding quietly, and a stream
 * source is cancelled then; so is it when `stopped` aborts (the child was killed or reaped).
 */
export async function feed(fd: number, source: StdinSource, stopped: AbortSignal): Promise<void> {
  const close = closer(fd);
  const sink = withStdioTaken(() => Bun.file(fd).writer());
  let reader: { read(): Promise<{ done: boolean; value?: unknown }>; cancel(): Promise<void> } | undefined;
  const onStop = () => void reader?.cancel().catch(() => {});
  stopped.addEventListener("abort", onStop, { once: true });
  try {
    if (source instanceof Uint8Array) {
      await sink.write(source);
    } else {
      let next: Promise<{ done: boolean; value?: unknown }> | undefined;
      if ("reader" in source) {
        reader = source.reader;
        next = source.first;
      } else {
        const stream = source instanceof Blob ? source.stream() : source.body;
        if (stream !== null) reader = stream.getReader() as unknown as NonNullable<typeof reader>;
      }
      if (reader !== undefined) {
        for (;;) {
          if (stopped.aborted) {
            await reader.cancel().catch(() => {});
            break;
          }
          const { value, done } = await (next ?? reader.read());
          // The next read is asked for before this chunk is written: a source whose pull()
          // enqueues and then fails still hands over what it enqueued.
          next = done ? undefined : reader.read();
          next?.catch(() => {});
          if (done) break;
          const bytes = bytesOf(value);
          if (bytes === undefined) throw new TypeError("stdin stream chunks must be strings, ArrayBuffers or ArrayBufferViews");
          await sink.write(bytes);
          await sink.flush();
        }
      }
    }
    await sink.end();
  } catch {
    // EPIPE and the like: the child stopped reading; a stream source is not read further.
    await reader?.cancel().catch(() => {});
  } finally {
    stopped.removeEventListener("abort", onStop);
    close();
  }
}
