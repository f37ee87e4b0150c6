/**
 * Reading a pipe this process holds without blocking the event loop and without keeping it
 * alive for nothing: a pending read holds Bun's loop open, so the reader reads only while a
 * caller is waiting for something, and lets go of the pipe (cancels its stream, which leaves
 * the descriptor open) as soon as nobody is.
 */

/** Lines (without their "\n") from a pipe, read on demand. */
export class LineReader {
  readonly #fd: number;
  readonly #decoder = new TextDecoder();
  #text = "";
  /** Lines read but not yet asked for. */
  readonly #lines: string[] = [];
  readonly #waiters: ((line: string | null) => void)[] = [];
  #reader: { read(): Promise<{ value?: Uint8Array; done: boolean }>; cancel(): Promise<void> } | undefined;
  #ended = false;
  /** Callers that want every line read as it comes, waiting or not (see hold). */
  #holds = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** The next line, or null once the write end is closed everywhere and every line was read. */
  next(): Promise<string | null> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(null);
    const waiting = new Promise<string | null>((resolve) => this.#waiters.push(resolve));
    if (this.#reader === undefined) void this.#pump();
    return waiting;
  }

  /**
   * Keeps reading between `next()` calls until `release()`: a reader let go mid-message may
   * have read ahead, and what it read would be lost with its stream.
   */
  hold(): void {
    this.#holds++;
    if (this.#reader === undefined && !this.#ended) void this.#pump();
  }

  /** Ends a `hold()`; with nobody waiting either, the pipe is let go. */
  release(): void {
    this.#holds--;
    if (this.#holds === 0 && this.#waiters.length === 0) this.#letGo();
  }

  #letGo(): void {
    const reader = this.#reader;
    this.#reader = undefined;
    void reader?.cancel().catch(() => {});
  }

  /** Stops reading and answers every waiter with null (the caller closes the descriptor). */
  stop(): void {
    this.#ended = true;
    this.#settle();
    this.#letGo();
  }

  async #pump(): Promise<void> {
    const reader = Bun.file(this.#fd).stream().getReader();
    this.#reader = reader;
    try {
      while (this.#reader === reader && (this.#waiters.length > 0 || this.#holds > 0)) {
        const { value, done } = await reader.read();
        if (done) {
          this.#ended ||= this.#reader === reader; // end-of-file, not our own cancel
          break;
        }
        this.#text += this.#decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = this.#text.indexOf("\n")) !== -1) {
          this.#lines.push(this.#text.slice(0, newline));
          this.#text = this.#text.slice(newline + 1);
        }
        this.#settle();
      }
    } catch {
      this.#ended = true; // a read error ends the pipe for us as end-of-file would
    } finally {
      if (this.#reader === reader) {
        this.#reader = undefined;
        await reader.cancel().catch(() => {});
      }
      this.#settle();
    }
  }

  /** Hands queued lines to waiters; at the end, null to the rest. */
  #settle(): void {
    while (this.#waiters.length > 0) {
      const line = this.#lines.shift();
      if (line !== undefined) this.#waiters.shift()!(line);
      else if (this.#ended) this.#waiters.shift()!(null);
      else break;
    }
  }
}
