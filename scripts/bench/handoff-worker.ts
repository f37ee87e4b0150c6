/**
 * One sample of the handoff case (scripts/bench/handoff.ts), in a fresh Bun process.
 *
 *   bun scripts/bench/handoff-worker.ts peak <contender> <parentMiB> <reps> <bigCommand…>
 *   bun scripts/bench/handoff-worker.ts cost <contender> <warmup> <iterations> <batches>
 *   bun scripts/bench/handoff-worker.ts phases <warmup> <n>
 *
 * peak: first allocates <parentMiB> MiB in a Uint8Array and writes every byte (kept alive to
 *   the end), so this process's peak RSS is ~that much more than a bare Bun's; then runs `true`
 *   and <bigCommand…> (the 60 MiB program) <reps> times each and reports each one's peak RSS in
 *   KiB. Contenders:
 *     auto   `await run(cmd)`: the default, peak "auto" (handed over from a small /bin/sh)
 *     plain  `await run(cmd, { peak: "plain" })`: posix_spawn straight from this process
 *     gnu    GNU time's %M: Bun.spawnSync(["sh", "-c", 'exec /usr/bin/time -f %M "$@"', "sh", …cmd]),
 *            the figure read from the last line of its stderr
 *
 * cost: <warmup> untimed spawns, then <batches> timed batches of <iterations> spawns of
 *   /bin/true; per batch, wall time (Bun.nanoseconds) and this process's CPU time (user +
 *   system, all threads: process.cpuUsage()) per spawn. Contenders:
 *     handoff  `await run(["/bin/true"])` (the default: the hand-off)
 *     plain    `await run(["/bin/true"], { peak: "plain" })`
 *     raw      posix_spawnp("/bin/true", ["true"], process.env) + synchronous wait4(pid, 0)
 *
 * phases: where the hand-off's time goes. A copy of src/run/handoff.ts's handOver (the same
 *   shell script, file actions and steps, with a performance.now() mark after each), run as
 *   run() runs it (pid read through a stream, the command awaited with bun-wait4/promises'
 *   wait4) and all synchronously (blocking read, blocking wait4), interleaved with the real
 *   run() (both modes), the raw floor and synchronous spawns of small shell scripts that add
 *   the hand-off's processes one at a time (sh alone, a forked subshell, an exec in it; and four
 *   such subshells in one shell, for the cost of one more in a shell already running). Each
 *   variant runs <warmup> times untimed, then <n> times in round-robin order; the medians of
 *   its steps are reported, in ms, and the median wall and CPU time (process.cpuUsage()) of each
 *   variant as a whole. The copy needs bun-wait4's internals (pipe, the subreaper
 *   flag, the file-action helper): if they have moved it exits 4 and the case goes without.
 *
 * Every exit code is checked, and at the end this process must have no child left at all,
 * zombie or not (/proc/self/task/*\/children). Prints one JSON line; exits non-zero on any
 * failed check.
 */
import { readFileSync, readSync, writeSync } from "node:fs";
import { posix_spawn, posix_spawnp, run, wait4, waitpid, WEXITSTATUS, WIFEXITED } from "../../src/index.ts";
import { median } from "./stats.ts";
import { children } from "./processes.ts";

const [mode, ...rest] = process.argv.slice(2) as [string, ...string[]];


function fail(message: string, code = 3): never {
  console.error(`handoff-worker: ${message}`);
  for (const pid of children()) {
    try {
      process.kill(pid, "SIGKILL");
      waitpid(pid, 0);
    } catch {}
  }
  process.exit(code);
}

/** After run()'s forker and its spares are gone (they are this worker's children while it lives). */
async function checkNoChildren(): Promise<void> {
  await (await import("../../src/run/handoff.ts")).closeHandoff();
  const left = children();
  if (left.length > 0) fail(`children left: ${left.slice(0, 5).join(" ")}`);
}

function statusKiB(field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync("/proc/self/status", "utf8"));
  return m === null ? NaN : Number(m[1]);
}

function int(text: string | undefined, name: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) fail(`${name} must be a non-negative integer, got ${text}`);
  return n;
}

/** Whether run() hands commands over here (src/run/handoff.ts), or why not. */
async function handoffShape(): Promise<string> {
  const why = (await import("../../src/run/handoff.ts")).handoffUnavailable();
  return why === undefined ? "handed over" : `unavailable: ${why}`;
}

// ---------------------------------------------------------------------------------------
// peak

