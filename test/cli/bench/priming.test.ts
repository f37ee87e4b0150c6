/**
 * With `-N`, bun-wait4-bench runs `true` (found by PATH) a few times, untimed, before the first
 * benchmark: the first commands of a process take 3-7 ms more (cold code, the forker's start),
 * which would show as a slow first run that hyperfine does not have. A `true` of the test's own
 * in PATH logs each of its runs; the user's commands log theirs to the same file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ours } from "../../helpers/hyperfine.ts";

const dir = mkdtempSync(join(tmpdir(), "bun-wait4-priming-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const log = join(dir, "log");
writeFileSync(join(dir, "true"), `#!/bin/sh\necho primed >> '${log}'\n`);
chmodSync(join(dir, "true"), 0o755);
writeFileSync(join(dir, "work"), `#!/bin/sh\necho "$1" >> '${log}'\n`);
chmodSync(join(dir, "work"), 0o755);
const env = { ...process.env, PATH: `${dir}:${process.env.PATH}` };

function logOf(args: string[]): { status: number | null; lines: string[]; runs: number[] } {
  rmSync(log, { force: true });
  const r = ours([...args, "--style", "none", "--export-json", join(dir, "out.json")], { env });
  const lines = readFileSync(log, "utf8").trim().split("\n");
  const results = r.status === 0 ? (JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).results as { times: number[] }[]) : [];
  return { status: r.status, lines, runs: results.map((x) => x.times.length) };
}

describe("bun-wait4-bench -N: priming", () => {
  test("three untimed runs of true come before the first command, and are not counted", () => {
    const r = logOf(["-N", "-r", "2", "work one", "work two"]);
    expect(r).toEqual({ status: 0, lines: ["primed", "primed", "primed", "one", "one", "two", "two"], runs: [2, 2] });
  });

  test("through a shell nothing is primed (measuring the shell's start warms the same path)", () => {
    const r = logOf(["-r", "2", `'${join(dir, "work")}' one`]);
    expect(r).toEqual({ status: 0, lines: ["one", "one"], runs: [2] });
  });

  test("a true that fails does not stop the benchmark", () => {
    writeFileSync(join(dir, "true"), `#!/bin/sh\necho primed >> '${log}'\nexit 1\n`);
    try {
      expect(logOf(["-N", "-r", "1", "work one"])).toEqual({ status: 0, lines: ["primed", "primed", "primed", "one"], runs: [1] });
    } finally {
      writeFileSync(join(dir, "true"), `#!/bin/sh\necho primed >> '${log}'\n`);
    }
  });
});
