/**
 * The package as it runs: the command-line tools and the library, built into dist/
 * (scripts/build.ts; the `bin` and `exports` entries). dist/ must be what src/ builds to now —
 * `npm install` builds it; after an edit, `npm run build` — and each build must answer as its
 * sources do.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINS, launcher, LIBRARY } from "../../scripts/build.ts";
import { FIXTURES } from "../helpers/live.ts";

const root = join(import.meta.dir, "..", "..");
const fresh = mkdtempSync(join(tmpdir(), "bun-wait4-bundle-"));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

const built = Bun.spawnSync([process.execPath, join(root, "scripts", "build.ts"), fresh], { stdout: "pipe", stderr: "pipe" });

/** Each tool: its launcher (the bin), the bundle it loads, and its sources. */
const TOOLS = BINS.map((bin) => ({ launcher: bin.name, bundle: bin.bundle, source: bin.entry }));

describe("dist/", () => {
  test("the build succeeds", () => {
    expect(built.stderr.toString()).toBe("");
    expect(built.exitCode).toBe(0);
  });

  for (const { launcher, bundle } of TOOLS) {
    test(`${launcher}, ${bundle} and its bytecode are what src/ builds to now (else: npm run build)`, () => {
      for (const file of [launcher, bundle, `${bundle}.jsc`]) {
        const shipped = join(root, "dist", file);
        expect(existsSync(shipped)).toBe(true);
        // Compared whole (a failure would print ~175 KB twice); `git diff --no-index` shows where.
        expect(Buffer.compare(readFileSync(shipped), readFileSync(join(fresh, file)))).toBe(0);
      }
    });
  }

  test(`${LIBRARY.folder}/, the library, is what src/ builds to now (else: npm run build)`, () => {
    const shipped = join(root, "dist", LIBRARY.folder);
    const files = readdirSync(join(fresh, LIBRARY.folder)).sort();
    expect(readdirSync(shipped).sort()).toEqual(files);
    expect(files.filter((file) => readFileSync(join(shipped, file), "utf8") !== readFileSync(join(fresh, LIBRARY.folder, file), "utf8"))).toEqual([]);
  });
});

/** The `// src/…` modules in `file` and in every chunk it imports, and the builtins they import. */
function loadedWith(file: string): { modules: Set<string>; builtins: Set<string> } {
  const modules = new Set<string>();
  const builtins = new Set<string>();
  const pending = [file];
  const done = new Set<string>();
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (done.has(next)) continue;
    done.add(next);
    const text = readFileSync(next, "utf8");
    for (const [, module] of text.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)) modules.add(module!);
    for (const [, from] of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom "([^"]+)";$/gms)) {
      if (from!.startsWith("./")) pending.push(join(next, "..", from!));
      else builtins.add(from!);
    }
  }
  return { modules, builtins };
}

