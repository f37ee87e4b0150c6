/**
 * hyperfine's export manager (`src/export/mod.rs`): every `--export-*` file is created
 * (emptied) before anything runs, rewritten after each benchmark so that finished results
 * survive a later failure, and `-` means stdout, written once at the end after an empty line.
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { errorText } from "../../strerror.ts";
import { BenchError } from "../errors.ts";
import type { Matches } from "../parse-args.ts";
import type { BenchmarkResult } from "../result.ts";
import type { TimeUnit } from "../units.ts";
import { csvExport } from "./csv.ts";
import { jsonExport } from "./json.ts";
import { MARKUPS, markupExport } from "./markup.ts";

/** How a result list becomes an export's text. */
export type Serialize = (results: readonly BenchmarkResult[], measuredMemory: boolean) => string;

interface Target {
  serialize: Serialize;
  /** A file path, or undefined for stdout. */
  path: string | undefined;
}

/** A Node/Bun fs error as Rust's io::Error prints: glibc's words and the errno. */
function ioText(error: unknown): string {
  const errno = (error as { errno?: unknown }).errno;
  return typeof errno === "number" ? `${errorText(error)} (os error ${Math.abs(errno)})` : errorText(error);
}

/** The exports asked for, in hyperfine's order. */
export class ExportManager {
  private readonly targets: Target[] = [];

  /**
   * Creates every export file (hyperfine's `from_cli_arguments`).
   *
   * @throws BenchError "Could not create export file …" when one cannot be created.
   */
  constructor(matches: Matches, unit: TimeUnit | undefined, sort: "command" | "mean-time") {
    const kinds: [string, Serialize][] = [
      ["export-asciidoc", (r, m) => markupExport(MARKUPS.asciidoc, r, unit, sort, m)],
      ["export-json", (r) => jsonExport(r)],
      ["export-csv", (r, m) => csvExport(r, m)],
      ["export-markdown", (r, m) => markupExport(MARKUPS.markdown, r, unit, sort, m)],
      ["export-orgmode", (r, m) => markupExport(MARKUPS.orgmode, r, unit, sort, m)],
    ];
    for (const [id, serialize] of kinds) {
      const path = matches.options.get(id)?.at(-1)?.[0];
      if (path === undefined) continue;
      if (path !== "-") {
        try {
          closeSync(openSync(path, "w", 0o666));
        } catch (error) {
          throw new BenchError(`Could not create export file '${path}': ${ioText(error)}`);
        }
      }
      this.targets.push({ serialize, path: path === "-" ? undefined : path });
    }
  }

  /** After each benchmark: every file export rewritten in place (opened for writing, not truncated). */
  writeIntermediate(results: readonly BenchmarkResult[], measuredMemory: boolean): void {
    for (const t of this.targets) {
      if (t.path === undefined) continue;
      let fd: number;
      try {
        fd = openSync(t.path, "r+");
      } catch (error) {
        throw new BenchError(ioText(error));
      }
      try {
        writeSync(fd, t.serialize(results, measuredMemory), 0);
      } catch (error) {
        throw new BenchError(`Failed to export results to '${t.path}': ${ioText(error)}`);
      } finally {
        closeSync(fd);
      }
    }
  }

  /** At the end: each stdout export after an empty line, followed by one more newline. */
  finalStdout(results: readonly BenchmarkResult[], measuredMemory: boolean): string {
    return this.targets
      .filter((t) => t.path === undefined)
      .map((t) => `\n${t.serialize(results, measuredMemory)}\n`)
      .join("");
  }
}
