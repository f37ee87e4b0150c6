/**
 * The packed environment is reused while it stays the same (src/sys/env-block.ts): every
 * change between two spawns — a variable added, changed, deleted, changed and changed back,
 * a mapping mutated in place — must reach the next child. Each child's environment is read
 * from its own /proc/self/environ, byte for byte, in order.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { constants } from "node:fs";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posix_spawn, POSIX_SPAWN_OPEN } from "../../src/index.ts";
import { reap } from "../helpers/live.ts";

const dir = mkdtempSync(join(tmpdir(), "bun-wait4-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;

/** The environment a child started with `env` (omitted: process.env) sees, in order. */
function childEnviron(env?: Record<string, string | undefined>): string[] {
  const out = join(dir, `environ-${serial++}`);
  const actions = { file_actions: [[POSIX_SPAWN_OPEN, 1, out, constants.O_WRONLY | constants.O_CREAT, 0o600] as const] };
  const pid = env === undefined ? posix_spawn("/bin/cat", ["cat", "/proc/self/environ"], undefined, actions) : posix_spawn("/bin/cat", ["cat", "/proc/self/environ"], env, actions);
  expect(reap(pid)).toBe(0);
  const text = readFileSync(out, "utf8");
  return text === "" ? [] : text.replace(/\0$/, "").split("\0");
}

/** What process.env holds now, as NAME=value in its key order. */
function processEnv(): string[] {
  return Object.entries(process.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
}

const touched = ["BUN_WAIT4_ENV_A", "BUN_WAIT4_ENV_B"];
afterEach(() => {
  for (const name of touched) delete process.env[name];
});

describe("process.env changed between spawns reaches the next child", () => {
  test("unchanged: the same environment twice", () => {
    expect(childEnviron()).toEqual(processEnv());
    expect(childEnviron()).toEqual(processEnv());
  });

  test("a variable added, then changed, then deleted", () => {
    const before = childEnviron();
    process.env.BUN_WAIT4_ENV_A = "added";
    const added = childEnviron();
    expect(added).toEqual(processEnv());
    expect(added).toContain("BUN_WAIT4_ENV_A=added");
    process.env.BUN_WAIT4_ENV_A = "changed";
    const changed = childEnviron();
    expect(changed).toContain("BUN_WAIT4_ENV_A=changed");
    expect(changed).not.toContain("BUN_WAIT4_ENV_A=added");
    delete process.env.BUN_WAIT4_ENV_A;
    const deleted = childEnviron();
    expect(deleted).toEqual(before);
    expect(deleted.some((e) => e.startsWith("BUN_WAIT4_ENV_A="))).toBe(false);
  });

  test("a value changed and changed back, and a change that keeps the length", () => {
    process.env.BUN_WAIT4_ENV_A = "ab";
    expect(childEnviron()).toContain("BUN_WAIT4_ENV_A=ab");
    process.env.BUN_WAIT4_ENV_A = "ba";
    expect(childEnviron()).toContain("BUN_WAIT4_ENV_A=ba");
    process.env.BUN_WAIT4_ENV_A = "ab";
    const back = childEnviron();
    expect(back).toContain("BUN_WAIT4_ENV_A=ab");
    expect(back).toEqual(processEnv());
  });

  test("two variables swapping values", () => {
    process.env.BUN_WAIT4_ENV_A = "1";
    process.env.BUN_WAIT4_ENV_B = "2";
    expect(childEnviron()).toEqual(processEnv());
    process.env.BUN_WAIT4_ENV_A = "2";
    process.env.BUN_WAIT4_ENV_B = "1";
    const swapped = childEnviron();
    expect(swapped).toContain("BUN_WAIT4_ENV_A=2");
    expect(swapped).toContain("BUN_WAIT4_ENV_B=1");
  });
});

describe("explicit env mappings", () => {
  test("a mapping mutated in place between spawns", () => {
    const env: Record<string, string> = { ONE: "1" };
    expect(childEnviron(env)).toEqual(["ONE=1"]);
    env.ONE = "uno";
    expect(childEnviron(env)).toEqual(["ONE=uno"]);
    env.TWO = "2";
    expect(childEnviron(env)).toEqual(["ONE=uno", "TWO=2"]);
    delete env.ONE;
    expect(childEnviron(env)).toEqual(["TWO=2"]);
  });

  test("alternating mappings, and a renamed variable with the same value", () => {
    expect(childEnviron({ A: "1" })).toEqual(["A=1"]);
    expect(childEnviron({ A: "2" })).toEqual(["A=2"]);
    expect(childEnviron({ A: "1" })).toEqual(["A=1"]);
    expect(childEnviron({ B: "1" })).toEqual(["B=1"]);
    expect(childEnviron({})).toEqual([]);
    expect(childEnviron()).toEqual(processEnv());
  });

  test("a bad mapping right after a good identical-looking one is still rejected", () => {
    expect(childEnviron({ A: "1" })).toEqual(["A=1"]);
    expect(() => childEnviron({ A: "1", "B=C": "2" })).toThrow(/illegal environment variable name/);
    expect(() => childEnviron({ A: 1 as unknown as string })).toThrow(/must be of type string/);
    expect(childEnviron({ A: "1" })).toEqual(["A=1"]);
  });

  test("300 spawns alternating three environments, past JIT tier-up of the comparison", () => {
    const envs = [{ X: "a" }, { X: "b", Y: "c" }, { X: "a" }];
    for (let i = 0; i < 300; i++) {
      const env = envs[i % 3]!;
      expect(childEnviron(env)).toEqual(Object.entries(env).map(([k, v]) => `${k}=${v}`));
    }
  });
});
