/**
 * run() against real commands: how they ended (exit codes, signals, real-time signals), the
 * result's honesty (timedOut, canceled, forced as they really happened), stdio (pipes, files,
 * descriptors, /dev/null, maxBuffer), cwd/env/argv exactly as given, killTree, the command's
 * own peak memory next to GNU time's, concurrent runs, that nothing is left behind (also when
 * the exec fails or the command is killed from outside), and that options are read once.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { MaxBufferError, PeakUnavailableError, run, waitpid, WNOHANG, type RunOptions, type RunResult, type SystemError } from "../../src/index.ts";
import { libc } from "../../src/ffi/load.ts";
import { closeHandoff, handoffShell, handoffUnavailable } from "../../src/run/handoff.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { changingGetter, counter, countingProxy } from "../helpers/hostile-spawn.ts";
import { childPids, openFds, newFds, ownPeakBytes, statFields } from "../helpers/procfs.ts";
import { runPythonJson } from "../helpers/python.ts";
import { xorshift32 } from "../helpers/random.ts";
import { thrown } from "../helpers/thrown.ts";

const dir = mkdtempSync(join(tmpdir(), "bun-wait4-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { SIGTERM, SIGKILL } = constants.signals;
const ownPeak = handoffUnavailable() === undefined;
const rtmin = libc.abi.realtimeSignals!.min;

const rejection = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as Error & { code?: string };

describe("how the command ended", () => {
  test("a non-zero exit is a result: exitCode set, signal null", async () => {
    const r = await run(["sh", "-c", "exit 3"]);
    expect(r).toMatchObject({ exitCode: 3, signal: null, signalName: null, shellExitCode: 3, state: { kind: "exited", code: 3 } });
  });

  test("a death by signal: signal, name and description set, exitCode null, shell code 128+N beside it", async () => {
    // python3, not `sh -c 'kill -TERM $$'`: mksh catches SIGTERM and exits 143 instead.
    const r = await run(["python3", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"]);
    expect(r).toMatchObject({ exitCode: null, signal: SIGTERM, signalName: "SIGTERM", signalDescription: "Terminated", shellExitCode: 128 + SIGTERM });
  });

  test("a real-time signal (SIGRTMIN+3) is a signal too: never both null", async () => {
    const r = await run(["sh", "-c", `kill -${rtmin + 3} $$`]);
    expect(r.exitCode).toBeNull();
    if (underEmulation()) {
      // qemu-user maps host real-time signals onto the guest's with an offset (it keeps two
      // for itself), so the sh (a host program) dying of 37 reaches the arm64 Bun as another.
      expect(r.signalName).toStartWith("SIGRTMIN");
      return;
    }
    expect(r.signal).toBe(rtmin + 3);
    expect(r.signalName).toBe("SIGRTMIN+3");
    expect(r.signalDescription).toBe("Real-time signal 3");
  });

  test("a core dump is reported as the kernel and CPython report it", async () => {
    const script = 'cd "$1" && ulimit -c unlimited && kill -6 $$'; // SIGABRT by number: zsh's kill knows no "ABRT"
    const ours = mkdtempSync(join(dir, "core-"));
    const r = await run(["sh", "-c", script, "sh", ours]);
    expect(r.signalName).toBe("SIGABRT");
    // CPython spawning the same shell: WCOREDUMP of its status.
    const theirs = mkdtempSync(join(dir, "core-py-"));
    const reference = runPythonJson(
      [
        "import os, json",
        `pid = os.posix_spawnp('sh', ['sh', '-c', ${JSON.stringify(script)}, 'sh', ${JSON.stringify(theirs)}], os.environ, setsigdef=(6,))`,
        "print(json.dumps(os.WCOREDUMP(os.waitpid(pid, 0)[1])))",
      ].join("\n"),
    );
    expect(r.coreDumped).toBe(reference as boolean);
    // Where the kernel writes cores into the dying process's cwd, a core file says it dumped.
    const pattern = readFileSync("/proc/sys/kernel/core_pattern", "utf8").trim();
    if (!pattern.startsWith("|") && !pattern.includes("/")) expect(readdirSync(ours).length > 0).toBe(r.coreDumped);
    rmSync(ours, { recursive: true, force: true });
    rmSync(theirs, { recursive: true, force: true });
  });

  test("a missing program rejects with ENOENT, a non-executable file with EACCES, before anything runs", async () => {
    expect((await rejection(run(["no-such-program-bun-wait4"]))).code).toBe("ENOENT");
    const file = join(dir, "plain.txt");
    writeFileSync(file, "not a program");
    chmodSync(file, 0o644);
    expect((await rejection(run([file]))).code).toBe("EACCES");
    expect((await rejection(run([dir]))).code).toBe("EACCES"); // a directory
  });

  test("the result is plain JSON: every figure survives JSON.stringify", async () => {
    const r = await run(["true"]);
    const copy = JSON.parse(JSON.stringify(r)) as RunResult;
    expect(copy).toEqual(r);
    for (const key of ["wallSeconds", "peakRssBytes", "pid", "status"] as const) expect(typeof copy[key]).toBe("number");
    expect(Object.keys(copy.rusage).length).toBe(16);
  });
});

describe("timeouts, aborts and escalation report what really happened", () => {
  test("timeout: the command gets SIGTERM, timedOut is true, and it is reaped (no orphan)", async () => {
    const r = await run(["sleep", "30"], { timeout: 100 });
    expect(r).toMatchObject({ timedOut: true, canceled: false, forced: false, signal: SIGTERM });
    expect(r.wallSeconds).toBeLessThan(5);
    expect(() => waitpid(r.pid, WNOHANG)).toThrow(/ECHILD/); // already reaped
  });

  test("a command that handles SIGTERM and exits 0: timedOut, not forced, exitCode 0", async () => {
    const r = await run(["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.01; done"], { timeout: 100, forceKillAfter: 2000 });
    expect(r).toMatchObject({ timedOut: true, forced: false, exitCode: 0, signal: null });
  });

  test("a command that ignores SIGTERM: escalated to SIGKILL after forceKillAfter, forced is true", async () => {
    const r = await run(["sh", "-c", "trap '' TERM; while :; do sleep 0.01; done"], { timeout: 100, forceKillAfter: 100, killTree: true });
    expect(r).toMatchObject({ timedOut: true, forced: true, signal: SIGKILL, signalName: "SIGKILL" });
  });

  test("killSignal by name or number, and an abort: canceled is true", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await run(["sleep", "30"], { signal: controller.signal, killSignal: "SIGINT" });
    expect(r).toMatchObject({ canceled: true, timedOut: false, signalName: "SIGINT" });
    expect((await run(["sleep", "30"], { timeout: 50, killSignal: constants.signals.SIGHUP })).signalName).toBe("SIGHUP");
  });

  test("a timeout that fires after the command ended changes nothing", async () => {
    const r = await run(["true"], { timeout: 5000 });
    expect(r).toMatchObject({ timedOut: false, canceled: false, forced: false, exitCode: 0 });
  });

  test("an already aborted signal rejects with its reason and starts nothing", async () => {
    await closeHandoff(); // no spare is being made in the background while we count
    const before = childPids();
    const reason = new Error("never mind");
    expect(await rejection(run(["sleep", "30"], { signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect([...childPids()].filter((p) => !before.has(p))).toEqual([]);
  });

  test("killTree: the whole process group is signalled, grandchildren included", async () => {
    const marker = join(dir, "grandchild.pid");
    const r = await run(["sh", "-c", `sleep 30 & echo $! > ${marker}; wait`], { timeout: 200, killTree: true });
    expect(r.timedOut).toBe(true);
    const grandchild = Number(readFileSync(marker, "utf8"));
    await Bun.sleep(50);
    // Gone, or a zombie waiting for its new parent (init here may be slow to reap it).
    let state = "gone";
    try {
      const stat = readFileSync(`/proc/${grandchild}/stat`, "utf8");
      state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]!;
    } catch {}
    expect(["gone", "Z"]).toContain(state);
  });
});

describe("stdin, stdout and stderr", () => {
  test("pipe: captured as text, or as bytes with encoding 'buffer'; stdin 'pipe' reads end-of-file", async () => {
    const r = await run(["sh", "-c", "cat; echo out; echo err >&2"], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    expect(r.stdout).toBe("out\n");
    expect(r.stderr).toBe("err\n");
    const b = await run(["printf", "\\001\\377"], { stdout: "pipe", encoding: "buffer" });
    expect(b.stdout).toEqual(new Uint8Array([1, 255]));
  });

  test("ignore: /dev/null; a file: { file } (and append); a descriptor of ours by number", async () => {
    const out = join(dir, "out.txt");
    await run(["sh", "-c", "echo one"], { stdout: { file: out } });
    await run(["sh", "-c", "echo two"], { stdout: { file: out, append: true } });
    expect(readFileSync(out, "utf8")).toBe("one\ntwo\n");
    const fd = openSync(join(dir, "by-fd.txt"), "w");
    try {
      await run(["sh", "-c", "echo via-fd >&2"], { stderr: fd });
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(join(dir, "by-fd.txt"), "utf8")).toBe("via-fd\n");
    const quiet = await run(["sh", "-c", "echo gone; read x; echo $?"], { stdin: "ignore", stdout: "pipe" });
    expect(quiet.stdout).toBe("gone\n1\n");
  });

  test("stdout: 2 and stderr: 1 swap this process's descriptors, not the child's new ones", async () => {
    const a = join(dir, "a.txt");
    const b = join(dir, "b.txt");
    const fa = openSync(a, "w");
    const fb = openSync(b, "w");
    try {
      await run(["sh", "-c", "echo to-out; echo to-err >&2"], { stdout: fb, stderr: fa });
    } finally {
      closeSync(fa);
      closeSync(fb);
    }
    expect(readFileSync(b, "utf8")).toBe("to-out\n");
    expect(readFileSync(a, "utf8")).toBe("to-err\n");
  });

  test("maxBuffer: more output kills the command, which is reaped; the error carries the result", async () => {
    const error = (await rejection(run(["python3", "-c", "import sys, time; sys.stdout.buffer.write(bytes(1000000)); sys.stdout.flush(); time.sleep(30)"], { stdout: "pipe", maxBuffer: 1000, encoding: "buffer" }))) as unknown as MaxBufferError;
    expect(error).toBeInstanceOf(MaxBufferError);
    expect(error.code).toBe("ERR_CHILD_PROCESS_STDIO_MAXBUFFER");
    expect((error.result.stdout as Uint8Array).length).toBe(1000);
    expect(error.result.signal).toBe(SIGTERM);
    expect(() => waitpid(error.result.pid, WNOHANG)).toThrow(/ECHILD/);
  });
});

describe("the command gets exactly what it was given", () => {
  test("argv untouched: spaces, quotes, $, newlines, a leading -, empty strings, non-ASCII", async () => {
    const args = ["a b", "'q'", '"dq"', "$HOME", "line\nbreak", "-n", "", "ünï ✓", "x=y"];
    const r = await run(["python3", "-c", "import sys, json; print(json.dumps(sys.argv[1:]))", ...args], { stdout: "pipe" });
    expect(JSON.parse(r.stdout as string)).toEqual(args);
  });

  test("env exactly, with names dash would drop or change (DOTTED.NAME, IFS, PWD), and an empty one", async () => {
    for (const env of [
      { PATH: process.env.PATH!, PLAIN: "a b=c", EMPTY: "" },
      { PATH: process.env.PATH!, "DOTTED.NAME": "kept", IFS: "x", PPID: "1" },
      { PATH: process.env.PATH!, PWD: "/not/the/cwd", OLDPWD: "/old" },
      // A variable named __proto__ (an own property, as JSON.parse makes it) is a variable too.
      JSON.parse(`{"PATH": ${JSON.stringify(process.env.PATH)}, "__proto__": "x"}`),
      {},
    ] as Record<string, string>[]) {
      const r = await run(["/usr/bin/env"], { env, stdout: "pipe" });
      const seen = (r.stdout as string).split("\n").filter(Boolean).sort();
      expect(seen).toEqual(Object.entries(env).map(([k, v]) => `${k}=${v}`).sort());
    }
  });

  test("cwd: the command starts there; a missing one fails the run", async () => {
    const r = await run(["pwd", "-P"], { cwd: dir, stdout: "pipe" });
    expect((r.stdout as string).trim()).toBe(realpathSync(dir));
    expect((await rejection(run(["true"], { cwd: join(dir, "missing") }))).code).toBe("ENOENT");
    writeFileSync(join(dir, "script.sh"), "#!/bin/sh\necho from-script\n", { mode: 0o755 });
    expect((await run(["./script.sh"], { cwd: dir, stdout: "pipe" })).stdout).toBe("from-script\n"); // relative to cwd
    writeFileSync(join(dir, "a-file"), "");
    expect((await rejection(run(["true"], { cwd: join(dir, "a-file") }))).code).toBe("ENOTDIR");
  });

  test("every standard signal starts at its default (SIGINT and SIGQUIT too), nothing blocked", async () => {
    const r = await run(["cat", "/proc/self/status"], { stdout: "pipe" });
    const STANDARD = (1n << 31n) - 1n;
    for (const field of ["SigIgn", "SigBlk", "SigCgt"]) {
      expect(BigInt(`0x${new RegExp(`${field}:\\s+(\\w+)`).exec(r.stdout as string)![1]}`) & STANDARD, field).toBe(0n);
    }
  });
});

describe("the command's own peak memory", () => {
  /** GNU time's %M for `argv`, started from a small shell. */
  const gnu = (argv: string[]) => Number(Bun.spawnSync(["sh", "-c", 'exec /usr/bin/time -f %M "$@"', "sh", ...argv], { stderr: "pipe" }).stderr.toString().trim().split("\n").at(-1));

  test("python3 -c pass: its own peak (GNU time's figure within 10%), not this test runner's", async () => {
    const argv = ["python3", "-c", "pass"];
    const own = await run(argv);
    const plain = await run(argv, { peak: "plain" });
    const runnerPeak = ownPeakBytes();
    expect(plain.peakRssIsOwn).toBe(false);
    // The runner's peak folded in. (Under qemu-user a spawn is a fork of the emulator, whose RSS
    // at that moment, not its peak, is what gets folded in: far above python's own, still.)
    if (underEmulation()) expect(plain.peakRssBytes).toBeGreaterThan(50 * 1024 * 1024);
    else expect(plain.peakRssBytes).toBeGreaterThanOrEqual(runnerPeak * 0.9);
    if (!ownPeak) {
      expect(own).toMatchObject({ peakRssIsOwn: false });
      expect(own.peakNote).toContain("started directly");
      return;
    }
    expect(own.peakRssIsOwn).toBe(true);
    expect(own.peakNote).toBeNull();
    const theirs = gnu(argv) * 1024;
    expect(Math.abs(own.peakRssBytes - theirs) / theirs).toBeLessThan(0.1);
    expect(own.peakRssBytes).toBeLessThan(runnerPeak / 2);
  });

  test("peak 'own' where the hand-off is impossible rejects with ERR_BUN_WAIT4_PEAK_UNAVAILABLE", async () => {
    if (ownPeak) return void expect((await run(["true"], { peak: "own" })).peakRssIsOwn).toBe(true);
    const error = await rejection(run(["true"], { peak: "own" }));
    expect(error).toBeInstanceOf(PeakUnavailableError);
    expect(error.code).toBe("ERR_BUN_WAIT4_PEAK_UNAVAILABLE");
  });

  test("concurrent runs each get their own child's figures", async () => {
    const sizes = [10, 40, 20, 80, 30];
    const results = await Promise.all(sizes.map((mib) => run(["python3", "-c", `b = bytearray(${mib} * 1024 * 1024)`])));
    results.forEach((r, i) => {
      expect(r.exitCode).toBe(0);
      expect(r.peakRssBytes).toBeGreaterThanOrEqual(sizes[i]! * 1024 * 1024);
      if (ownPeak) expect(r.peakRssBytes).toBeLessThan((sizes[i]! + 30) * 1024 * 1024);
    });
  });
});