describe("the library: what an import loads", () => {
  // The parts and what only they use load on their first call (docs/DESIGN.md §3.1).
  const LAZY = ["src/run/run.ts", "src/run/spawn.ts", "src/run/spawn-sync.ts", "src/run/handoff.ts", "src/async/api.ts"];
  test.each([["index.js"], ["promises.js"]])("%s loads no part that loads on first use, and no node:fs, node:path or node:os", (entry) => {
    const { modules, builtins } = loadedWith(join(fresh, LIBRARY.folder, entry));
    expect(modules.size).toBeGreaterThan(5); // the markers are there to read
    const lazy = entry === "index.js" ? LAZY : LAZY.filter((module) => module !== "src/async/api.ts");
    expect(lazy.filter((module) => modules.has(module))).toEqual([]);
    expect([...builtins].filter((name) => /^(node:)?(fs|path|os)$/.test(name))).toEqual([]);
  });

  test("run() loads its part from a file of its own, which holds run.ts", () => {
    expect(readFileSync(join(fresh, LIBRARY.folder, "index.js"), "utf8")).toContain('require("./run.js")');
    expect(loadedWith(join(fresh, LIBRARY.folder, "run.js")).modules.has("src/run/run.ts")).toBe(true);
  });

  test("the library answers as its sources: each entry, each part, one class per error", () => {
    const use = (index: string, promises: string) => {
      const r = Bun.spawnSync([process.execPath, join(FIXTURES, "library-use.ts"), index, promises], { stdout: "pipe", stderr: "pipe" });
      expect(r.stderr.toString()).toBe("");
      return JSON.parse(r.stdout.toString());
    };
    const built = use(join(fresh, LIBRARY.folder, "index.js"), join(fresh, LIBRARY.folder, "promises.js"));
    const sources = use(join(root, "src", "index.ts"), join(root, "src", "promises.ts"));
    expect(built).toEqual(sources);
    expect(built.runMissing).toMatchObject({ code: "ENOENT", isSystemError: true });
    expect(built.waitpidNotOurs).toMatchObject({ code: "ECHILD", isSystemError: true });
    expect(built.spawn).toEqual({ value: ["got it\n", 4, true, 4] });
    expect(built.misnamed).toEqual([]);
  });

  // A program that imports bun-wait4 and is itself bundled (a user's `bun build`, or a single
  // executable) must carry the parts loaded on first use along: their requires must be ones a
  // bundler follows.
  describe("a program that imports the library, bundled by its author", () => {
    const app = mkdtempSync(join(fresh, "app-"));
    mkdirSync(join(app, "node_modules"));
    symlinkSync(root, join(app, "node_modules", "bun-wait4"), "dir");
    writeFileSync(
      join(app, "app.ts"),
      [
        'import { run, spawn, spawnSync, SystemError } from "bun-wait4";',
        'const r = await run(["sh", "-c", "exit 3"]);',
        'const s = spawnSync(["sh", "-c", "echo sync"]);',
        'const p = spawn(["sh", "-c", "exit 4"]);',
        'let missing = "";',
        'try { await run(["./no-such-program"]); } catch (e) { missing = `${e instanceof SystemError} ${(e as SystemError).code}`; }',
        'console.log(r.exitCode, s.stdout.toString().trim(), await p.exited, missing, SystemError.name);',
      ].join("\n"),
    );
    // The same program as CommonJS (no top-level await): Bun keeps bytecode only for CommonJS.
    writeFileSync(
      join(app, "app.cjs"),
      [
        'const { run, spawn, spawnSync, SystemError } = require("bun-wait4");',
        "(async () => {",
        '  const r = await run(["sh", "-c", "exit 3"]);',
        '  const s = spawnSync(["sh", "-c", "echo sync"]);',
        '  const p = spawn(["sh", "-c", "exit 4"]);',
        '  let missing = "";',
        '  try { await run(["./no-such-program"]); } catch (e) { missing = `${e instanceof SystemError} ${e.code}`; }',
        "  console.log(r.exitCode, s.stdout.toString().trim(), await p.exited, missing, SystemError.name);",
        "})();",
      ].join("\n"),
    );
    const expected = "3 sync 4 true ENOENT SystemError\n";
    const bunBuild = (...args: string[]) => Bun.spawnSync([process.execPath, "build", "app.ts", "--target", "bun", ...args], { cwd: app, stdout: "pipe", stderr: "pipe" });

    test("as the sources run", () => {
      const r = Bun.spawnSync([process.execPath, "app.ts"], { cwd: app, stdout: "pipe", stderr: "pipe" });
      expect({ out: r.stdout.toString(), err: r.stderr.toString() }).toEqual({ out: expected, err: "" });
    });

    test("bundled with bun build", () => {
      const built = bunBuild("--outdir", "out");
      expect(built.exitCode).toBe(0);
      const r = Bun.spawnSync([process.execPath, join(app, "out", "app.js")], { cwd: fresh, stdout: "pipe", stderr: "pipe" });
      expect({ out: r.stdout.toString(), err: r.stderr.toString() }).toEqual({ out: expected, err: "" });
    });

    /** Compiles `entry` with `flags` into one executable, runs it from elsewhere and removes it (~100 MB). */
    const compiledOutput = (entry: string, flags: string[]) => {
      const built = Bun.spawnSync([process.execPath, "build", entry, "--target", "bun", "--compile", ...flags, "--outfile", "app-bin"], { cwd: app, stdout: "pipe", stderr: "pipe" });
      expect(built.stderr.toString()).not.toContain("error");
      expect(built.exitCode).toBe(0);
      const r = Bun.spawnSync([join(app, "app-bin")], { cwd: fresh, stdout: "pipe", stderr: "pipe" });
      rmSync(join(app, "app-bin"), { force: true });
      return { out: r.stdout.toString(), err: r.stderr.toString() };
    };

    test("compiled into one executable with bun build --compile", () => {
      expect(compiledOutput("app.ts", [])).toEqual({ out: expected, err: "" });
    }, 120_000);

    test("a CommonJS program compiled with its bytecode (bun build --compile --bytecode --format=cjs)", () => {
      expect(compiledOutput("app.cjs", ["--bytecode", "--format=cjs"])).toEqual({ out: expected, err: "" });
    }, 120_000);
  });
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
    const { launcher, source } = TOOLS[tool]!;
    test(`${launcher} ${args.join(" ")}`, () => {
      const bundled = answer(join(fresh, launcher), args);
      expect(bundled.stdout + bundled.stderr).not.toBe("");
      expect(bundled).toEqual(answer(join(root, source), args));
    });
  }

  // The launcher refuses a Bun below package.json's engines (Bun 1.2 to 1.3.5 would otherwise
  // exit 0 having done nothing, docs/DESIGN.md §3.1). Asked for a Bun newer than this one, it
  // must refuse this one, before the tool runs anything.
  test.each(BINS.map((bin) => [bin.name, bin] as const))("%s refuses a Bun older than it needs, saying which it needs", (_, bin) => {
    const dir = mkdtempSync(join(fresh, "launcher-"));
    copyFileSync(join(fresh, bin.bundle), join(dir, bin.bundle));
    writeFileSync(join(dir, bin.name), launcher(bin, ">=99.0.0"));
    const marker = join(dir, "ran");
    const r = Bun.spawnSync([process.execPath, join(dir, bin.name), "touch", marker], { stdout: "pipe", stderr: "pipe" });
    expect({ code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() }).toEqual({
      code: bin.failure,
      stdout: "",
      stderr: `${bin.name.replace(/\.js$/, "")}: needs Bun 99.0.0 or newer; this is Bun ${Bun.version}\n`,
    });
    expect(existsSync(marker)).toBe(false);
    writeFileSync(join(dir, bin.name), launcher(bin, `>=${Bun.version}`));
    expect(Bun.spawnSync([process.execPath, join(dir, bin.name), "--version"]).exitCode).toBe(0);
  });

  // The bytecode is Bun's cache: a Bun of another build, or a bytecode file from another build
  // of the bundle, must cost the speed only. Bun checks it against its own build and the source.
  const misfits: [string, (jsc: Buffer) => Buffer][] = [
    ["empty", () => Buffer.alloc(0)],
    ["cut short", (jsc) => jsc.subarray(0, jsc.length >> 1)],
    ["every 997th byte flipped", (jsc) => jsc.map((byte, i) => (i % 997 === 200 ? byte ^ 0x5a : byte)) as Buffer],
    ["another tool's", () => readFileSync(join(fresh, `${TOOLS[1]!.bundle}.jsc`))],
  ];
  test.each(misfits)("a bytecode file that does not fit (%s) is ignored: the tool answers as its sources", (_, misfit) => {
    const { launcher, bundle, source } = TOOLS[0]!;
    const dir = mkdtempSync(join(fresh, "misfit-"));
    for (const file of [launcher, bundle]) copyFileSync(join(fresh, file), join(dir, file));
    writeFileSync(join(dir, `${bundle}.jsc`), misfit(readFileSync(join(fresh, `${bundle}.jsc`))));
    const args = ["-f", "%x %C", "sh", "-c", "exit 3"];
    expect(answer(join(dir, launcher), args)).toEqual(answer(join(root, source), args));
  });
});
