/**
 * `run()`'s options, read once (src/sys/read-once.ts) and checked before anything starts.
 */
import { constants } from "node:os";
import { TIMER_MAX_MS } from "../async/wake.ts";
import { checkCString, checkInt32, checkInteger, INT32_MAX, InvalidArgTypeError, InvalidArgValueError, OutOfRangeError } from "../errors/arguments.ts";
import { isPlainObject, readEntries, readMapping } from "../sys/read-once.ts";
import { MAX_SIGNAL, signalName } from "../sys/signals.ts";
import { checkEnv, readEnv } from "../sys/env-block.ts";
import { readArgv } from "../sys/spawn-request.ts";
import { DEFAULT_PEAK_MODE, isPeakMode, peakModeList, type PeakMode } from "./peak-modes.ts";

/** Where one of the child's stdin, stdout or stderr goes. */
export type Stdio =
  /** This process's own descriptor (the default). */
  | "inherit"
  /** /dev/null. */
  | "ignore"
  /** A pipe: stdout and stderr are captured into the result; stdin gets end-of-file at once. */
  | "pipe"
  /** This process's descriptor `n` (as it is when `run()` is called). */
  | number
  /** A file: read for stdin; created or truncated (or appended to) for stdout and stderr. */
  | { file: string; append?: boolean };

/** Options of `run()`. */
export interface RunOptions {
  /** The child's working directory (default: this process's). */
  cwd?: string;
  /** The child's whole environment (default: `process.env`). */
  env?: Record<string, string | undefined>;
  stdin?: Stdio;
  stdout?: Stdio;
  stderr?: Stdio;
  /** Captured output as text (`"utf8"`, the default) or bytes (`"buffer"`: a Uint8Array). */
  encoding?: "utf8" | "buffer";
  /**
   * What the command reads on its stdin (text as UTF-8, bytes, a Blob, or a ReadableStream),
   * then end-of-file. Takes the place of `stdin` (giving both is an error).
   */
  input?: string | ArrayBufferView | ArrayBuffer | Blob | ReadableStream<unknown>;
  /** Bytes of stdout and of stderr kept at most (default 64 MiB); more kills the child and rejects. */
  maxBuffer?: number;
  /** Milliseconds the child may run; then it gets `killSignal` and `timedOut` is true. */
  timeout?: number;
  /** The signal for `timeout`, an abort and `maxBuffer` (default `"SIGTERM"`): a name or a number. */
  killSignal?: string | number;
  /** Milliseconds after `killSignal` before SIGKILL, if the child is still running. */
  forceKillAfter?: number;
  /** Cancels the run: the child gets `killSignal` and `canceled` is true. */
  signal?: AbortSignal;
  /** The child leads a new process group, and every signal above goes to the whole group. */
  killTree?: boolean;
  /** How the child is started (see `PeakMode`; default `"auto"`). */
  peak?: PeakMode;
}

/** The options after checking, with every default filled in. */
export interface CheckedRunOptions {
  argv: string[];
  cwd: string | undefined;
  /** The child's environment, read once (from `process.env` when not given) and checked. */
  env: { names: string[]; values: string[] };
  stdio: [Stdio, Stdio, Stdio];
  /** `input`, read once: bytes, a Blob, or a stream. */
  input: Uint8Array | Blob | ReadableStream<unknown> | undefined;
  encoding: "utf8" | "buffer";
  maxBuffer: number;
  timeout: number | undefined;
  killSignal: number;
  forceKillAfter: number | undefined;
  signal: AbortSignal | undefined;
  killTree: boolean;
  peak: PeakMode;
}

const NAMES = new Set(["cwd", "env", "stdin", "stdout", "stderr", "input", "encoding", "maxBuffer", "timeout", "killSignal", "forceKillAfter", "signal", "killTree", "peak"]);
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

/** A signal given by name ("SIGTERM", "TERM", "SIGRTMIN+3") or number, as a number. */
function signalNumber(value: unknown, name: string): number {
  if (typeof value === "number") {
    checkInt32(value, name);
    if (value < 1 || signalName(value) === undefined) throw new OutOfRangeError(name, "a signal number of this platform", value);
    return value;
  }
  if (typeof value !== "string") throw new InvalidArgTypeError(name, "a signal name or number", value);
  const full = value.startsWith("SIG") ? value : `SIG${value}`;
  const standard = (constants.signals as Record<string, number>)[full];
  if (standard !== undefined) return standard;
  for (let n = 1; n <= MAX_SIGNAL; n++) if (signalName(n) === full) return n;
  throw new InvalidArgValueError(name, "is not a signal of this platform", value);
}