describe("nothing is left behind", () => {
  test("100 runs — exits, signals, timeouts, pipes, missing programs — leave no child and no descriptor once the forker is closed", async () => {
    await closeHandoff();
    Bun.gc(true);
    const before = openFds();
    const children = childPids();
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) {
      const kind = i % 5;
      if (kind === 0) jobs.push(run(["sh", "-c", `exit ${i % 7}`]));
      else if (kind === 1) jobs.push(run(["sh", "-c", "kill -KILL $$"], { stdout: "pipe", stderr: "pipe" }));
      else if (kind === 2) jobs.push(run(["sleep", "30"], { timeout: 20, killTree: i % 2 === 0 }));
      else if (kind === 3) jobs.push(run(["no-such-program-bun-wait4"]).catch(() => {}));
      else jobs.push(run(["sh", "-c", "echo x; echo y >&2"], { stdout: "pipe", stderr: "pipe", stdin: "pipe" }));
    }
    await Promise.all(jobs);
    await closeHandoff();
    await Bun.sleep(50);
    Bun.gc(true);
    expect(newFds(before)).toEqual([]);
    expect([...childPids()].filter((p) => !children.has(p))).toEqual([]);
  });
});

describe("nothing is left behind when the exec fails or the command is killed from outside", () => {
  /** What a run came to: its rejection's code, or its exit code (or signal). */
  const outcome = (p: Promise<RunResult>) =>
    p.then(
      (r) => (r.exitCode === null ? { signal: r.signalName } : { exit: r.exitCode }),
      (e: SystemError) => ({ rejected: e.code, syscall: e.syscall }),
    );
  /** What Bun.spawnSync throws for `file` (its code), or its exit code. */
  const bunSpawn = (file: string) => {
    try {
      return { exit: Bun.spawnSync([file], { stdout: "ignore", stderr: "ignore" }).exitCode };
    } catch (e) {
      return { rejected: (e as { code?: string }).code };
    }
  };
  /**
   * The exit code the hand-off gives a command whose exec fails: its shell's `exec FILE` (the
   * "direct" route) or env's (the "env -i" route), each run as the hand-off runs it. Shells
   * differ (dash says 126 for a file it cannot exec; zsh 127; mksh, zsh, yash and busybox ash
   * run a NUL-led file as a script anyway), so this asks the shell rather than assuming. In
   * the test's directory: the random bytes' redirections create files wherever they run.
   */
  const handoffExit = async (file: string) => {
    const handoff = await handoffShell();
    if (typeof handoff === "string") throw new Error(handoff);
    const cmd = handoff.route === "env" ? ["/usr/bin/env", file] : [handoff.shell, "-c", 'exec "$0"', file];
    return Bun.spawnSync({ cmd, argv0: handoff.route === "env" ? "env" : "sh", stdout: "ignore", stderr: "ignore", cwd: dir }).exitCode;
  };
  /** The exit code `sh -c` gives when told to run `file` (in the test's directory, as above). */
  const shExit = (file: string) => Bun.spawnSync(["sh", "-c", '"$0"', file], { stdout: "ignore", stderr: "ignore", cwd: dir }).exitCode;

  test("an executable file that is no program (random bytes; a #! naming a missing interpreter) fails as Bun.spawnSync and the hand-off's shell say, in every peak mode, and leaves no child and no descriptor", async () => {
    const bytes = join(dir, "random-bytes");
    const next = xorshift32(0x5eed);
    // A NUL first (no "#!", no ELF magic; sh refuses it as binary rather than run it as a script).
    writeFileSync(bytes, Uint8Array.from({ length: 512 }, (_, i) => (i === 0 ? 0 : next() & 0xff)), { mode: 0o755 });
    const shebang = join(dir, "missing-interpreter");
    writeFileSync(shebang, "#!/no/such/interpreter-bun-wait4\necho never\n", { mode: 0o755 });
    const expected = { [bytes]: { code: "ENOEXEC" }, [shebang]: { code: "ENOENT" } };
    for (const [file, { code }] of Object.entries(expected)) {
      // qemu-user turns the spawn's vfork into a fork, so an exec failure there is an exit 127.
      expect(bunSpawn(file)).toEqual(underEmulation() ? { exit: 127 } : { rejected: code });
    }
    // dash as /bin/sh (the usual case) says 126 and 127: the test's files fail as intended.
    if (readlinkSync("/bin/sh").endsWith("dash")) expect([shExit(bytes), shExit(shebang)]).toEqual([126, 127]);
    await run(["true"]); // the async waits' own descriptors (the epoll set) are opened once, on first use
    await closeHandoff();
    Bun.gc(true);
    const fds = openFds();
    const children = childPids();
    for (const [file, { code }] of Object.entries(expected)) {
      const sh = handoffUnavailable() === undefined ? await handoffExit(file) : undefined;
      for (const stdio of ["inherit", "pipe"] as const) {
        const options = { stdout: stdio === "pipe" ? "pipe" : "ignore", stderr: stdio === "pipe" ? "pipe" : "ignore", stdin: stdio } as const;
        // Spawned directly: posix_spawn's own error, as Bun.spawnSync's (qemu-user: a fork, so exit 127).
        const plain = await outcome(run([file], { ...options, peak: "plain", cwd: dir }));
        expect(plain, `${file} plain ${stdio}`).toEqual(underEmulation() ? { exit: 127 } : { rejected: code, syscall: "posix_spawn" });
        // Handed over (the default): the subshell's exec fails as sh's does (README, Caveats);
        // where there is no hand-off, auto is plain.
        const auto = await outcome(run([file], { ...options, cwd: dir }));
        expect(auto, `${file} auto ${stdio}`).toEqual(sh === undefined ? plain : { exit: sh });
      }
    }
    await closeHandoff();
    await Bun.sleep(50);
    Bun.gc(true);
    expect(newFds(fds)).toEqual([]);
    expect([...childPids()].filter((p) => !children.has(p))).toEqual([]);
  });

  test("SIGKILL from outside right after it starts: a result with signal SIGKILL (not timedOut, canceled or forced), output so far captured, reaped, nothing left", async () => {
    await run(["true"]); // the async waits' own descriptors (the epoll set) are opened once, on first use
    await closeHandoff();
    Bun.gc(true);
    const fds = openFds();
    const children = childPids();
    const starts = [
      { peak: "auto", killTree: false },
      { peak: "auto", killTree: true },
      { peak: "plain", killTree: false },
    ] as const;
    for (const { peak, killTree } of starts) {
      const marker = join(dir, `started-${peak}-${killTree}`);
      rmSync(marker, { force: true });
      // $$ is the command's own pid: the shell that `exec`s sleep, as the result's pid must be.
      const pending = run(["sh", "-c", `echo started; echo err >&2; echo $$ > ${marker}.tmp && mv ${marker}.tmp ${marker}; exec sleep 30`], { stdout: "pipe", stderr: "pipe", peak, killTree, timeout: 20_000 });
      const until = Date.now() + 5000;
      while (!existsSync(marker) && Date.now() < until) await Bun.sleep(5);
      const pid = Number(readFileSync(marker, "utf8"));
      process.kill(pid, SIGKILL);
      const r = await pending;
      expect(r, `${peak} killTree ${killTree}`).toMatchObject({ pid, exitCode: null, signal: SIGKILL, signalName: "SIGKILL", timedOut: false, canceled: false, forced: false, stdout: "started\n", stderr: "err\n" });
      expect(r.wallSeconds).toBeLessThan(10);
      expect(() => waitpid(pid, WNOHANG)).toThrow(/ECHILD/); // already reaped
    }
    await closeHandoff();
    await Bun.sleep(50);
    Bun.gc(true);
    expect(newFds(fds)).toEqual([]);
    expect([...childPids()].filter((p) => !children.has(p))).toEqual([]);
  });
});

