/**
 * The child's environment as C takes it (`char *envp[]`), packed once and reused while the
 * environment stays the same. Packing and checking the ~40 variables of a usual environment
 * cost more than the rest of a spawn's JavaScript together (BENCHMARKS.md), and almost every
 * spawn passes the same `process.env` as the last one.
 *
 * The cache key is the environment as read for this spawn, every name and value in order,
 * compared by value (docs/DESIGN.md §2.1).
 */
import { checkCString, InvalidArgTypeError, InvalidArgValueError } from "../errors/arguments.ts";
import { packStrings } from "../ffi/memory.ts";
import { readMapping } from "./read-once.ts";

/** The environment as read: names and values in `Object.keys` order, `undefined` values dropped. */
export interface EnvSnapshot {
  names: string[];
  /** Unchecked: `checkEnv` checks them unless the snapshot equals the last packed one. */
  values: unknown[];
}

/** Reads the environment once: `process.env` when `env` is null or undefined. */
export function readEnv(env: unknown): EnvSnapshot {
  const pairs = readMapping(env ?? process.env, "env", "a plain object mapping names to strings");
  const names: string[] = [];
  const values: unknown[] = [];
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    names.push(name);
    values.push(value);
  }
  return { names, values };
}

/** Checks an environment snapshot as CPython checks one. */
export function checkEnv(env: EnvSnapshot): asserts env is { names: string[]; values: string[] } {
  for (let i = 0; i < env.names.length; i++) {
    const name = env.names[i]!;
    const value = env.values[i];
    if (typeof value !== "string") throw new InvalidArgTypeError(`env.${name}`, "of type string", value);
    if (name === "" || name.includes("=") || name.includes("\0") || !name.isWellFormed()) {
      throw new InvalidArgValueError("env", "has an illegal environment variable name", name);
    }
    checkCString(value, `env.${name}`);
  }
}

/** An environment as envBlock reads it: a snapshot, or names and values already checked. */
export interface EnvView {
  readonly names: readonly string[];
  readonly values: readonly unknown[];
}

/** A packed environment: `envp` is its `char **`, valid while `memory` is referenced. */
export interface EnvBlock {
  readonly envp: number;
  readonly memory: ArrayBuffer;
}

let last: { names: readonly string[]; values: readonly unknown[]; block: EnvBlock } | undefined;

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The packed form of `env`: the last one if `env` equals it, else checked and packed anew. */
export function envBlock(env: EnvView): EnvBlock {
  if (last !== undefined && same(last.names, env.names) && same(last.values, env.values)) return last.block;
  checkEnv(env as EnvSnapshot); // only read
  const entries = env.names.map((name, i) => `${name}=${env.values[i]}`);
  const packed = packStrings([], [entries]);
  const block = { envp: packed.arrays[0]!, memory: packed.memory };
  last = { names: env.names, values: env.values, block };
  return block;
}
