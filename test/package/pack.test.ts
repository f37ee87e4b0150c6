/**
 * The package a user installs: `npm pack` of this checkout, installed from the tarball (no
 * registry for bun-wait4 itself) into a fresh `bun init` project, imported, used on a real
 * child, and type-checked by tsc under `bun init`'s own default tsconfig.json.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const work = mkdtempSync(join(tmpdir(), "bun-wait4-pack-"));
const project = join(work, "project");
afterAll(() => rmSync(work, { recursive: true, force: true }));
// A Bun user has `bun` on the PATH, which the bin's `#!/usr/bin/env bun` line needs. npm's
// Bun is named bun.exe inside node_modules/bun/bin, so give this one its usual name.
const binDir = join(work, "bin");
mkdirSync(binDir);
symlinkSync(process.execPath, join(binDir, "bun"));

function run(argv: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const PATH = `${binDir}:${process.env.PATH ?? ""}`;
  const r = Bun.spawnSync(argv, { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, PATH, NO_COLOR: "1" } });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

let packed: PackResult;

beforeAll(() => {
  const pack = run(["npm", "pack", "--json", "--pack-destination", work], root);
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  packed = (JSON.parse(pack.stdout) as PackResult[])[0]!;
  mkdirSync(project);
  const init = run([process.execPath, "init", "-y"], project);
  if (init.code !== 0) throw new Error(`bun init failed: ${init.stderr}${init.stdout}`);
  const add = run([process.execPath, "add", join(work, packed.filename)], project);
  if (add.code !== 0) throw new Error(`bun add of the tarball failed: ${add.stderr}${add.stdout}`);
}, 120_000);

describe("npm pack", () => {
  test("ships the sources, types, the bundled CLIs, README, LICENSE and design notes, and none of the tests or scripts", () => {
    const paths = packed.files.map((f) => f.path).sort();
    for (const needed of ["LICENSE", "README.md", "package.json", "docs/DESIGN.md", "src/index.ts", "dist/bun-wait4.js", "dist/bun-wait4-bench.js", "dist/bun-wait4.cjs", "dist/bun-wait4.cjs.jsc", "dist/bun-wait4-bench.cjs", "dist/bun-wait4-bench.cjs.jsc", "dist/lib/index.js", "dist/lib/promises.js", "dist/lib/run.js"]) {
      expect(paths).toContain(needed);
    }
    const unwanted = paths.filter((p) => /^(test|scripts|\.ci|build|node_modules)\//.test(p) || /^(bunfig\.toml|tsconfig\.json|package-lock\.json)$/.test(p));
    expect(unwanted).toEqual([]);
    // every exported path and the bin exist in the tarball
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, string | Record<string, string>>;
      bin: Record<string, string>;
    };
    const targets = [
      ...Object.values(manifest.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e))),
      ...Object.values(manifest.bin),
    ].map((p) => p.replace(/^\.\//, ""));
    for (const target of targets) expect(paths).toContain(target);
  });

  test("the license file names the license package.json declares", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { license: string };
    expect(manifest.license).toBe("MIT");
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toStartWith("MIT License\n");
  });
});

describe("installed from the tarball into a bun init project", () => {
  const program = `import { posix_spawnp, wait4, decodeStatus, WNOHANG, RU_MAXRSS_BYTES, run, spawn, spawnSync, type Rusage, type ProcessState } from "bun-wait4";
import { waitpid as waitpidAsync } from "bun-wait4/promises";

const pid: number = posix_spawnp("sh", ["sh", "-c", "exit 3"], process.env);
const [reaped, status, usage]: [number, number, Rusage] = wait4(pid, 0);
const state: ProcessState = decodeStatus(status);
const flags: number = WNOHANG;
const other = posix_spawnp("sh", ["sh", "-c", "exit 5"], process.env);
const [, asyncStatus]: [number, number] = await waitpidAsync(other);
const parts = [(await run(["sh", "-c", "exit 6"])).exitCode, await spawn(["sh", "-c", "exit 7"]).exited, spawnSync(["sh", "-c", "exit 8"]).exitCode];
console.log(JSON.stringify({ same: reaped === pid, state, flags, peakBytes: usage.ru_maxrss * RU_MAXRSS_BYTES > 0, async: decodeStatus(asyncStatus), parts }));
`;

  test("imports bun-wait4 and bun-wait4/promises, spawns children and waits for them; run, spawn and spawnSync load their parts", () => {
    writeFileSync(join(project, "index.ts"), program);
    const r = run([process.execPath, "index.ts"], project);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ same: true, state: { kind: "exited", code: 3 }, flags: 1, peakBytes: true, async: { kind: "exited", code: 5 }, parts: [6, 7, 8] });
  });

  test("type-checks with tsc --noEmit under bun init's default tsconfig.json", () => {
    writeFileSync(join(project, "index.ts"), program);
    const tsc = run([join(root, "node_modules", ".bin", "tsc"), "--noEmit", "-p", project], project);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  test("the same tsc run fails on a program that misuses the API (so the check above can fail)", () => {
    writeFileSync(join(project, "wrong.ts"), 'import { wait4 } from "bun-wait4";\nconst x: string = wait4(1, 0)[0];\n');
    try {
      const tsc = run([join(root, "node_modules", ".bin", "tsc"), "--noEmit", "-p", project], project);
      expect(tsc.code).not.toBe(0);
      expect(tsc.stdout + tsc.stderr).toContain("wrong.ts");
    } finally {
      rmSync(join(project, "wrong.ts"));
    }
  });

  test("the bin runs from node_modules/.bin", () => {
    const r = run([join(project, "node_modules", ".bin", "bun-wait4"), "--json", "sh", "-c", "exit 4"], project);
    expect(r.code).toBe(4);
    expect((JSON.parse(r.stderr) as { state: unknown }).state).toEqual({ kind: "exited", code: 4 });
  });

  test("bun-wait4-bench runs from node_modules/.bin", () => {
    const r = run([join(project, "node_modules", ".bin", "bun-wait4-bench"), "--debug-mode", "--runs", "2", "--export-json", "-", "--style", "none", "sleep 0.25"], project);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { results: { mean: number }[] }).results[0]!.mean).toBe(0.25);
  });
});
