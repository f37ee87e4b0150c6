/**
 * The arguments of `spawn()` and `spawnSync()`, as Bun.spawn takes them, read once
 * (docs/DESIGN.md §2.1) and checked before anything starts. Every argument Bun.spawn refuses is
 * refused with the error class and code Bun gives (test/spawn/parity/bad-input.test.ts holds
 * the two side by side); every option bun-wait4 does not support is refused, never ignored.
 * Primitive numbers and booleans in argv and env become strings, as Bun makes them (no user
 * code runs for that); objects there are refused.
 */
import { constants } from "node:os";
import {
  INT32_MAX,
  InvalidArgTypeError,
  InvalidArgValueError,
  OutOfRangeError,
  SpawnArgTypeError,
  UnknownSignalError,
} from "../errors/arguments.ts";
import { abortedError } from "../errors/run-errors.ts";
import { checkEnv, readEnv } from "../sys/env-block.ts";
import { readEntries, readList } from "../sys/read-once.ts";
import { DEFAULT_PEAK_MODE, isPeakMode, peakModeList, type PeakMode } from "./peak-modes.ts";
import type { PrimedStream } from "./stdio-streams.ts";

/** Where the child's stdin comes from. */
export type InputSpec =
  | { kind: "ignore" }
  | { kind: "inherit" }
  | { kind: "pipe" }
  | { kind: "fd"; fd: number }
  | { kind: "file"; path: string }
  /** Bytes known now (an ArrayBufferView or ArrayBuffer, copied). */
  | { kind: "bytes"; bytes: Uint8Array }
  /** A Blob, Response or Request whose body is fed to a pipe. */
  | { kind: "body"; body: Blob | Response | Request }
  | { kind: "stream"; stream: ReadableStream<unknown> }
  /** A stream whose reading spawn() has begun (stdio-streams.ts primeStream). */
  | { kind: "primed"; primed: PrimedStream };

/** Where the child's stdout or stderr (or an extra slot, from index 3) goes. */
export type OutputSpec =
  | { kind: "ignore" }
  | { kind: "inherit" }
  | { kind: "pipe" }
  | { kind: "fd"; fd: number }
  | { kind: "file"; path: string }
  /** Extra slots only: a socket pair whose parent end the caller owns. */
  | { kind: "socket" };

/** What spawn() and spawnSync() were asked to do, read and checked. */
export interface SpawnRequest {
  argv: string[];
  /** argv[0] as the program sees it, when not argv[0] itself. */
  argv0: string | undefined;
  env: { names: string[]; values: string[] };
  cwd: string | undefined;
  stdin: InputSpec;
  stdout: OutputSpec;
  stderr: OutputSpec;
  /** stdio[3], stdio[4], …: descriptors 3, 4, … of the child. */
  extra: OutputSpec[];
  detached: boolean;
  /** Milliseconds, or undefined for none. */
  timeout: number | undefined;
  killSignal: number;
  signal: AbortSignal | undefined;
  /** Bytes of stdout and of stderr, or undefined for no limit. */
  maxBuffer: number | undefined;
  onExit: ((...args: never[]) => unknown) | undefined;
  peak: PeakMode;
}

/** Options bun-wait4 refuses, with why (the README lists them). */
export const REFUSED_OPTIONS: Readonly<Record<string, string>> = {
  ipc: "IPC between Bun processes needs Bun's own spawn (use Bun.spawn)",
  serialization: "it only applies to ipc, which bun-wait4 does not support",
  onDisconnect: "it only applies to ipc, which bun-wait4 does not support",
  terminal: "a pseudo-terminal needs Bun's own spawn (use Bun.spawn)",
  lazy: "stdout and stderr are always read as the child writes them",
  cgroup: "joining a cgroup before exec needs clone3, which bun-wait4 does not call",
  uid: "changing the user needs Bun's own spawn (use Bun.spawn)",
  gid: "changing the group needs Bun's own spawn (use Bun.spawn)",
};

const KNOWN = new Set([
  "cmd",
  "cwd",
  "env",
  "stdio",
  "stdin",
  "stdout",
  "stderr",
  "onExit",
  "timeout",
  "killSignal",
  "signal",
  "maxBuffer",
  "argv0",
  "detached",
  "windowsHide",
  "windowsVerbatimArguments",
  "peak",
]);

