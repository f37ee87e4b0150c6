/**
 * README.md's code examples, as printed there, and a scratch project to run them in: the tests
 * that run them break when the README drifts from what works.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The repository's root (where package.json names the package "bun-wait4"). */
export const ROOT = join(import.meta.dir, "..", "..");

/**
 * The ```ts blocks of README.md in the section under the heading line `heading` (exactly as
 * written, e.g. "### Without blocking: `bun-wait4/promises`"), up to the next heading of the
 * same or a higher level. Throws if there is no such heading.
 */
export function readmeBlocks(heading: string): string[] {
  const lines = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`README.md has no heading line ${JSON.stringify(heading)}`);
  const level = /^#+/.exec(heading)![0].length;
  const blocks: string[] = [];
  let block: string[] | undefined;
  let fenced = false; // inside any fence (a "#" there is no heading)
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("```")) {
      if (fenced) {
        if (block !== undefined) blocks.push(block.join("\n") + "\n");
        block = undefined;
      } else if (line.trim() === "```ts") block = [];
      fenced = !fenced;
      continue;
    }
    if (!fenced && /^#+ /.test(line) && /^#+/.exec(line)![0].length <= level) break;
    block?.push(line);
  }
  return blocks;
}

/** The one ```ts block of the section `heading` that contains `marker`; throws unless exactly one does. */
export function readmeBlock(heading: string, marker: string): string {
  const found = readmeBlocks(heading).filter((b) => b.includes(marker));
  if (found.length !== 1) throw new Error(`README.md, ${heading}: ${found.length} ts blocks contain ${JSON.stringify(marker)}, expected 1`);
  return found[0]!;
}

/**
 * A scratch directory where `import … from "bun-wait4"` resolves to this checkout, as in a
 * project that installed it (node_modules/bun-wait4 is a symlink to the root). Remove it with
 * `dispose()`.
 */
export function scratchProject(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "bun-wait4-readme-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "bun-wait4"), "dir");
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
