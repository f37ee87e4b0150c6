/**
 * Bundles each command-line tool into one file in dist/ (the package's `bin`): a start then
 * reads and links one module instead of ~70 (~10 ms of a ~50 ms start; docs/DESIGN.md §3.1).
 * `npm install` and `npm pack` run it (the "prepare" script); test/package/bundle.test.ts
 * checks that dist/ is what src/ builds to now. The library itself is not bundled: a bundle
 * hoists the node: modules that its lazy parts load on first use (slower to import).
 *
 * Usage: bun scripts/build.ts [OUTDIR]   (default: dist)
 */
import { chmodSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");

/** Each bin: its entry point and the bundle's name. */
export const BINS = [
  { entry: "src/cli/main.ts", name: "bun-wait4.js" },
  { entry: "src/cli/bench/main.ts", name: "bun-wait4-bench.js" },
] as const;

if (import.meta.main) {
  const outdir = process.argv[2] ?? join(root, "dist");
  for (const bin of BINS) {
    rmSync(join(outdir, bin.name), { force: true });
    const built = await Bun.build({ entrypoints: [join(root, bin.entry)], target: "bun", outdir, naming: bin.name });
    if (!built.success) {
      for (const message of built.logs) console.error(message);
      process.exit(1);
    }
    chmodSync(join(outdir, bin.name), 0o755);
  }
}
