/**
 * The samples of the async cases (cases/async.ts), each in a fresh Bun process:
 *
 *   bun scripts/bench/sample.ts async exit <contender> <N> <gapNs> <K> <child> <file> <warm>
 *   bun scripts/bench/sample.ts async idle <contender> <child> <file>
 *
 * exit: <warm> untimed passes of 200 children through the same contender, then (when K > 0)
 *   K extra children that sleep two minutes, each with a wait pending, then the timed pass:
 *   spawn N children of <child> (scripts/bench/async-child.c) that exit at deadline + i * gap
 *   with code i % 7, register a wait for each, await them all. The extra children are then
 *   SIGKILLed and their waits awaited too. Contenders:
 *     ours   posix_spawn from "bun-wait4", wait4(pid) from "bun-wait4/promises"
 *     scan   the same; the orchestrator sets BUN_WAIT4_EXIT_WATCH=scan (checked here)
 *     exited Bun.spawn (stdio ignored, empty env) and proc.exited
 *   Latency: from the instant the child recorded just before _exit (CLOCK_MONOTONIC) to the
 *   Promise's callback; p50/p95/p99 over the N children. CPU: getrusage(RUSAGE_SELF) (user +
 *   system, all threads; the library's getrusage) from the end of the spawn loop to the last
 *   callback, split at the end of the registration loop; the main thread's share from
 *   /proc/thread-self/schedstat (exact ns).
 *
 * idle: CPU and voluntary context switches over one second, the same second of every
 *   contender's life (from 2.5 s after start, and at least 0.5 s after its setup: Bun's own
 *   housekeeping changes over a process's first seconds), after a full GC (Bun.gc(true)) at
 *   the end of every contender's setup. Contenders:
 *     bun-idle   nothing at all ("bun-wait4/promises" is not even loaded; "bun-wait4" is, for
 *                getrusage)
 *     ours-none  "bun-wait4/promises" loaded and one wait done and settled, none pending
 *     ours-10    10 waits pending on `sleep 100` children (SIGKILLed and reaped afterwards)
 *
 * Every child's exit code (or SIGKILL) is checked; any failed check fails the sample.
 *
 * Diagnostics: BENCH_ASYNC_THREADS=1 adds the CPU of each thread (by name, from
 * /proc/self/task/<tid>/schedstat) over the timed window to the output;
 * BENCH_ASYNC_IDLE_FROM_MS moves the idle window.
 */