describe("options are read once, and what that reading gave is what is used", () => {
  test("options as a Proxy: its prototype and keys read once, each option once (an env and a { file } Proxy inside too)", async () => {
    const c = counter();
    const err = join(dir, "proxy-stderr.txt");
    const controller = new AbortController();
    const env = countingProxy({ PATH: process.env.PATH!, A: "1" } as Record<string, string>, c);
    const stderr = countingProxy({ file: err }, counter()); // a Proxy too, its reads not counted here
    const all = { cwd: dir, env, stdin: "ignore", stdout: "pipe", stderr, encoding: "utf8", maxBuffer: 1 << 20, timeout: 10_000, killSignal: "SIGTERM", forceKillAfter: 10_000, signal: controller.signal, killTree: true, peak: "auto" } as const;
    const options = countingProxy({ ...all }, c);
    const r = await run(["/usr/bin/env"], options as RunOptions);
    expect(r.exitCode).toBe(0);
    expect((r.stdout as string).split("\n").filter(Boolean).sort()).toEqual([`A=1`, `PATH=${process.env.PATH}`]);
    expect(readFileSync(err, "utf8")).toBe(""); // created (truncated) for stderr
    const once = Object.fromEntries(Object.keys(all).map((key) => [`get ${key}`, 1]));
    // The option Proxy's and env's reads together: getPrototypeOf and ownKeys once each, per object.
    expect(c.reads()).toEqual({ getPrototypeOf: 2, ownKeys: 2, ...once, "get PATH": 1, "get A": 1 });
  });

  test("a { file } Proxy for stdout: its prototype, keys and file each read once", async () => {
    const c = counter();
    const out = join(dir, "proxy-stdout.txt");
    const r = await run(["sh", "-c", "echo to-file"], { stdout: countingProxy({ file: out, append: false }, c) });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("to-file\n");
    expect(c.reads()).toEqual({ getPrototypeOf: 1, ownKeys: 1, "get file": 1, "get append": 1 });
  });

  test("an env Proxy: keys listed once, each value read once, and the command gets exactly those (direct and through env -i)", async () => {
    for (const names of [{ PLAIN: "a b" }, { "DOTTED.NAME": "kept", IFS: "x" }] as Record<string, string>[]) {
      const c = counter();
      const given = { PATH: process.env.PATH!, ...names };
      const r = await run(["/usr/bin/env"], { env: countingProxy({ ...given }, c), stdout: "pipe" });
      expect((r.stdout as string).split("\n").filter(Boolean).sort()).toEqual(Object.entries(given).map(([k, v]) => `${k}=${v}`).sort());
      expect(c.reads()).toEqual({ getPrototypeOf: 1, ownKeys: 1, ...Object.fromEntries(Object.keys(given).map((k) => [`get ${k}`, 1])) });
    }
  });

  /** `options` with `key` a getter that gives `good` on its first read and `bad` after; returns its read count. */
  function changing(options: Record<string, unknown>, key: string, good: unknown, bad: unknown): () => number {
    const c = counter();
    changingGetter(options, key, good, bad, 1, () => c.hit(key));
    return () => c.reads()[key] ?? 0;
  }

  test("timeout 5000 on the first read, NaN after: the command runs to its end (setTimeout(NaN) would fire at once)", async () => {
    const options: Record<string, unknown> = {};
    const reads = changing(options, "timeout", 5000, Number.NaN);
    const r = await run(["sleep", "0.2"], options);
    expect(r).toMatchObject({ exitCode: 0, timedOut: false });
    expect(reads()).toBe(1);
  });

  test("cwd a real directory on the first read, a missing one after: it runs there", async () => {
    const real = join(dir, "real-cwd");
    mkdirSync(real, { recursive: true });
    const options: Record<string, unknown> = { stdout: "pipe" };
    const reads = changing(options, "cwd", real, join(dir, "missing-cwd"));
    const r = await run(["pwd", "-P"], options);
    expect((r.stdout as string).trim()).toBe(realpathSync(real));
    expect(reads()).toBe(1);
  });

  test("env: a value 'first' then a number, a value then one with a NUL, options.env a plain object then a Map: the first readings are used", async () => {
    const env: Record<string, unknown> = { PATH: process.env.PATH };
    const a = changing(env, "CHANGING", "first", 7);
    const b = changing(env, "SMUGGLE", "visible", "visible\0INJECTED=1");
    let r = await run(["/usr/bin/env"], { env: env as Record<string, string>, stdout: "pipe" });
    expect((r.stdout as string).split("\n").filter(Boolean).sort()).toEqual(["CHANGING=first", `PATH=${process.env.PATH}`, "SMUGGLE=visible"]);
    expect([a(), b()]).toEqual([1, 1]);
    const options: Record<string, unknown> = { stdout: "pipe" };
    const e = changing(options, "env", { ONLY: "this" }, new Map([["ONLY", "that"]]));
    r = await run(["/usr/bin/env"], options);
    expect(r.stdout).toBe("ONLY=this\n");
    expect(e()).toBe(1);
  });

  const ownGroup = () => Number(statFields("self")[2]);
  const stdinFile = join(dir, "stdin.txt");
  writeFileSync(stdinFile, "from-file\n");
  // `good` may be a function making the value when the test runs (an AbortSignal.timeout).
  const cases: [key: string, good: unknown, bad: unknown, argv: string[], extra: Record<string, unknown>, check: (r: RunResult | Error) => void][] = [
    ["stdout", "pipe", "bogus", ["echo", "hi"], {}, (r) => expect((r as RunResult).stdout).toBe("hi\n")],
    ["stderr", "pipe", 1.5, ["sh", "-c", "echo e >&2"], {}, (r) => expect((r as RunResult).stderr).toBe("e\n")],
    ["stdin", { file: stdinFile }, "/etc/passwd", ["cat"], { stdout: "pipe" }, (r) => expect((r as RunResult).stdout).toBe("from-file\n")],
    ["encoding", "buffer", "latin1", ["printf", "ab"], { stdout: "pipe" }, (r) => expect((r as RunResult).stdout).toEqual(new Uint8Array([97, 98]))],
    ["maxBuffer", 2, -1, ["printf", "abc"], { stdout: "pipe" }, (r) => expect(((r as MaxBufferError).result.stdout as string)).toBe("ab")],
    ["killSignal", "SIGINT", "SIGBOGUS", ["sleep", "30"], { timeout: 50 }, (r) => expect(r).toMatchObject({ timedOut: true, signalName: "SIGINT" })],
    ["forceKillAfter", 50, Number.POSITIVE_INFINITY, ["sh", "-c", "trap '' TERM; while :; do sleep 0.01; done"], { timeout: 50, killTree: true }, (r) => expect(r).toMatchObject({ timedOut: true, forced: true })],
    ["signal", () => AbortSignal.timeout(50), {}, ["sleep", "30"], {}, (r) => expect(r).toMatchObject({ canceled: true, signalName: "SIGTERM" })],
    ["killTree", true, "yes", ["sh", "-c", "cut -d' ' -f5 /proc/$$/stat"], { stdout: "pipe" }, (r) => expect(Number((r as RunResult).stdout)).not.toBe(ownGroup())],
    ["peak", "plain", "mine", ["true"], {}, (r) => expect((r as RunResult).peakRssIsOwn).toBe(process.platform !== "linux")],
    ["timeout", 50, Number.NaN, ["sleep", "30"], {}, (r) => expect(r).toMatchObject({ timedOut: true, signalName: "SIGTERM" })],
  ];
  for (const [key, good, bad, argv, extra, check] of cases) {
    const shown = (v: unknown) => (typeof v === "string" ? `'${v}'` : typeof v === "function" ? "an AbortSignal" : v !== null && typeof v === "object" ? ("file" in v ? "{ file }" : "{}") : String(v));
    test(`${key} ${shown(good)} on the first read, ${shown(bad)} after: read once, the first value used`, async () => {
      const options: Record<string, unknown> = { ...extra };
      const reads = changing(options, key, typeof good === "function" ? good() : good, bad);
      const r = await run(argv, options).catch((e: Error) => e);
      check(r);
      expect(reads()).toBe(1);
    });
  }
});