async function peakMode(): Promise<void> {
  const [contender, parentArg, repsArg, ...big] = rest;
  const parentMiB = int(parentArg, "parentMiB");
  const reps = int(repsArg, "reps");
  if (!["auto", "plain", "gnu"].includes(contender ?? "") || big.length === 0) fail(`bad arguments ${rest.join(" ")}`);
  const hwmBare = statusKiB("VmHWM");
  const ballast = new Uint8Array(parentMiB * 1024 * 1024);
  ballast.fill(0x5a);
  const hwmParent = statusKiB("VmHWM");

  const commands = { true: ["true"], big };
  const kib: Record<keyof typeof commands, number[]> = { true: [], big: [] };
  let own: boolean | undefined;
  for (let r = 0; r < reps; r++) {
    for (const name of ["true", "big"] as const) {
      const cmd = commands[name];
      if (contender === "gnu") {
        const p = Bun.spawnSync({ cmd: ["sh", "-c", 'exec /usr/bin/time -f %M "$@"', "sh", ...cmd], stdout: "ignore", stderr: "pipe" });
        const err = p.stderr.toString().trim();
        const last = Number(err.split("\n").pop());
        if (p.exitCode !== 0 || !(last > 0)) fail(`GNU time ${cmd.join(" ")}: exit ${p.exitCode}, stderr ${JSON.stringify(err)}`);
        kib[name].push(last);
      } else {
        const result = await run(cmd, contender === "plain" ? { peak: "plain" } : {});
        if (result.exitCode !== 0) fail(`${cmd.join(" ")} exited ${result.exitCode ?? result.signalName}`);
        own = result.peakRssIsOwn;
        if (contender === "auto" && !own) fail(`run() could not hand ${cmd.join(" ")} over: ${result.peakNote}`);
        kib[name].push(result.rusage.ru_maxrss); // KiB on Linux
      }
    }
  }
  // The ballast must live through every run above.
  let sink = 0;
  for (let i = 0; i < ballast.length; i += 4096) sink += ballast[i]!;
  await checkNoChildren();
  console.log(
    JSON.stringify({
      contender,
      parentMiB,
      hwmBareKiB: hwmBare,
      hwmParentKiB: hwmParent,
      hwmEndKiB: statusKiB("VmHWM"),
      shape: contender === "auto" ? await handoffShape() : contender,
      own,
      trueKiB: kib.true,
      bigKiB: kib.big,
      sink,
    }),
  );
}

// ---------------------------------------------------------------------------------------
// cost

const TRUE_ARGV = ["true"];

async function spawnHandoff(): Promise<void> {
  const r = await run(["/bin/true"]);
  if (r.exitCode !== 0 || !r.peakRssIsOwn) fail(`run(/bin/true): exit ${r.exitCode}, own peak ${r.peakRssIsOwn} (${r.peakNote})`);
}
async function spawnPlain(): Promise<void> {
  const r = await run(["/bin/true"], { peak: "plain" });
  if (r.exitCode !== 0) fail(`run(/bin/true, plain): exit ${r.exitCode}`);
}
function spawnRaw(): void {
  const pid = posix_spawnp("/bin/true", TRUE_ARGV, process.env);
  const [reaped, status] = wait4(pid, 0);
  if (reaped !== pid || !WIFEXITED(status) || WEXITSTATUS(status) !== 0) fail(`wait4(${pid}): ${reaped}, status ${status}`);
}

async function costMode(): Promise<void> {
  const [contender, wArg, iArg, bArg] = rest;
  const warmup = int(wArg, "warmup");
  const iterations = int(iArg, "iterations");
  const batches = int(bArg, "batches");
  let once: () => Promise<void> | void;
  if (contender === "handoff") once = spawnHandoff;
  else if (contender === "plain") once = spawnPlain;
  else if (contender === "raw") once = spawnRaw;
  else fail(`unknown contender ${contender}`);
  // The raw floor is synchronous: no await in its loop (as scripts/bench/spawn.ts).
  const loop =
    contender === "raw"
      ? async (n: number) => {
          for (let i = 0; i < n; i++) spawnRaw();
        }
      : async (n: number) => {
          for (let i = 0; i < n; i++) await once();
        };
  await loop(warmup);
  const wallNs: number[] = [];
  const cpuNs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const c0 = process.cpuUsage();
    const w0 = Bun.nanoseconds();
    await loop(iterations);
    const w1 = Bun.nanoseconds();
    const c1 = process.cpuUsage(c0);
    wallNs.push((w1 - w0) / iterations);
    cpuNs.push(((c1.user + c1.system) * 1000) / iterations);
  }
  await checkNoChildren();
  console.log(JSON.stringify({ contender, shape: contender === "handoff" ? await handoffShape() : contender, wallNs, cpuNs }));
}

// ---------------------------------------------------------------------------------------
// phases

async function phasesMode(): Promise<void> {
  fail("phases: the per-step copy of the hand-off is gone (the forker replaced it); not measured", 4);
}

if (mode === "peak") await peakMode();
else if (mode === "cost") await costMode();
else if (mode === "phases") await phasesMode();
else fail(`unknown mode ${mode}`);