import { constants } from "node:os";
import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { getrusage, posix_spawn, RUSAGE_SELF, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from "../../../src/index.ts";
import { fail, monoNs } from "../worker.ts";

interface Usage {
  cpuNs: number;
  nvcsw: number;
  nivcsw: number;
}
function usage(): Usage {
  const u = getrusage(RUSAGE_SELF);
  return { cpuNs: Math.round((u.ru_utime + u.ru_stime) * 1e9), nvcsw: u.ru_nvcsw, nivcsw: u.ru_nivcsw };
}
/** This (main) thread's CPU time in ns, exact (schedstat's first field). */
function mainThreadNs(): number {
  return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]);
}
/** CPU ns and voluntary switches per thread name (diagnostics: BENCH_ASYNC_THREADS=1 adds them to the output). */
function threadCpu(): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const comm = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim().replace(/\d+$/, "");
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      const sw = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/self/task/${tid}/status`, "utf8"))?.[1] ?? 0);
      m.set(comm, (m.get(comm) ?? 0) + ns);
      m.set(`${comm} switches`, (m.get(`${comm} switches`) ?? 0) + sw);
    } catch {}
  }
  return m;
}
const THREADS = process.env.BENCH_ASYNC_THREADS === "1";
function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}

type Promises = typeof import("../../../src/promises.ts");
/** What the library reports about itself, where the internals are there to ask (they may move). */
async function libraryState(): Promise<{ watch: string; pending: number }> {
  try {
    const r = await import("../../../src/async/registry.ts");
    return { watch: r.exitWatchKind() ?? "none", pending: r.pendingPids() };
  } catch {
    return { watch: "unknown", pending: -1 };
  }
}


/** A child that exits `code`, or is killed: `check` tells which was expected. */
interface Kid {
  pid: number;
  done: Promise<void>;
}

async function exitMode([contender, nArg, gapArg, kArg, child, file, warmArg]: string[]) {
  const N = Number(nArg);
  const GAP = Number(gapArg);
  const K = Number(kArg);
  const WARM = Number(warmArg);
  if (!child || !file || ![N, GAP, K, WARM].every(Number.isSafeInteger)) fail("bad arguments");
  const bunSpawn = contender === "exited";
  if (!bunSpawn && contender !== "ours" && contender !== "scan") fail(`unknown contender ${contender}`);
  const promises: Promises | undefined = bunSpawn ? undefined : await import("../../../src/promises.ts");
  const env = {};
  let bad = 0;
  const problems: string[] = [];
  const problem = (text: string) => {
    bad++;
    if (problems.length < 5) problems.push(text);
  };

  function spawnAt(deadline: number, code: number, index: number, path: string): { pid: number; wait: () => Promise<number> } {
    const args = [child!, String(Math.round(deadline)), String(code), String(index), path];
    if (bunSpawn) {
      const proc = Bun.spawn(args, { stdio: ["ignore", "ignore", "ignore"], env });
      // Resolves with a status-like word: exit code << 8, or the signal number.
      return {
        pid: proc.pid,
        wait: () => proc.exited.then((c) => (proc.signalCode !== null ? ((constants.signals as Record<string, number>)[String(proc.signalCode)] ?? 127) : c << 8)),
      };
    }
    const pid = posix_spawn(child!, args, env);
    return {
      pid,
      wait: () =>
        promises!.wait4(pid).then(([reaped, status]) => {
          if (reaped !== pid) problem(`wait4 resolved pid ${reaped} for ${pid}`);
          return status;
        }),
    };
  }

  function prepFile(path: string, n: number): void {
    const fd = openSync(path, "w+");
    ftruncateSync(fd, n * 8);
    closeSync(fd);
  }

  async function pass(n: number, gap: number, perSpawnNs: number, timed: boolean) {
    prepFile(file!, n);
    // Late enough for the spawn loop and the registration loop to finish first; a
    // sample where they did not reports late: true (the orchestrator runs it again).
    const deadline = monoNs() + (timed ? n * perSpawnNs * 1.5 + 40e6 : n * perSpawnNs * 1.3 + 10e6);
    const t0 = monoNs();
    const kids = new Array<{ pid: number; wait: () => Promise<number> }>(n);
    for (let i = 0; i < n; i++) kids[i] = spawnAt(deadline + i * gap, i % 7, i, file!);
    const t1 = monoNs();
    const th1 = THREADS && timed ? threadCpu() : undefined;
    const u1 = usage();
    const m1 = mainThreadNs();
    const resolvedAt = new Float64Array(n);
    const statuses = new Int32Array(n);
    let left = n;
    const { promise: all, resolve: allDone } = Promise.withResolvers<void>();
    for (let i = 0; i < n; i++) {
      kids[i]!.wait().then((status) => {
        resolvedAt[i] = monoNs();
        statuses[i] = status;
        if (--left === 0) allDone();
      });
    }
    const t2 = monoNs();
    const u2 = usage();
    await all;
    const u3 = usage();
    const m3 = mainThreadNs();
    const th3 = th1 && threadCpu();
    const bytes = readFileSync(file!);
    const exitAt = new BigInt64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n * 8));
    const lat: number[] = [];
    for (let i = 0; i < n; i++) {
      const status = statuses[i]!;
      if (!WIFEXITED(status) || WEXITSTATUS(status) !== i % 7) problem(`child ${i}: status ${status}, expected exit ${i % 7}`);
      const e = Number(exitAt[i]!);
      if (e === 0) problem(`child ${i} recorded no exit instant`);
      else lat.push(resolvedAt[i]! - e);
    }
    lat.sort((a, b) => a - b);
    const q = (f: number) => lat[Math.min(lat.length - 1, Math.floor(f * lat.length))] ?? NaN;
    return {
      perSpawnNs: (t1 - t0) / n,
      late: t2 > deadline,
      timed,
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      max: lat[lat.length - 1] ?? NaN,
      cpuRegister: u2.cpuNs - u1.cpuNs,
      cpuWait: u3.cpuNs - u2.cpuNs,
      cpuMain: m3 - m1,
      nvcswWait: u3.nvcsw - u1.nvcsw,
      nivcswWait: u3.nivcsw - u1.nivcsw,
      threads: th1 && th3 ? Object.fromEntries([...th3].map(([k, v]) => [k, v - (th1.get(k) ?? 0)]).filter(([, v]) => (v as number) > 0)) : undefined,
    };
  }

  let per = 400e3;
  // Warm-up: the same path, untimed, in passes of 200 children exiting 50 µs apart (the JIT
  // needs ~1,500 waits to stop compiling the library's paths; the spawns are most of the time).
  for (let w = 0; w < WARM; w++) per = (await pass(WARM_CHILDREN, 50e3, per, false)).perSpawnNs;

  // K extra waits pending through the timed pass, on children that would sleep two minutes.
  const extraFile = `${file}.extra`;
  const extra: Kid[] = [];
  const fdsBefore = openFds();
  let fdsWithExtra = fdsBefore;
  if (K > 0) {
    prepFile(extraFile, K);
    const far = monoNs() + 120e9;
    const s0 = monoNs();
    for (let i = 0; i < K; i++) {
      const k = spawnAt(far, 0, i, extraFile);
      extra.push({
        pid: k.pid,
        done: k.wait().then((status) => {
          if (!WIFSIGNALED(status) || WTERMSIG(status) !== 9) problem(`extra child ${k.pid}: status ${status}, expected SIGKILL`);
        }),
      });
    }
    // With K more processes on the machine spawning is slower: the deadline must allow for it.
    per = Math.max(per, (monoNs() - s0) / K);
    await Bun.sleep(100);
    fdsWithExtra = openFds();
  }
  const r = await pass(N, GAP, per, true);
  for (const k of extra) process.kill(k.pid, "SIGKILL");
  await Promise.all(extra.map((k) => k.done));
  const state = bunSpawn ? { watch: "bun", pending: 0 } : await libraryState();
  if (state.pending > 0) problem(`${state.pending} pids still pending in the library`);
  if (contender === "scan" && state.watch !== "scan" && state.watch !== "unknown") problem(`BUN_WAIT4_EXIT_WATCH=scan not in effect (${state.watch})`);
  if (contender === "ours" && state.watch === "scan") problem("the scan fallback is in use for the ours contender");
  // With the epoll watch every pending wait holds a pidfd: too few fds means some fell back.
  if (contender === "ours" && K > 0 && state.watch === "epoll" && fdsWithExtra - fdsBefore < K) {
    problem(`only ${fdsWithExtra - fdsBefore} fds for ${K} pending waits (pidfd_open failing?)`);
  }
  for (const f of [file!, extraFile]) {
    try {
      unlinkSync(f);
    } catch {}
  }
  if (bad > 0) fail(`${bad} failed checks: ${problems.join("; ")}`);
  return { contender, n: N, gap: GAP, k: K, bad, watch: state.watch, fdsBefore, fdsWithExtra, ...r };
}

const WARM_CHILDREN = 200;
const IDLE_FROM_MS = Number(process.env.BENCH_ASYNC_IDLE_FROM_MS ?? 2500);

async function idleMode([contender, child, file]: string[]) {
  if (!child || !file) fail("bad arguments");
  const kids: Kid[] = [];
  let bad = 0;
  if (contender === "ours-none" || contender === "ours-10") {
    const { wait4 } = await import("../../../src/promises.ts");
    // ours-none: one wait done and settled first, so what is measured is the state after use.
    const fd = openSync(file, "w+");
    ftruncateSync(fd, 8);
    closeSync(fd);
    const pid = posix_spawn(child, [child, String(Math.round(monoNs() + 20e6)), "3", "0", file], {});
    const [, status] = await wait4(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) !== 3) bad++;
    unlinkSync(file);
    if (contender === "ours-10") {
      for (let i = 0; i < 10; i++) {
        const pid = posix_spawn("/bin/sleep", ["sleep", "100"], {});
        kids.push({
          pid,
          done: wait4(pid).then(([, status]) => {
            if (!WIFSIGNALED(status) || WTERMSIG(status) !== 9) bad++;
          }),
        });
      }
    }
  } else if (contender !== "bun-idle") fail(`unknown contender ${contender}`);
  // The setup's garbage is collected now, in every contender (idle Bun too), so that whether a
  // collection lands in the window does not depend on how much the setup allocated. Bun's own
  // housekeeping changes over a process's first seconds, so every contender then measures the
  // same window of its life: from 2.5 s after start (at least 0.5 s after the setup).
  Bun.gc(true);
  await Bun.sleep(Math.max(500, IDLE_FROM_MS - performance.now()));
  const t0 = monoNs();
  const th0 = THREADS ? threadCpu() : undefined;
  const u0 = usage();
  await Bun.sleep(1000);
  const u1 = usage();
  const th1 = th0 && threadCpu();
  const seconds = (monoNs() - t0) / 1e9;
  const pending = contender === "bun-idle" ? 0 : (await libraryState()).pending;
  for (const k of kids) process.kill(k.pid, "SIGKILL");
  await Promise.all(kids.map((k) => k.done));
  const after = contender === "bun-idle" ? 0 : (await libraryState()).pending;
  if (pending !== -1 && pending !== kids.length) fail(`${pending} pids pending during the idle second, expected ${kids.length}`);
  if (after > 0) fail(`${after} pids still pending after the kills`);
  if (bad > 0) fail(`${bad} bad statuses`);
  return {
    contender,
    pending: kids.length,
    seconds,
    cpuNsPerS: (u1.cpuNs - u0.cpuNs) / seconds,
    nvcswPerS: (u1.nvcsw - u0.nvcsw) / seconds,
    nivcswPerS: (u1.nivcsw - u0.nivcsw) / seconds,
    threads: th0 && th1 ? Object.fromEntries([...th1].map(([k, v]) => [k, v - (th0.get(k) ?? 0)]).filter(([, v]) => (v as number) > 0)) : undefined,
  };
}

export const samples = { exit: exitMode, idle: idleMode };