describe("bad options are rejected before anything starts", () => {
  const cases: [label: string, options: unknown, code: string][] = [
    ["timeout NaN", { timeout: Number.NaN }, "ERR_OUT_OF_RANGE"],
    ["timeout -1", { timeout: -1 }, "ERR_OUT_OF_RANGE"],
    ["timeout '5'", { timeout: "5" }, "ERR_INVALID_ARG_TYPE"],
    ["timeout 2**31", { timeout: 2 ** 31 }, "ERR_OUT_OF_RANGE"],
    ["forceKillAfter Infinity", { forceKillAfter: Number.POSITIVE_INFINITY }, "ERR_OUT_OF_RANGE"],
    ["killSignal 'SIGBOGUS'", { killSignal: "SIGBOGUS" }, "ERR_INVALID_ARG_VALUE"],
    ["killSignal 0", { killSignal: 0 }, "ERR_OUT_OF_RANGE"],
    ["killSignal 1.5", { killSignal: 1.5 }, "ERR_OUT_OF_RANGE"],
    ["an unknown option", { timeOut: 5 }, "ERR_INVALID_ARG_VALUE"],
    ["stdout 'bogus'", { stdout: "bogus" }, "ERR_INVALID_ARG_VALUE"],
    ["stdin a path string", { stdin: "/etc/passwd" }, "ERR_INVALID_ARG_VALUE"],
    ["peak 'mine'", { peak: "mine" }, "ERR_INVALID_ARG_VALUE"],
    ["env a Map", { env: new Map() }, "ERR_INVALID_ARG_TYPE"],
    ["env value a number", { env: { A: 1 } }, "ERR_INVALID_ARG_TYPE"],
    ["signal not an AbortSignal", { signal: {} }, "ERR_INVALID_ARG_TYPE"],
    ["options a class instance", new (class Opts {})(), "ERR_INVALID_ARG_TYPE"],
    ["encoding 'latin1'", { encoding: "latin1" }, "ERR_INVALID_ARG_VALUE"],
  ];
  for (const [label, options, code] of cases) {
    test(`${label}: ${code}, thrown synchronously`, async () => {
      await closeHandoff(); // no spare is being made in the background while we count
      const before = childPids();
      expect((thrown(() => run(["true"], options as never)) as { code: string }).code).toBe(code);
      expect([...childPids()].filter((p) => !before.has(p))).toEqual([]);
    });
  }

  test("an unknown peak: the message lists every value peak takes", () => {
    expect(thrown(() => run(["true"], { peak: "mine" as never }))).toMatchObject({
      code: "ERR_INVALID_ARG_VALUE",
      message: `The argument 'peak' must be "own", "plain" or "auto". Received 'mine'`,
    });
  });

  test("argv: not an array, empty, a hole, a non-string: argument errors", () => {
    const sparse: string[] = ["true"];
    sparse.length = 2;
    for (const argv of ["true", [], sparse, ["true", 1], [""]]) expect(thrown(() => run(argv as never))).toBeInstanceOf(TypeError);
  });

  test("a missing program rejects with a SystemError from posix_spawn, errno -ENOENT", async () => {
    const e = (await rejection(run(["no-such-program-bun-wait4"]))) as unknown as SystemError;
    expect(e.syscall).toBe("posix_spawn");
    expect(e.errno).toBe(-constants.errno.ENOENT);
    if (underEmulation()) expect(handoffUnavailable()).toContain("PR_SET_CHILD_SUBREAPER");
  });
});
