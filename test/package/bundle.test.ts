/**
 * The command-line tools as the package runs them: bundled into dist/ (scripts/build.ts; the
 * `bin` entries). dist/ must be what src/ builds to now — `npm install` builds it; after an
 * edit, `npm run build` — and each bundle must answer as its sources do.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINS } from "../../scripts/build.ts";

const root = join(import.meta.dir, "..", "..");
const fresh = mkdtempSync(join(tmpdir(), "bun-wait4-bundle-"));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

const built = Bun.spawnSync([process.execPath, join(root, "scripts", "build.ts"), fresh], { stdout: "pipe", stderr: "pipe" });

const TOOLS = BINS.map((bin) => ({ bundle: bin.name, source: bin.entry }));

describe("dist/", () => {
  test("the build succeeds", () => {
    expect(built.stderr.toString()).toBe("");
    expect(built.exitCode).toBe(0);
  });

  for (const { bundle } of TOOLS) {
    test(`${bundle} is what src/ builds to now (else: npm run build)`, () => {
      const shipped = join(root, "dist", bundle);
      expect(existsSync(shipped)).toBe(true);
      // Compared whole (a failure would print ~175 KB twice); `git diff --no-index` shows where.
      expect(readFileSync(shipped, "utf8") === readFileSync(join(fresh, bundle), "utf8")).toBe(true);
    });
  }
});

/** The tool's answer to `args`: exit code, stdout and stderr, from the bundle or from its sources. */
function answer(script: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = Bun.spawnSync([process.execPath, script, ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

// Cases whose whole output is exact: status, names, debug-mode timings.
const CASES: { tool: 0 | 1; args: string[] }[] = [
  { tool: 0, args: ["-f", "%x %C", "sh", "-c", "exit 3"] },
  { tool: 0, args: ["-q", "-f", "%x", "sh", "-c", "kill -TERM $$"] },
  { tool: 0, args: ["--help"] },
  { tool: 0, args: ["./no-such-program"] },
  { tool: 0, args: ["--version"] },
  { tool: 0, args: ["--no-such-option"] },
  { tool: 1, args: ["--debug-mode", "--runs", "3", "--style", "basic", "sleep 0.1", "sleep 0.2"] },
  { tool: 1, args: ["--debug-mode", "--runs", "2", "--export-json", "-", "--style", "none", "sleep 0.3"] },
  { tool: 1, args: ["--version"] },
];

describe("each bundle answers as its sources", () => {
  for (const { tool, args } of CASES) {
    const { bundle, source } = TOOLS[tool]!;
    test(`${bundle} ${args.join(" ")}`, () => {
      const bundled = answer(join(fresh, bundle), args);
      expect(bundled.stdout + bundled.stderr).not.toBe("");
      expect(bundled).toEqual(answer(join(root, source), args));
    });
  }
});