function readDelay(value: unknown, name: string): number {
  if (typeof value !== "number") throw new InvalidArgTypeError(name, "of type number (milliseconds)", value);
  if (!Number.isFinite(value) || value < 0 || value > TIMER_MAX_MS) throw new OutOfRangeError(name, `a number of milliseconds >= 0 && <= ${TIMER_MAX_MS}`, value);
  return value;
}

function readStdio(value: unknown, name: string): Stdio {
  if (value === undefined) return "inherit";
  if (value === "inherit" || value === "ignore" || value === "pipe") return value;
  if (typeof value === "number") {
    checkInteger(value, name, 0, INT32_MAX);
    return value;
  }
  if (isPlainObject(value)) {
    let file: unknown;
    let append: unknown;
    for (const [key, v] of readEntries(value)) {
      if (key === "file") file = v;
      else if (key === "append") append = v;
      else throw new InvalidArgValueError(name, `has an unknown key "${key}"`, key);
    }
    checkCString(file, `${name}.file`);
    if (append !== undefined && typeof append !== "boolean") throw new InvalidArgTypeError(`${name}.append`, "of type boolean", append);
    return { file, append: append === true };
  }
  throw new InvalidArgValueError(name, 'must be "inherit", "ignore", "pipe", a file descriptor or { file: path }', value);
}

/** `input` as run() feeds it: text as UTF-8 bytes, bytes copied, a Blob or a stream as given. */
function readInput(value: unknown): Uint8Array | Blob | ReadableStream<unknown> {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (value instanceof Blob || value instanceof ReadableStream) return value;
  throw new InvalidArgTypeError("input", "a string, an ArrayBufferView, an ArrayBuffer, a Blob or a ReadableStream", value);
}

/** Reads `argv` and `options` once and checks them; throws the argument error otherwise. */
export function checkRunArgs(argv: unknown, options: unknown): CheckedRunOptions {
  const o: CheckedRunOptions = {
    argv: readArgv(argv),
    cwd: undefined,
    env: { names: [], values: [] },
    stdio: ["inherit", "inherit", "inherit"],
    input: undefined,
    encoding: "utf8",
    maxBuffer: DEFAULT_MAX_BUFFER,
    timeout: undefined,
    killSignal: constants.signals.SIGTERM,
    forceKillAfter: undefined,
    signal: undefined,
    killTree: false,
    peak: DEFAULT_PEAK_MODE,
  };
  const env = options === undefined || options === null ? undefined : readOptions(options, o);
  if (o.input !== undefined && o.stdio[0] !== "inherit") throw new InvalidArgValueError("options", "has both input and stdin (input is the command's stdin)", "input");
  const snapshot = readEnv(env);
  checkEnv(snapshot);
  o.env = snapshot;
  return o;
}

/** Fills `o` from `options`; returns `options.env`, which is read (once) and checked after the others. */
function readOptions(options: unknown, o: CheckedRunOptions): unknown {
  let env: unknown;
  for (const [key, value] of readMapping(options, "options", "a plain object")) {
    if (!NAMES.has(key)) throw new InvalidArgValueError("options", `has an unknown option "${key}"`, key);
    if (value === undefined) continue;
    switch (key) {
      case "cwd":
        checkCString(value, "cwd");
        o.cwd = value;
        break;
      case "env":
        env = value;
        break;
      case "stdin":
        o.stdio[0] = readStdio(value, "stdin");
        break;
      case "stdout":
        o.stdio[1] = readStdio(value, "stdout");
        break;
      case "stderr":
        o.stdio[2] = readStdio(value, "stderr");
        break;
      case "input":
        o.input = readInput(value);
        break;
      case "encoding":
        if (value !== "utf8" && value !== "buffer") throw new InvalidArgValueError("encoding", 'must be "utf8" or "buffer"', value);
        o.encoding = value;
        break;
      case "maxBuffer":
        checkInteger(value, "maxBuffer", 0, Number.MAX_SAFE_INTEGER);
        o.maxBuffer = value;
        break;
      case "timeout":
        o.timeout = readDelay(value, "timeout");
        break;
      case "killSignal":
        o.killSignal = signalNumber(value, "killSignal");
        break;
      case "forceKillAfter":
        o.forceKillAfter = readDelay(value, "forceKillAfter");
        break;
      case "signal":
        if (!(value instanceof AbortSignal)) throw new InvalidArgTypeError("signal", "an instance of AbortSignal", value);
        o.signal = value;
        break;
      case "killTree":
        if (typeof value !== "boolean") throw new InvalidArgTypeError("killTree", "of type boolean", value);
        o.killTree = value;
        break;
      case "peak":
        if (!isPeakMode(value)) throw new InvalidArgValueError("peak", `must be ${peakModeList('"')}`, value);
        o.peak = value;
        break;
    }
  }
  return env;
}
