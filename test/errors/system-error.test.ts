/**
 * A SystemError looks to a user exactly like the system errors Bun's own `fs` throws: the
 * same own properties in the same order with the same attributes, `name` from the prototype,
 * and `util.inspect` / `JSON.stringify` showing code, path, syscall and errno.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { inspect } from "node:util";
import { posix_spawn, SystemError, waitpid } from "../../src/index.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { thrown } from "../helpers/thrown.ts";

/** Each own property's name and attributes (value type only), in definition order. */
function ownShape(error: object): { name: string; enumerable: boolean; writable: boolean; type: string }[] {
  return Object.getOwnPropertyNames(error)
    .filter((name) => !["line", "column", "sourceURL", "originalLine", "originalColumn"].includes(name))
    .map((name) => {
      const d = Object.getOwnPropertyDescriptor(error, name)!;
      return { name, enumerable: d.enumerable ?? false, writable: d.writable ?? false, type: typeof d.value };
    });
}

const missing = "/nonexistent-bun-wait4/file";
const fsError = thrown(() => readFileSync(missing)) as Error & Record<string, unknown>;
// A spawn of a missing file gives a path natively; under qemu-user the spawn itself succeeds
// (vfork becomes fork, docs/DESIGN.md §7), so there the same error is made as spawn makes it.
const withPath = underEmulation()
  ? new SystemError(constants.errno.ENOENT, "posix_spawn", "no such file or directory", missing)
  : (thrown(() => posix_spawn(missing, ["x"], {})) as SystemError);
const withoutPath = thrown(() => waitpid(0x7ffffff0, 0)) as SystemError;

describe("SystemError next to a real fs error (readFileSync of a missing file)", () => {
  test("the real error has the shape we compare against", () => {
    expect(Object.keys(fsError)).toEqual(["code", "path", "syscall", "errno"]);
  });

  test("same own properties, order and attributes when a path is involved", () => {
    expect(ownShape(withPath)).toEqual(ownShape(fsError));
  });

  test("without a path: the same, minus path", () => {
    expect(ownShape(withoutPath)).toEqual(ownShape(fsError).filter(({ name }) => name !== "path"));
  });

  test("name is not an own property; it comes from the prototype, as Error's does", () => {
    expect(Object.hasOwn(fsError, "name")).toBe(false);
    expect(Object.hasOwn(withPath, "name")).toBe(false);
    expect(withPath.name).toBe("SystemError");
    expect(Object.getOwnPropertyDescriptor(SystemError.prototype, "name")?.enumerable).toBe(false);
    expect(withPath).toBeInstanceOf(Error);
    expect(withPath).toBeInstanceOf(SystemError);
  });

  test("values have the same kinds and meaning: errno negative, code its name, message code: text, syscall 'path'", () => {
    expect(withPath.code).toBe("ENOENT");
    expect(withPath.errno).toBe(fsError.errno as number);
    expect(withPath.errno).toBe(-constants.errno.ENOENT);
    expect(withPath.path).toBe(missing);
    expect(withPath.syscall).toBe("posix_spawn");
    expect(fsError.message).toBe(`ENOENT: no such file or directory, open '${missing}'`);
    expect(withPath.message).toBe(`ENOENT: no such file or directory, posix_spawn '${missing}'`);
    expect(withoutPath.message).toBe("ECHILD: no child processes, waitpid");
  });

  test("util.inspect shows the same fields the same way", () => {
    const lines = (e: unknown) => inspect(e).split("\n").filter((l) => /^\s+\w+: /.test(l)).map((l) => l.trim().replace(/: .*/, ""));
    expect(lines(withPath)).toEqual(lines(fsError));
    expect(lines(fsError)).toEqual(["code", "path", "syscall", "errno"]);
    const shown = inspect(withPath);
    expect(shown).toStartWith(`SystemError: ENOENT: no such file or directory, posix_spawn '${missing}'`);
    expect(shown).toContain("code: 'ENOENT'");
    expect(shown).toContain(`errno: ${-constants.errno.ENOENT}`);
    expect(shown).toContain("syscall: 'posix_spawn'");
  });

  test("JSON.stringify keeps the same fields", () => {
    expect(Object.keys(JSON.parse(JSON.stringify(withPath)))).toEqual(Object.keys(JSON.parse(JSON.stringify(fsError))));
  });
});
