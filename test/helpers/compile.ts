/**
 * Compiles small C programs for tests and caches the executables in the OS temp dir,
 * keyed by a hash of everything that goes into them (compiler, its version, flags,
 * and the contents of every source and `-include`d / listed header).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface CompileOptions {
  /** C source files (paths). */
  sources: readonly string[];
  /** Which compiler driver to run; `musl-gcc` builds against musl. Default `gcc`. */
  compiler?: "gcc" | "musl-gcc";
  /** Extra compiler flags, e.g. `["-O2", "-include", "x.h", "-DFOO=1"]`. */
  flags?: readonly string[];
  /**
   * More files whose contents the result depends on (headers found through `-I` or
   * `#include "…"`). Files named after `-include` are hashed without being listed here.
   */
  dependsOn?: readonly string[];
}

const versions = new Map<string, string>();

function run(argv: readonly string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = Bun.spawnSync([...argv], { stdout: "pipe", stderr: "pipe" });
  return { ok: result.exitCode === 0, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

function compilerVersion(compiler: string): string {
  let version = versions.get(compiler);
  if (version === undefined) {
    const result = run([compiler, "--version"]);
    // musl-gcc is a wrapper script; its --version is gcc's. The wrapper's spec file is what
    // makes it musl, and its path is part of the key through the compiler name.
    version = result.ok ? result.stdout : `unavailable: ${result.stderr}`;
    versions.set(compiler, version);
  }
  return version;
}

/**
 * Compiles `sources` into an executable and returns its path. A second call with the
 * same inputs returns the cached executable without running the compiler.
 *
 * @throws Error with the compiler's diagnostics when compilation fails.
 */
export function compileC(options: CompileOptions): string {
  const compiler = options.compiler ?? "gcc";
  const flags = options.flags ?? [];
  const sources = options.sources.map((s) => resolve(s));
  const included: string[] = [];
  flags.forEach((flag, i) => {
    const next = flags[i + 1];
    if (flag === "-include" && next !== undefined) included.push(resolve(next));
  });
  const hashed = [...sources, ...included, ...(options.dependsOn ?? []).map((d) => resolve(d))];

  const hash = createHash("sha256");
  hash.update(`${compiler}\0${compilerVersion(compiler)}\0${flags.join("\0")}\0`);
  for (const file of hashed) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  const key = hash.digest("hex").slice(0, 24);

  const dir = join(tmpdir(), "bun-wait4-cc");
  const exe = join(dir, `${key}.exe`);
  if (existsSync(exe)) return exe;

  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `${key}.${process.pid}.${Date.now()}.tmp`);
  const result = run([compiler, ...flags, "-o", partial, ...sources]);
  if (!result.ok) {
    throw new Error(`${compiler} failed on ${sources.join(" ")}:\n${result.stderr}${result.stdout}`);
  }
  renameSync(partial, exe); // atomic: concurrent test runs never see a half-written file
  return exe;
}