/**
 * Whether a stream was read from before (node:stream has it; its types do not). node:stream is
 * loaded here, for a stream stdin only: loading it costs ~8 ms, a third of spawn()'s first call.
 */
function isDisturbed(stream: ReadableStream<unknown>): boolean {
  return (require("node:stream") as { isDisturbed(stream: ReadableStream<unknown>): boolean }).isDisturbed(stream);
}

/** A ReadableStream of an async iterable's items. */
function streamOfIterable(iterable: AsyncIterable<unknown>): ReadableStream<unknown> {
  const iterator = iterable[Symbol.asyncIterator]();
  return new ReadableStream<unknown>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/** Bun's limit on argv's length as an array (its own check happens before anything is read). */
const MAX_ARGV = 0xffffffff - 1;

/** The signal names Bun takes: os.constants.signals without the aliases (SIGIOT, SIGPOLL). */
const SIGNAL_NAMES: ReadonlyMap<string, number> = (() => {
  const byName = new Map<string, number>();
  const seen = new Set<number>();
  for (const [name, number] of Object.entries(constants.signals)) {
    if (seen.has(number)) continue;
    seen.add(number);
    byName.set(name, number);
  }
  return byName;
})();

/** The highest signal number Bun takes (31: the standard signals). */
const MAX_BUN_SIGNAL = 31;

/**
 * A signal as Bun's spawn and kill() take it: a name from os.constants.signals ("SIGTERM", not
 * "TERM" or an alias) or an integer 1 … 31; 0 only where `zero` (kill(0) sends nothing).
 */
export function readBunSignal(value: unknown, zero: boolean): number {
  if (zero && (value === null || value === "" || Number.isNaN(value))) return constants.signals.SIGTERM; // kill()'s default, as Bun
  if (typeof value === "number") {
    if (value === 0 && zero) return 0;
    if (value === 0) throw new UnknownSignalError("0");
    if (!Number.isInteger(value)) throw new SpawnArgTypeError(`Unknown signal: ${value}`);
    if (value < 0) throw new SpawnArgTypeError("Invalid signal: must be >= 0");
    if (value > MAX_BUN_SIGNAL) throw new SpawnArgTypeError(`Invalid signal: must be < ${MAX_BUN_SIGNAL + 1}`);
    return value;
  }
  if (typeof value === "string") {
    const number = SIGNAL_NAMES.get(value);
    if (number === undefined) {
      const names = [...SIGNAL_NAMES.keys()].map((n) => `'${n}'`);
      throw new SpawnArgTypeError(`signal must be one of ${names.slice(0, -1).join(", ")}, or ${names.at(-1)}. Received ${JSON.stringify(value)}`);
    }
    return number;
  }
  throw new SpawnArgTypeError("Invalid signal: must be a string or an integer");
}

/** A string Bun would make of a primitive; objects and symbols are refused. */
function stringOf(value: unknown, name: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  throw new InvalidArgTypeError(name, "of type string", value);
}

/** A C string: no NUL byte (ERR_INVALID_ARG_VALUE, as Bun) and no lone surrogate. */
function cString(value: string, name: string, property: boolean): string {
  if (value.includes("\0")) {
    throw new InvalidArgValueError(property ? `options.${name}` : name, "must be a string without null bytes", value);
  }
  if (!value.isWellFormed()) throw new InvalidArgValueError(name, "must not contain lone surrogates (they have no UTF-8 form)", value);
  return value;
}

function readCmd(value: unknown): string[] {
  if (!Array.isArray(value)) throw new SpawnArgTypeError("cmd must be an array");
  const items = readList(value, "cmd", MAX_ARGV, "an array", () => new SpawnArgTypeError("cmd array is too large"));
  if (items.length === 0) throw new SpawnArgTypeError("cmd must not be empty");
  return items.map((item, i) => cString(stringOf(item, `args[${i}]`), `args[${i}]`, false));
}

/** Bun.file(): a Blob that names a file by path or by descriptor. */
function fileOf(value: Blob): { kind: "fd"; fd: number } | { kind: "file"; path: string } | undefined {
  const name: unknown = (value as { name?: unknown }).name;
  if (typeof name === "string" && typeof (value as { writer?: unknown }).writer === "function") return { kind: "file", path: name };
  const fd = fdOfBunFile(value);
  return fd === undefined ? undefined : { kind: "fd", fd };
}

/** Bun.file(fd) has no name; its descriptor shows in its inspection. */
function fdOfBunFile(value: Blob): number | undefined {
  if (typeof (value as { writer?: unknown }).writer !== "function") return undefined;
  const shown = Bun.inspect(value);
  const match = /FileRef \(fd: (\d+)\)/.exec(shown);
  return match === null ? undefined : Number(match[1]);
}

const STDIO_STRINGS = "stdio must be an array of 'inherit', 'pipe', 'ignore', Bun.file(pathOrFd), number, or null";

/** A descriptor number as Bun takes one in stdio. */
function readFd(value: number): number {
  if (!Number.isInteger(value)) throw new SpawnArgTypeError("file descriptor must be a valid integer");
  if (value < 0) throw new SpawnArgTypeError("file descriptor must be a positive integer");
  if (value > INT32_MAX) throw new SpawnArgTypeError(`file descriptor must be a valid integer, received: ${value}`);
  return value;
}

function readInput(value: unknown): InputSpec {
  if (value === undefined || value === null || value === "ignore") return { kind: "ignore" };
  if (value === "inherit" || value === "pipe") return { kind: value };
  if (value === "socket-fd") throw new SpawnArgTypeError("stdio: 'socket-fd' is only supported at indices >= 3");
  if (typeof value === "string") throw new SpawnArgTypeError(STDIO_STRINGS);
  if (typeof value === "number") {
    if (Number.isNaN(value) || (Number.isInteger(value) && (value === 1 || value === 2))) throw new SpawnArgTypeError("stdout and stderr cannot be used for stdin");
    return { kind: "fd", fd: readFd(value) };
  }
  if (value instanceof ReadableStream) {
    if (value.locked || isDisturbed(value)) throw new SpawnArgTypeError("'stdin' ReadableStream has already been used");
    return { kind: "stream", stream: value };
  }
  if (value instanceof Blob) return fileOf(value) ?? { kind: "body", body: value };
  if (value instanceof Response || value instanceof Request) return { kind: "body", body: value };
  if (ArrayBuffer.isView(value)) return { kind: "bytes", bytes: new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)) };
  if (value instanceof ArrayBuffer) return { kind: "bytes", bytes: new Uint8Array(value.slice(0)) };
  // An async iterable (an async generator): Bun takes it as a stream of chunks.
  if (typeof value === "object" && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function") {
    return { kind: "stream", stream: streamOfIterable(value as AsyncIterable<unknown>) };
  }
  throw new SpawnArgTypeError("stdio must be an array of 'inherit', 'ignore', or null");
}

