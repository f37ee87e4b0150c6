/**
 * The parent's side of a child's pipes, as Bun's Subprocess shows them: stdout and stderr as
 * ReadableStreams (with Bun's `.text()`, `.json()`, `.bytes()`, `.blob()`), read as the child
 * writes up to 64 KiB ahead of the reader (so a short output ends, and its pipe closes, even if
 * nobody reads it; a reader that stalls holds a long writer back), and stdin fed from bytes, a
 * Blob, a Response or Request body, or a ReadableStream. This process's descriptor of each
 * pipe is closed exactly once, when the stream ends, errs or is cancelled.
 */
import { closeSync } from "node:fs";

/** How far a stdout/stderr stream reads ahead of its reader (bytes). */
const READ_AHEAD = 64 * 1024;

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

/** stdout or stderr: the pipe's read end `fd`, as a ReadableStream that owns it. */
export function outputStream(fd: number, hooks: OutputHooks = {}): ReadableStream<Chunk> {
  const close = closer(fd, hooks.closed);
  let reader: { read(): Promise<{ done: boolean; value?: Chunk }>; cancel(): Promise<void> } | undefined;
  return new ReadableStream<Chunk>(
    {
      async pull(controller) {
        reader ??= Bun.file(fd).stream().getReader() as unknown as NonNullable<typeof reader>;
        let step: { done: boolean; value?: Chunk };
        try {
          step = await reader.read();
        } catch (error) {
          close();
          controller.error(error);
          return;
        }
        if (step.done || step.value === undefined) {
          close();
          controller.close();
          return;
        }
        hooks.read?.(step.value.byteLength);
        controller.enqueue(step.value);
      },
      async cancel() {
        await reader?.cancel().catch(() => {});
        close();
      },
    },
    { highWaterMark: READ_AHEAD, size: (chunk) => chunk?.byteLength ?? 0 },
  );
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

/** What stdin is fed from. */
export type StdinSource = Uint8Array | Blob | Response | Request | ReadableStream<unknown>;

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
  const sink = Bun.file(fd).writer();
  let reader: { read(): Promise<{ done: boolean; value?: unknown }>; cancel(): Promise<void> } | undefined;
  const onStop = () => void reader?.cancel().catch(() => {});
  stopped.addEventListener("abort", onStop, { once: true });
  try {
    if (source instanceof Uint8Array) {
      await sink.write(source);
    } else {
      const stream = source instanceof ReadableStream ? source : source instanceof Blob ? source.stream() : source.body;
      if (stream !== null) {
        reader = stream.getReader() as unknown as NonNullable<typeof reader>;
        for (;;) {
          if (stopped.aborted) {
            await reader.cancel().catch(() => {});
            break;
          }
          const { value, done } = await reader.read();
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
