/**
 * Builds what the package runs from dist/ (docs/DESIGN.md §3.1): loading one module costs
 * ~0.2 ms whatever it holds, so a start that reads a few bundled files instead of dozens of
 * sources is several milliseconds sooner.
 * - Each command-line tool (the `bin` entries) is one CommonJS file with its bytecode beside it
 *   (`NAME.js.jsc`): Bun then skips parsing and compiling ~180 KB at every start (~10 ms). The
 *   bytecode is Bun's own cache format; a Bun whose build differs, or a `.js` edited since,
 *   ignores it and parses the source (https://bun.sh/docs/bundler/bytecode). Bytecode needs
 *   CommonJS, so a tool's main has no top-level await.
 * - The library ("bun-wait4" and "bun-wait4/promises", the `exports`) is split: what an import
 *   loads is a few chunks, and run(), spawn() and spawnSync() stay parts of their own that
 *   src/run/entry.ts requires on first use, as it does from the sources. Code shared by the
 *   entries and the parts lives in shared chunks, so each module (its classes and its state:
 *   the C library, the exit watch, the hand-off) exists once.
 * `npm install` and `npm pack` run it (the "prepare" script); test/package/bundle.test.ts checks
 * that dist/ is what src/ builds to now.
 *
 * Usage: bun scripts/build.ts [OUTDIR]   (default: dist)
 */
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";
import type { BunPlugin } from "bun";
import { engines } from "../package.json" with { type: "json" };

/** Bun.build's alias for `require` in an ES module, and what it becomes (see finishLibrary). */
const REQUIRE_ALIAS = "var __require = import.meta.require;";
const BUILTIN_REQUIRE = "var __require = (id) => process.getBuiltinModule(id);";

const root = join(import.meta.dir, "..");

/**
 * Each bin: its entry point, the file package.json's `bin` names (a small launcher), the
 * bundle the launcher loads (CommonJS, with Bun's bytecode beside it), and the exit status
 * for a Bun too old to run it (GNU time's 125, hyperfine's 1).
 */
export const BINS = [
  { entry: "src/cli/main.ts", name: "bun-wait4.js", bundle: "bun-wait4.cjs", failure: 125 },
  { entry: "src/cli/bench/main.ts", name: "bun-wait4-bench.js", bundle: "bun-wait4-bench.cjs", failure: 1 },
] as const;

/**
 * The launcher of `bin`. Bun 1.2 to 1.3.5 do not run a `@bun-cjs` bundle whose first line is a
 * shebang (the wrapper function is never called, and the tool exits 0 having done nothing), so
 * the bundle has none and this file, which needs one, loads it. It is marked `@bun` (nothing
 * to transpile) and is also plain JavaScript, which older Bun runs as it is; there it says
 * which Bun is needed (package.json's engines) instead of doing nothing.
 */
export function launcher(bin: (typeof BINS)[number], requirement: string = engines.bun): string {
  const tool = bin.name.replace(/\.js$/, "");
  const needed = requirement.replace(/^>=\s*/, "");
  return [
    "#!/usr/bin/env bun",
    "// @bun",
    `// ${tool}'s launcher, written by scripts/build.ts: the tool is ${bin.bundle}, with its bytecode.`,
    `if (!Bun.semver.satisfies(Bun.version, ${JSON.stringify(requirement)})) {`,
    `  import.meta.require("node:fs").writeSync(2, \`${tool}: needs Bun ${needed} or newer; this is Bun \${Bun.version}\\n\`);`,
    `  process.exit(${bin.failure});`,
    "}",
    `import.meta.require(${JSON.stringify(`./${bin.bundle}`)});`,
    "",
  ].join("\n");
}

/** The library's folder in dist/, its entries, and the parts src/run/entry.ts loads on first use. */
export const LIBRARY = {
  folder: "lib",
  entries: ["src/index.ts", "src/promises.ts"],
  lazyParts: ["src/run/run.ts", "src/run/spawn.ts", "src/run/spawn-sync.ts"],
} as const;

/** The module that requires the lazy parts, by a path relative to itself. */
const LAZY_LOADER = "src/run/entry.ts";

/** The file a library source is built to: all outputs sit in one folder, named after their source. */
const outputOf = (source: string) => source.slice(source.lastIndexOf("/") + 1).replace(/\.ts$/, ".js");

/**
 * Keeps the loader's `require("./run.ts")` (and the others) a require of the part's own output
 * (`./run.js`, added to `seen`), instead of inlining the part.
 */
function lazyParts(seen: Set<string>): BunPlugin {
  const names = new Set(LIBRARY.lazyParts.map((part) => `./${part.slice(part.lastIndexOf("/") + 1)}`));
  return {
    name: "lazy-parts",
    setup(build) {
      build.onResolve({ filter: /^\.\/[\w-]+\.ts$/ }, (args) => {
        if (args.importer !== join(root, LAZY_LOADER) || !names.has(args.path)) return undefined;
        const output = `./${outputOf(args.path)}`;
        seen.add(output);
        return { path: output, external: true };
      });
    },
  };
}

