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
import { chmodSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BunPlugin } from "bun";

const root = join(import.meta.dir, "..");

/** Each bin: its entry point and the bundle's name. */
export const BINS = [
  { entry: "src/cli/main.ts", name: "bun-wait4.js" },
  { entry: "src/cli/bench/main.ts", name: "bun-wait4-bench.js" },
] as const;

/** The library's folder in dist/, its entries, and the parts src/run/entry.ts loads on first use. */
export const LIBRARY = {
  folder: "lib",
  entries: ["src/index.ts", "src/promises.ts"],
  lazyParts: ["src/run/run.ts", "src/run/spawn.ts", "src/run/spawn-sync.ts"],
} as const;

/** The module that requires the lazy parts, by a path relative to itself. */
const LAZY_LOADER = "src/run/entry.ts";

/**
 * Keeps the loader's `require("./run.ts")` (and the others) a require of the part's own output,
 * instead of inlining the part: all outputs sit in one folder, named after their source.
 */
function lazyParts(seen: Set<string>): BunPlugin {
  const names = new Set(LIBRARY.lazyParts.map((part) => `./${part.slice(part.lastIndexOf("/") + 1)}`));
  return {
    name: "lazy-parts",
    setup(build) {
      build.onResolve({ filter: /^\.\/[\w-]+\.ts$/ }, (args) => {
        if (args.importer !== join(root, LAZY_LOADER) || !names.has(args.path)) return undefined;
        seen.add(args.path);
        return { path: args.path.replace(/\.ts$/, ".js"), external: true };
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
    rmSync(join(outdir, bin.name), { force: true });
    rmSync(join(outdir, `${bin.name}.jsc`), { force: true });
    check(await Bun.build({ entrypoints: [join(root, bin.entry)], target: "bun", format: "cjs", bytecode: true, outdir, naming: bin.name }));
    chmodSync(join(outdir, bin.name), 0o755);
    chmodSync(join(outdir, `${bin.name}.jsc`), 0o644);
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
}
