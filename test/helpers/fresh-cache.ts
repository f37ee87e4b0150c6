/**
 * Preloaded by `bun test` (bunfig.toml): the suite and every process it starts keep the
 * hand-off's verdict (src/run/forker/verdict-cache.ts) in a directory of this run's own, so
 * no verdict written by another checkout, version or earlier run decides anything here, and
 * the first hand-off of each run probes for real.
 */
import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cache = mkdtempSync(join(tmpdir(), "bun-wait4-test-cache-"));
process.env.XDG_CACHE_HOME = cache;
delete process.env.BUN_WAIT4_CACHE;
afterAll(() => rmSync(cache, { recursive: true, force: true })); // in a preload: after the whole run