function readOutput(value: unknown, slot: number): OutputSpec {
  if (value === null || value === "ignore") return { kind: "ignore" };
  if (value === undefined) return { kind: slot === 2 ? "inherit" : slot === 1 ? "pipe" : "ignore" };
  if (value === "inherit" || value === "pipe") return { kind: value };
  if (value === "socket-fd") {
    if (slot < 3) throw new SpawnArgTypeError("stdio: 'socket-fd' is only supported at indices >= 3");
    return { kind: "socket" };
  }
  if (typeof value === "string") throw new SpawnArgTypeError(STDIO_STRINGS);
  if (typeof value === "number") {
    if (Number.isNaN(value) || value === 0) throw new SpawnArgTypeError("stdin cannot be used for stdout or stderr");
    return { kind: "fd", fd: readFd(value) };
  }
  if (slot >= 3 && (value instanceof ReadableStream || value instanceof Response || value instanceof Request)) {
    throw new SpawnArgTypeError(`${value instanceof ReadableStream || (value as Response).body instanceof ReadableStream ? "ReadableStream" : "Blob"} cannot be used for stdio[${slot}] yet`);
  }
  if (value instanceof Blob) {
    const file = fileOf(value);
    if (file !== undefined) return file;
    if (slot >= 3 && value.size === 0) return { kind: "ignore" }; // Bun ignores an empty Blob there
    throw new SpawnArgTypeError(slot >= 3 ? `Blob cannot be used for stdio[${slot}] yet` : "Blobs are immutable, and cannot be used for stdout/stderr");
  }
  if (value instanceof Response || value instanceof Request) throw new SpawnArgTypeError("Blobs are immutable, and cannot be used for stdout/stderr");
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) throw new SpawnArgTypeError("ArrayBufferView cannot be used for stdout/stderr yet");
  throw new SpawnArgTypeError("stdio must be an array of 'inherit', 'ignore', or null");
}

