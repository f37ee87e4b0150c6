/**
 * Reading lines from a pipe this process holds, synchronously and with a deadline: the hand-off
 * reads its shells' short reports (a few bytes, sent within a fraction of a millisecond), and
 * `spawn()` must return a pid at once, as Bun.spawn does. poll(2) waits for the pipe, so the
 * wait is bounded and never spins.
 */
import { readSync } from "node:fs";
import { pollReadable } from "../sys/process.ts";

/** Lines (without their "\n") from a pipe. */
export class LineReader {
  readonly #fd: number;
  readonly #chunk = Buffer.allocUnsafe(4096);
  #text = "";
  #ended = false;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * The next line; null once the write end is closed everywhere and every line was read;
   * undefined if none came before `deadline` (a performance.now() time; one already past
   * means: only what is there now).
   */
  next(deadline: number): string | null | undefined {
    for (;;) {
      const newline = this.#text.indexOf("\n");
      if (newline !== -1) {
        const line = this.#text.slice(0, newline);
        this.#text = this.#text.slice(newline + 1);
        return line;
      }
      if (this.#ended) return null;
      // Past the deadline it still takes what has already come (a poll that does not wait).
      if (!pollReadable(this.#fd, Math.max(0, deadline - performance.now()))) return undefined;
      const n = readSync(this.#fd, this.#chunk, 0, this.#chunk.length, null);
      if (n === 0) this.#ended = true;
      else this.#text += this.#chunk.toString("latin1", 0, n);
    }
  }
}
