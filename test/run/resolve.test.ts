// The program lookup before a spawn (src/run/resolve.ts), as execvp(3) searches: the first
// executable regular file along PATH; a match that is not one is passed over, and only if every
// match was unusable is the answer EACCES rather than ENOENT.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveProgram } from "../../src/run/resolve.ts";

const root = mkdtempSync(join(tmpdir(), "bun-wait4-resolve-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A directory under root holding `name` as given: an executable, a plain file, or a directory. */
function dirWith(label: string, name: string, kind: "exec" | "plain" | "dir" | "none"): string {
  const dir = join(root, label);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (kind === "dir") mkdirSync(path);
  else if (kind !== "none") {
    writeFileSync(path, "#!/bin/sh\nexit 0\n");
    chmodSync(path, kind === "exec" ? 0o755 : 0o644);
  }
  return dir;
}

const outcome = (file: string, path: string): string => {
  try {
    return resolveProgram(file, path);
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe("resolveProgram searches PATH as execvp does", () => {
  const table: { name: string; path: () => string; expected: (dirs: string[]) => string }[] = [
    { name: "the first executable match wins", path: () => [dirWith("a1", "p", "exec"), dirWith("a2", "p", "exec")].join(":"), expected: () => join(root, "a1", "p") },
    { name: "a non-executable match is passed over", path: () => [dirWith("b1", "p", "plain"), dirWith("b2", "p", "exec")].join(":"), expected: () => join(root, "b2", "p") },
    { name: "a directory of that name is passed over", path: () => [dirWith("c1", "p", "dir"), dirWith("c2", "p", "exec")].join(":"), expected: () => join(root, "c2", "p") },
    { name: "a missing one is passed over", path: () => [dirWith("d1", "p", "none"), dirWith("d2", "p", "exec")].join(":"), expected: () => join(root, "d2", "p") },
    { name: "a PATH entry that is a file is passed over", path: () => [join(dirWith("e1", "p", "plain"), "p"), dirWith("e2", "p", "exec")].join(":"), expected: () => join(root, "e2", "p") },
    { name: "only unusable matches: EACCES", path: () => [dirWith("f1", "p", "plain"), dirWith("f2", "p", "dir")].join(":"), expected: () => "EACCES" },
    { name: "no match at all: ENOENT", path: () => [dirWith("g1", "p", "none"), join(root, "no-such-dir")].join(":"), expected: () => "ENOENT" },
  ];
  for (const { name, path, expected } of table) {
    test(name, () => {
      expect(outcome("p", path())).toBe(expected([]));
    });
  }

  test("a name with a slash is not searched: executable, plain file, directory, missing", () => {
    const dir = dirWith("h", "p", "exec");
    expect(outcome(join(dir, "p"), "/nowhere")).toBe(join(dir, "p"));
    expect(outcome(join(dirWith("i", "p", "plain"), "p"), dir)).toBe("EACCES");
    expect(outcome(join(dirWith("j", "p", "dir"), "p"), dir)).toBe("EACCES");
    expect(outcome(join(root, "k", "p"), dir)).toBe("ENOENT");
  });
});