function readTimeout(value: unknown): number | undefined {
  if (typeof value !== "number") throw new SpawnArgTypeError(`The "timeout" property must be of type number. Received ${typeof value}`);
  if (value === Infinity || value === 0) return undefined; // Bun: 0 sets no timeout
  if (Number.isNaN(value)) throw new OutOfRangeError("timeout", "a non-negative integer", value);
  if (value < 0 || value > Number.MAX_SAFE_INTEGER) throw new OutOfRangeError("timeout", `>= 0 and <= ${Number.MAX_SAFE_INTEGER}`, value);
  if (!Number.isInteger(value)) throw new SpawnArgTypeError(`The "timeout" property must be of type integer. Received number`);
  return value;
}

function readMaxBuffer(value: unknown): number | undefined {
  if (typeof value !== "number") throw new InvalidArgTypeError("maxBuffer", "of type number", value);
  if (value === Infinity) return undefined;
  if (Number.isNaN(value) || value < 0) throw new OutOfRangeError("maxBuffer", ">= 0", value);
  const limit = Math.floor(value);
  return limit === 0 ? undefined : limit; // Bun's: below one byte is no limit
}

function readFlag(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new InvalidArgTypeError(name, "of type boolean", value);
  return value;
}

/**
 * Reads spawn's arguments: `(cmd, options?)` or `({ cmd, ...options })`. `sync`: spawnSync's
 * (stdout and stderr piped by default, no onExit, no ReadableStream stdin).
 */
