/**
 * Does a long run of calls leak? One process, once per run: 10 million calls (1 million with
 * --quick) alternating `wait4(pid, WNOHANG)` on a live child and `getrusage(RUSAGE_SELF)`,
 * after 200,000 of the same; VmRSS after `Bun.gc(true)`, before and after.
 */
import { grouped, mb } from "../format.ts";
import { defineCase, goal, processSample, workerArgv } from "../harness.ts";

const LIMIT_KIB = 5 * 1024;

interface Sample {
  calls: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
}

export const memoryCase = defineCase<Sample>({
  id: "memory",
  rounds: "once",
  prepare(ctx) {
    if (process.platform !== "linux") return "it reads /proc/self/status";
    const calls = ctx.quick ? 1_000_000 : 10_000_000;
    return {
      contenders: [{ id: "ours", label: "bun-wait4 wait4 + getrusage", sample: () => processSample<Sample>(workerArgv("calls", "memory", calls, 200_000)) }],
      goals: (samples) => {
        const s = samples("ours")[0];
        const delta = s === undefined ? NaN : s.rssAfterKiB - s.rssBeforeKiB;
        const shown = s === undefined ? "" : `${mb(delta)} (${grouped(s.rssBeforeKiB)} → ${grouped(s.rssAfterKiB)} KiB)`;
        return [goal(`RSS after ${grouped(calls)} calls within 5 MB of start`, delta, Math.abs(delta) <= LIMIT_KIB, shown)];
      },
    };
  },
});
