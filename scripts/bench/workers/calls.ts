/**
 * The Bun loops of the calls cases (cases/calls.ts), operation for operation as in ref.c and
 * ref.py, and the memory case's sample.
 */
import {
  getrusage,
  posix_spawnp,
  RUSAGE_SELF,
  SystemError,
  wait4,
  waitpid,
  waitstatus_to_exitcode,
  WCOREDUMP,
  WEXITSTATUS,
  WIFCONTINUED,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WSTOPSIG,
  WTERMSIG,
  WNOHANG,
} from "../../../src/index.ts";
import { fail, statusKiB, type Loop } from "../worker.ts";

/** The status words every contender decodes: exits 0..127 and signals 1..31 (some +core). */
const STATUSES = new Int32Array(256).map((_, i) => (i & 1 ? (i >> 1) << 8 : (1 + ((i >> 1) % 31)) | ((i & 2) << 6)));
const n = (b: boolean): number => (b ? 1 : 0);
const TRUE_ARGV = ["true"];
const TRUE_CMD = ["/bin/true"];
const INHERIT = ["inherit", "inherit", "inherit"] as const;

/** A child that stays alive (and unreaped) through the wait4 loop. */
let child = 0;
const startChild = () => void (child = posix_spawnp("sleep", ["sleep", "600"], process.env));
function stopChild(): void {
  process.kill(child, "SIGKILL");
  waitpid(child, 0);
}

export const loops: Record<string, Loop> = {
  /** `wait4(pid, WNOHANG)` on a live child, status decoded. */
  wait4: {
    setup: startChild,
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) {
        const [pid, status] = wait4(child, WNOHANG);
        if (pid !== 0) throw new Error(`the live child ${child} was reported as changed`);
        if (WIFEXITED(status)) sink++;
      }
      return sink;
    },
    teardown: stopChild,
  },
  getrusage: {
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) sink += getrusage(RUSAGE_SELF).ru_minflt;
      return sink;
    },
  },
  /** Bun's built-in (getrusage(RUSAGE_SELF) inside). */
  resourceUsage: {
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) sink += process.resourceUsage().minorPageFault;
      return sink;
    },
  },
  exitcode: {
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) sink += waitstatus_to_exitcode(STATUSES[i & 255]!);
      return sink;
    },
  },
  /** Each of the 8 W* functions once per status word (time reported per call). */
  wmacros: {
    opsPerIteration: 8,
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) {
        const s = STATUSES[i & 255]!;
        sink +=
          n(WIFEXITED(s)) + WEXITSTATUS(s) + n(WIFSIGNALED(s)) + WTERMSIG(s) +
          n(WCOREDUMP(s)) + n(WIFSTOPPED(s)) + WSTOPSIG(s) + n(WIFCONTINUED(s));
      }
      return sink;
    },
  },
  /** `waitpid(-1, 0)` in a process that has never had a child: ECHILD, caught. */
  echild: {
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) {
        try {
          waitpid(-1, 0);
          throw new Error("waitpid(-1, 0) returned in a process without children");
        } catch (error) {
          if (!(error instanceof SystemError) || error.code !== "ECHILD") throw error;
          sink++;
        }
      }
      return sink;
    },
  },
  spawn: {
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) {
        const pid = posix_spawnp("/bin/true", TRUE_ARGV, process.env);
        const [reaped, status] = wait4(pid, 0);
        if (reaped !== pid) throw new Error(`wait4 reaped ${reaped}, expected ${pid}`);
        sink += WEXITSTATUS(status);
      }
      return sink;
    },
  },
  /** Bun's built-in, stdio inherited. */
  spawnSync: {
    batch(count) {
      let sink = 0;
      for (let i = 0; i < count; i++) {
        const result = Bun.spawnSync({ cmd: TRUE_CMD, stdio: [...INHERIT] });
        if (!result.success) throw new Error(`/bin/true failed: ${result.exitCode}`);
        sink += result.exitCode ?? 0;
      }
      return sink;
    },
  },
};

/** Calls alternating `wait4(pid, WNOHANG)` on a live child and `getrusage(RUSAGE_SELF)`. */
function mix(calls: number): number {
  let sink = 0;
  for (let i = 0; i < calls; i += 2) {
    const [pid, status] = wait4(child, WNOHANG);
    if (pid !== 0) fail(`the live child ${child} was reported as changed`);
    if (WIFEXITED(status)) sink++;
    sink += getrusage(RUSAGE_SELF).ru_minflt;
  }
  return sink;
}

/** VmRSS after a full collection. */
function rssKiB(): number {
  Bun.gc(true);
  return statusKiB("VmRSS");
}

export const samples = {
  /** `memory <calls> <warmup>`: VmRSS before and after `calls` calls, after `warmup` of the same. */
  memory([calls, warmup]: string[]) {
    startChild();
    try {
      let sink = mix(Number(warmup));
      const before = rssKiB();
      const t0 = Bun.nanoseconds();
      sink += mix(Number(calls));
      const seconds = (Bun.nanoseconds() - t0) / 1e9;
      return { calls: Number(calls), rssBeforeKiB: before, rssAfterKiB: rssKiB(), seconds, sink };
    } finally {
      stopChild();
    }
  },
};