function check(built: Awaited<ReturnType<typeof Bun.build>>): void {
  if (built.success) return;
  for (const message of built.logs) console.error(message);
  process.exit(1);
}

if (import.meta.main) {
  const outdir = process.argv[2] ?? join(root, "dist");
  for (const bin of BINS) {
    for (const file of [bin.name, `${bin.name}.jsc`, bin.bundle, `${bin.bundle}.jsc`]) rmSync(join(outdir, file), { force: true });
    check(await Bun.build({ entrypoints: [join(root, bin.entry)], target: "bun", format: "cjs", bytecode: true, outdir, naming: bin.bundle }));
    writeFileSync(join(outdir, bin.name), launcher(bin));
    chmodSync(join(outdir, bin.name), 0o755);
    chmodSync(join(outdir, bin.bundle), 0o644);
    chmodSync(join(outdir, `${bin.bundle}.jsc`), 0o644);
  }
  const libdir = join(outdir, LIBRARY.folder);
  rmSync(libdir, { recursive: true, force: true });
  const seen = new Set<string>();
  check(
    await Bun.build({
      entrypoints: [...LIBRARY.entries, ...LIBRARY.lazyParts].map((entry) => join(root, entry)),
      target: "bun",
      outdir: libdir,
      splitting: true,
      naming: { entry: "[name].[ext]", chunk: "chunk-[hash].[ext]" },
      plugins: [lazyParts(seen)],
    }),
  );
  if (seen.size !== LIBRARY.lazyParts.length) {
    console.error(`scripts/build.ts: ${LAZY_LOADER} no longer requires each of ${LIBRARY.lazyParts.join(", ")} (found ${[...seen].join(", ") || "none"}); keep LIBRARY.lazyParts in step`);
    process.exit(1);
  }
  finishLibrary(libdir, seen);
}

/**
 * Three mends to what Bun.build writes for the library:
 * - The lazy parts' requires come out as `__require("./run.js")`, where `__require` is
 *   `import.meta.require`: a program that bundles bun-wait4 (`bun build`, `--compile`) does not
 *   see through that alias and leaves the parts out. They are written back as `require(…)`, which
 *   bundlers follow; the file then loses its `// @bun` mark, so Bun transpiles it (~3 KB), which
 *   makes `require` in an ES module work.
 * - What is left of `__require` loads built-in modules only (node:fs, bun:ffi, … on first use).
 *   Its definition, `import.meta.require`, cannot even be parsed in CommonJS, so a CommonJS
 *   program that bundles bun-wait4 could not be compiled with its bytecode (`bun build --compile
 *   --bytecode --format=cjs`). It becomes `process.getBuiltinModule`, which both forms parse;
 *   the build fails if a `__require` of something else appears.
 * - Splitting renames every binding an entry re-exports (`SystemError2 as SystemError`), so the
 *   functions' and classes' `.name`, and stack traces, would say `wait43`. Each entry gives its
 *   exports their names back when it is imported.
 */
function finishLibrary(libdir: string, parts: ReadonlySet<string>): void {
  const entries = new Set(LIBRARY.entries.map(outputOf));
  let mended = 0;
  for (const file of readdirSync(libdir)) {
    const path = join(libdir, file);
    let text = readFileSync(path, "utf8");
    const before = text;
    for (const output of parts) {
      const call = `__require(${JSON.stringify(output)})`;
      mended += text.split(call).length - 1;
      text = text.replaceAll(call, `require(${JSON.stringify(output)})`);
    }
    if (text !== before) text = text.replace(/^\/\/ @bun\n/, "");
    text = text.replace(REQUIRE_ALIAS, BUILTIN_REQUIRE);
    for (const [, id] of text.matchAll(/\b__require\("([^"]*)"\)/g)) {
      if (!isBuiltin(id!)) {
        console.error(`scripts/build.ts: dist/${LIBRARY.folder}/${file} requires "${id}", which process.getBuiltinModule cannot load`);
        process.exit(1);
      }
    }
    if (entries.has(file)) text = withExportNames(text, file);
    if (text !== before) writeFileSync(path, text);
  }
  if (mended !== parts.size) {
    console.error(`scripts/build.ts: expected ${parts.size} requires of the lazy parts in dist/${LIBRARY.folder}, mended ${mended}`);
    process.exit(1);
  }
}

/** `text` (an entry) with a statement after its export list that names each re-exported function and class as it is exported. */
function withExportNames(text: string, file: string): string {
  const list = /^export \{\n([\s\S]*?)\n\};\n?$/m.exec(text);
  if (list === null) {
    console.error(`scripts/build.ts: no export list in dist/${LIBRARY.folder}/${file}`);
    process.exit(1);
  }
  const renamed = list[1]!
    .split(",")
    .map((item) => item.trim().split(/\s+as\s+/))
    .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== pair[1]);
  if (renamed.length === 0) return text;
  const pairs = renamed.map(([local, exported]) => `[${local}, ${JSON.stringify(exported)}]`).join(", ");
  return `${text.trimEnd()}\nfor (const [value, name] of [${pairs}]) if (typeof value === "function") Object.defineProperty(value, "name", { value: name });\n`;
}
