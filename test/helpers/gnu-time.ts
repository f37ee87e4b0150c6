/** The real GNU time (/usr/bin/time, 1.9) and the LD_PRELOAD shim that feeds it chosen figures (test/c/time_shim.c). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { compileC } from "./compile.ts";

export const GNU_TIME = "/usr/bin/time";
if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: apt-get install time (scripts/test-tools.sh does)`);

/** The compiled shim (cached by content). */
export const SHIM = compileC({
  sources: [join(import.meta.dir, "..", "c", "time_shim.c")],
  flags: ["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror"],
});

/** This machine's page size, which GNU's %Z prints. */
export const PAGE_SIZE = Number(Bun.spawnSync(["getconf", "PAGESIZE"]).stdout.toString().trim());

/** Latin-1, so one character is one byte and a byte-exact comparison reads well. */
export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1");
