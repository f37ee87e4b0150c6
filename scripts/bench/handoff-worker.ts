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

function checkNoChildren(): void {
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

/** How the hand-off would start a command with this environment (src/run/handoff.ts), if it can tell. */
async function handoffShape(): Promise<string> {
  try {
    const h = await import("../../src/run/handoff.ts");
    const why = h.handoffUnavailable();
    if (why !== undefined) return `unavailable: ${why}`;
    const names = Object.entries(process.env).filter(([, v]) => v !== undefined).map(([k]) => k);
    return h.directEnvironment(names) ? "direct" : "exact (env -i)";
  } catch {
    return "unknown";
  }
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
  checkNoChildren();
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
  checkNoChildren();
  console.log(JSON.stringify({ contender, shape: contender === "handoff" ? await handoffShape() : contender, wallNs, cpuNs }));
}

// ---------------------------------------------------------------------------------------
// phases

/** The hand-off's script, as src/run/handoff.ts has it (the "direct" form). Kept in step by hand. */
const PROLOGUE = "read pid rest < /proc/self/stat; echo $pid >&3; exec 3>&-; read go <&4 || exit 125; exec 4<&-";
const DIRECT = `(${PROLOGUE}; unset PWD OLDPWD; case $1 in +*) export PWD="\${1#+}";; esac; case $2 in +*) export OLDPWD="\${2#+}";; esac; shift 2; exec "$@")`;
/** run() starts every command with every signal at its default (Linux: 1..64). */
const ALL_SIGNALS = Array.from({ length: 64 }, (_, i) => i + 1);

/** The step names, in order: each is the time from the previous mark to its own. */
const STEPS = ["prepare", "pipes", "spawnShell", "pidArrives", "killReap", "go", "commandDone"] as const;
type Step = (typeof STEPS)[number];

async function phasesMode(): Promise<void> {
  const warmup = int(rest[0], "warmup");
  const n = int(rest[1], "n");
  let internals;
  try {
    const [proc, handoff, promises] = await Promise.all([
      import("../../src/sys/process.ts"),
      import("../../src/run/handoff.ts"),
      import("../../src/promises.ts"),
    ]);
    const { pipe, closeFd, childSubreaper } = proc;
    const { placeAt3And4, handoffUnavailable } = handoff;
    if (typeof pipe !== "function" || typeof closeFd !== "function" || typeof childSubreaper?.get !== "function" || typeof placeAt3And4 !== "function") {
      throw new Error("missing");
    }
    if (handoffUnavailable() !== undefined) fail(`the hand-off is unavailable here: ${handoffUnavailable()}`, 4);
    internals = { pipe, closeFd, childSubreaper, placeAt3And4, wait4Async: promises.wait4 };
  } catch (error) {
    fail(`bun-wait4's internals have moved (${error}); no phase breakdown`, 4);
  }
  const { pipe, closeFd, childSubreaper, placeAt3And4, wait4Async } = internals;

  const decoder = new TextDecoder();
  /** As handoff.ts's readPid: the pid line through a stream, without blocking the event loop. */
  async function readPidAsync(fd: number): Promise<number> {
    const reader = Bun.file(fd).stream().getReader();
    let text = "";
    try {
      while (!text.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    return Number.parseInt(text, 10);
  }
  const buf = new Uint8Array(64);
  /** The same, blocking. */
  function readPidSync(fd: number): number {
    let text = "";
    while (!text.includes("\n")) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      text += decoder.decode(buf.subarray(0, got));
    }
    return Number.parseInt(text, 10);
  }

  /** One hand-off of /bin/true as handOver + run() do it, with a mark after each step (ms). */
  async function handOffTimed(sync: boolean, out: Record<Step, number[]>): Promise<void> {
    const t0 = performance.now();
    // What run() does first, in short: read the environment, split PWD/OLDPWD out (direct form).
    const env: Record<string, string> = {};
    let pwd = "";
    let oldpwd = "";
    for (const [name, value] of Object.entries(process.env)) {
      if (value === undefined) continue;
      if (name === "PWD") pwd = `+${value}`;
      else if (name === "OLDPWD") oldpwd = `+${value}`;
      else env[name] = value;
    }
    const args = ["sh", "-c", DIRECT, "sh", pwd, oldpwd, "/bin/true"];
    const t1 = performance.now();
    const [pidRead, pidWrite] = pipe();
    const [goRead, goWrite] = pipe();
    const t2 = performance.now();
    const shell = posix_spawn("/bin/sh", args, env, {
      file_actions: placeAt3And4(pidWrite, goRead),
      setsigdef: ALL_SIGNALS,
      setsigmask: [],
    });
    const t3 = performance.now();
    closeFd(pidWrite);
    closeFd(goRead);
    const sub = sync ? readPidSync(pidRead) : await readPidAsync(pidRead);
    closeFd(pidRead);
    if (!(sub > 0)) fail("the hand-off shell reported no pid");
    const t4 = performance.now();
    const wasOn = childSubreaper.get() === true;
    if (!wasOn) childSubreaper.set(true);
    try {
      process.kill(shell, "SIGKILL");
      waitpid(shell, 0);
    } finally {
      if (!wasOn) childSubreaper.set(false);
    }
    const t5 = performance.now();
    writeSync(goWrite, "go\n");
    closeFd(goWrite);
    const t6 = performance.now();
    const [reaped, status] = sync ? wait4(sub, 0) : await wait4Async(sub);
    const t7 = performance.now();
    if (reaped !== sub || !WIFEXITED(status) || WEXITSTATUS(status) !== 0) fail(`handed-over /bin/true: pid ${reaped}, status ${status}`);
    const marks = [t0, t1, t2, t3, t4, t5, t6, t7];
    STEPS.forEach((step, i) => out[step].push(marks[i + 1]! - marks[i]!));
  }

  /** Synchronous posix_spawn + wait4 of `argv` (the environment run() would give a direct hand-off). */
  const shEnv = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== "PWD" && k !== "OLDPWD")) as Record<string, string>;
  function spawnSync(path: string, argv: string[]): void {
    const pid = posix_spawn(path, argv, shEnv, { setsigdef: ALL_SIGNALS, setsigmask: [] });
    const [reaped, status] = wait4(pid, 0);
    if (reaped !== pid || !WIFEXITED(status) || WEXITSTATUS(status) !== 0) fail(`${argv.join(" ")}: pid ${reaped}, status ${status}`);
  }

  const emptySteps = () => Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
  const steps = { async: emptySteps(), sync: emptySteps() };
  const totals: Record<string, number[]> = {};
  const cpuTotals: Record<string, number[]> = {};
  const variants: [string, () => Promise<void> | void][] = [
    ["copyAsync", () => handOffTimed(false, steps.async)],
    ["copySync", () => handOffTimed(true, steps.sync)],
    ["runHandoff", spawnHandoff],
    ["runPlain", spawnPlain],
    ["raw", spawnRaw],
    ["shColon", () => spawnSync("/bin/sh", ["sh", "-c", ":"])],
    ["shSubshell", () => spawnSync("/bin/sh", ["sh", "-c", "(:)"])],
    ["shSubshellExec", () => spawnSync("/bin/sh", ["sh", "-c", "(exec /bin/true)"])],
    ["shPrologue", () => spawnSync("/bin/sh", ["sh", "-c", "(read pid rest < /proc/self/stat; echo $pid >/dev/null; exec /bin/true)"])],
    // Four subshells in one shell: (this − shSubshellExec) / 3 is what one more command costs a
    // shell that is already running (a fork of dash, an exec, a wait).
    ["shSubshellExec4", () => spawnSync("/bin/sh", ["sh", "-c", "(exec /bin/true); (exec /bin/true); (exec /bin/true); (exec /bin/true)"])],
  ];
  for (const [, v] of variants) for (let i = 0; i < warmup; i++) await v();
  for (const s of Object.values(steps)) for (const k of STEPS) s[k].length = 0;
  for (let i = 0; i < n; i++) {
    // Round-robin, starting at another variant each time, so drift touches every one alike.
    for (let j = 0; j < variants.length; j++) {
      const [name, v] = variants[(i + j) % variants.length]!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await v();
      const t1 = performance.now();
      const c1 = process.cpuUsage(c0);
      (totals[name] ??= []).push(t1 - t0);
      (cpuTotals[name] ??= []).push((c1.user + c1.system) / 1000);
    }
  }
  checkNoChildren();
  // The copy's script must still be the library's: else its steps describe another hand-off.
  let inStep = false;
  try {
    inStep = readFileSync(new URL("../../src/run/handoff.ts", import.meta.url), "utf8").includes(JSON.stringify(PROLOGUE));
  } catch {}
  const med = (s: Record<Step, number[]>) => Object.fromEntries(STEPS.map((k) => [k, median(s[k])]));
  console.log(
    JSON.stringify({
      n,
      inStep,
      steps: { async: med(steps.async), sync: med(steps.sync) },
      totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, median(v)])),
      cpuTotals: Object.fromEntries(Object.entries(cpuTotals).map(([k, v]) => [k, median(v)])),
    }),
  );
}

if (mode === "peak") await peakMode();
else if (mode === "cost") await costMode();
else if (mode === "phases") await phasesMode();
else fail(`unknown mode ${mode}`);
