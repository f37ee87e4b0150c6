/** The error of a run() whose captured output passed `maxBuffer`. */
import type { RunResult } from "./result.ts";

/** The error for output beyond `maxBuffer` (Node's code); `result` holds what was captured. */
export class MaxBufferError extends RangeError {
  readonly code = "ERR_CHILD_PROCESS_STDIO_MAXBUFFER";
  constructor(
    stream: "stdout" | "stderr",
    readonly result: RunResult,
  ) {
    super(`${stream} maxBuffer length exceeded`);
    this.name = "RangeError";
  }
}