export function readSpawnArgs(first: unknown, second: unknown, sync: boolean): SpawnRequest {
  let cmd: unknown;
  let options: unknown;
  if (Array.isArray(first)) {
    cmd = first;
    options = second;
  } else {
    if (first === null || typeof first !== "object") throw new SpawnArgTypeError("cmd must be an array");
    options = first;
  }
  const entries = options === undefined || options === null ? [] : readOptionEntries(options);
  const values = new Map(entries);
  if (!Array.isArray(first)) {
    cmd = values.get("cmd");
    if (cmd === undefined) throw new SpawnArgTypeError("cmd must be an array");
    if (!Array.isArray(cmd)) throw new SpawnArgTypeError("cmd must not be empty");
  } else if (values.has("cmd")) {
    throw new InvalidArgValueError("options.cmd", "must not be given with cmd as the first argument", "(an array)");
  }
  const request: SpawnRequest = {
    argv: readCmd(cmd),
    argv0: undefined,
    env: { names: [], values: [] },
    cwd: undefined,
    stdin: { kind: "ignore" },
    stdout: { kind: "pipe" },
    stderr: { kind: sync ? "pipe" : "inherit" },
    extra: [],
    detached: false,
    timeout: undefined,
    killSignal: constants.signals.SIGTERM,
    signal: undefined,
    maxBuffer: undefined,
    onExit: undefined,
    peak: DEFAULT_PEAK_MODE,
  };
  let env: unknown;
  const get = (key: string) => values.get(key);
  for (const [key] of entries) {
    const value = get(key);
    if (value === undefined || value === null) continue; // Bun takes null for an option as not given
    switch (key) {
      case "cwd":
        request.cwd = cString(stringOf(value, "cwd"), "cwd", true);
        break;
      case "env":
        if (typeof value !== "object") throw new SpawnArgTypeError("env must be an object");
        env = value;
        break;
      case "onExit":
        if (typeof value !== "function") throw new SpawnArgTypeError("onExit must be a function or undefined");
        if (sync) throw new InvalidArgValueError("options.onExit", "is not taken by spawnSync (it returns once the child has exited)", value);
        request.onExit = value as SpawnRequest["onExit"];
        break;
      case "timeout":
        request.timeout = readTimeout(value);
        break;
      case "killSignal":
        request.killSignal = readBunSignal(value, false);
        break;
      case "signal":
        if (!(value instanceof AbortSignal)) throw new InvalidArgTypeError("signal", "of type AbortSignal", value);
        request.signal = value;
        break;
      case "maxBuffer":
        request.maxBuffer = readMaxBuffer(value);
        break;
      case "argv0": {
        const argv0 = cString(stringOf(value, "argv0"), "argv0", true);
        request.argv0 = argv0 === "" ? undefined : argv0; // as Bun's: an empty one is none
        break;
      }
      case "detached":
        request.detached = readFlag(value, "detached");
        break;
      case "windowsHide":
      case "windowsVerbatimArguments":
        readFlag(value, key); // accepted and ignored on POSIX, as Bun does
        break;
      case "peak":
        if (!isPeakMode(value)) throw new InvalidArgValueError("peak", `must be ${peakModeList('"')}`, value);
        request.peak = value;
        break;
    }
  }
  // stdio overrides stdin, stdout and stderr (Bun's rule).
  const stdio = get("stdio");
  if (stdio !== undefined && stdio !== null) {
    if (!Array.isArray(stdio)) throw new SpawnArgTypeError("stdio must be an array");
    const slots = readList(stdio, "stdio", 0xffff);
    if (slots.length > 0) request.stdin = readInput(slots[0]);
    if (slots.length > 1) request.stdout = readOutput(slots[1], 1);
    if (slots.length > 2) request.stderr = readOutput(slots[2], 2);
    for (let i = 3; i < slots.length; i++) request.extra.push(readOutput(slots[i], i));
  } else {
    if (values.has("stdin")) request.stdin = readInput(get("stdin"));
    if (values.has("stdout")) request.stdout = readOutput(get("stdout"), 1);
    if (values.has("stderr")) request.stderr = readOutput(get("stderr"), 2);
  }
  if (sync && request.stdin.kind === "stream") throw new SpawnArgTypeError("'stdin' ReadableStream cannot be used in sync mode");
  if (sync && request.extra.some((slot) => slot.kind === "socket")) throw new SpawnArgTypeError("stdio: 'socket-fd' cannot be used in sync mode");
  request.env = readSpawnEnv(env);
  if (request.signal?.aborted) {
    throw abortedError(request.signal.reason);
  }
  // No timer of this process runs during spawnSync, so an abort could never be seen (Bun's
  // spawnSync runs an event loop of its own for that): refused rather than ignored.
  if (sync && request.signal !== undefined) {
    throw new InvalidArgValueError("options.signal", "cannot be watched by spawnSync, which runs no timer while it waits (use timeout, or spawn())", "an AbortSignal");
  }
  return request;
}

/** The options' own enumerable keys, read once; an unsupported or unknown one is refused. */
function readOptionEntries(options: unknown): [string, unknown][] {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidArgTypeError("options", "an object", options);
  }
  const entries = readEntries(options as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (KNOWN.has(key)) continue;
    if (value === undefined || value === null) continue; // { ipc: undefined } asks for nothing
    const why = REFUSED_OPTIONS[key];
    throw new InvalidArgValueError(`options.${key}`, why === undefined ? "is not an option of spawn" : `is not supported by bun-wait4: ${why}`, key);
  }
  return entries;
}

/** The environment, read once: process.env when not given; undefined values left out, primitives made strings. */
function readSpawnEnv(env: unknown): { names: string[]; values: string[] } {
  const snapshot = readEnv(env ?? process.env);
  for (let i = 0; i < snapshot.names.length; i++) {
    const name = snapshot.names[i]!;
    const value = snapshot.values[i];
    if (name.includes("\0")) throw new InvalidArgValueError(`options.env['${name}']`, "must be a string without null bytes", name);
    const text = stringOf(value, `options.env['${name}']`);
    if (text.includes("\0")) throw new InvalidArgValueError(`options.env['${name}']`, "must be a string without null bytes", text);
    snapshot.values[i] = text;
  }
  checkEnv(snapshot);
  return snapshot as { names: string[]; values: string[] };
}
