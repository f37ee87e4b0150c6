/**
 * Bun worker: does a long run of calls leak? `bun scripts/bench/memory.ts <calls> <warmup>`
 * alternates `wait4(pid, WNOHANG)` on a live child and `getrusage(RUSAGE_SELF)` for <calls>
 * calls in all, after <warmup> calls of the same, and prints VmRSS (from
 * /proc/self/status, read after `Bun.gc(true)`) before and after as one JSON line.
 */
import { readFileSync } from "node:fs";
import { getrusage, posix_spawnp, RUSAGE_SELF, wait4, waitpid, WIFEXITED, WNOHANG } from "../../src/index.ts";

function rssKiB(): number {
  Bun.gc(true);
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  if (match === null) throw new Error("no VmRSS line in /proc/self/status");
  return Number(match[1]);
}

function mix(child: number, calls: number): number {
  let sink = 0;
  for (let i = 0; i < calls; i += 2) {
    const [pid, status] = wait4(child, WNOHANG);
    if (pid !== 0) throw new Error(`the live child ${child} was reported as changed`);
    if (WIFEXITED(status)) sink++;
    sink += getrusage(RUSAGE_SELF).ru_minflt;
  }
  return sink;
}

const calls = Number(process.argv[2] ?? 10_000_000);
const warmup = Number(process.argv[3] ?? 200_000);
const child = posix_spawnp("sleep", ["sleep", "600"], process.env);
try {
  let sink = mix(child, warmup);
  const before = rssKiB();
  const t0 = Bun.nanoseconds();
  sink += mix(child, calls);
  const seconds = (Bun.nanoseconds() - t0) / 1e9;
  const after = rssKiB();
  console.log(JSON.stringify({ calls, rssBeforeKiB: before, rssAfterKiB: after, seconds, sink }));
} finally {
  process.kill(child, "SIGKILL");
  waitpid(child, 0);
}
