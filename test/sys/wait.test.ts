/**
 * wait4, waitpid, waitid and pidfd_open on real children started with posix_spawnp:
 * exits, signal deaths, core dumps, stops and continues, WNOWAIT, WNOHANG, pidfds.
 * Expected si_code values come from CPython's os module, signal numbers from node:os.
 * Every wait here names one pid of ours (never -1, 0 or a group: see wait-groups.test.ts).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { closeSync, fstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodeStatus,
  P_PID,
  P_PIDFD,
  PIDFD_NONBLOCK,
  pidfd_open,
  posix_spawnp,
  RUSAGE_FIELDS,
  SystemError,
  wait4,
  waitid,
  waitpid,
  waitstatus_to_exitcode,
  WCONTINUED,
  WCOREDUMP,
  WEXITED,
  WEXITSTATUS,
  WIFCONTINUED,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WNOHANG,
  WNOWAIT,
  WSTOPPED,
  WSTOPSIG,
  WTERMSIG,
  WUNTRACED,
} from "../../src/index.ts";
import { killAndReap, spawnSh } from "../helpers/live.ts";
import { procStat } from "../helpers/procfs.ts";
import { pythonOsConstants, runPythonJson } from "../helpers/python.ts";
import { thrown } from "../helpers/thrown.ts";

// Live children, CPython and fixture subprocesses: slow CI and qemu runs need more than
// bun's 5 s default (bunfig.toml's [test] timeout is not a setting bun reads).
setDefaultTimeout(60_000);

const { SIGCHLD, SIGKILL, SIGTERM, SIGSTOP, SIGCONT, SIGQUIT, SIGABRT } = constants.signals;
const CLD = pythonOsConstants();

function expectSystemError(error: unknown, code: string, syscall: string): void {
  expect(error).toBeInstanceOf(SystemError);
  const e = error as SystemError;
  expect(e.code).toBe(code);
  expect(e.errno).toBe(-(constants.errno as Record<string, number>)[code]!);
  expect(e.syscall).toBe(syscall);
}

/** Waits (blocking, up to 5 s) until /proc shows `pid` in state `state` ("T" stopped, "S" sleeping). */
function awaitProcState(pid: number, states: string): void {
  const until = Date.now() + 5000;
  while (!states.includes(procStat(pid).state)) {
    if (Date.now() > until) throw new Error(`pid ${pid} never reached state ${states}`);
    Bun.sleepSync(2);
  }
}

describe("exit codes", () => {
  for (const code of [0, 1, 3, 255]) {
    test(`wait4 reports exit ${code} with the child's pid and a filled rusage`, () => {
      const pid = spawnSh(`exit ${code}`);
      try {
        const [got, status, usage] = wait4(pid, 0);
        expect(got).toBe(pid);
        expect(WIFEXITED(status)).toBe(true);
        expect(WEXITSTATUS(status)).toBe(code);
        expect(WIFSIGNALED(status)).toBe(false);
        expect(status).toBe(code << 8); // Linux: exit code in bits 8-15, low byte 0
        expect(waitstatus_to_exitcode(status)).toBe(code);
        expect(Object.keys(usage)).toEqual([...RUSAGE_FIELDS]);
        expect(usage.ru_maxrss).toBeGreaterThan(0); // the kernel filled it: a real sh has pages
        expect(usage.ru_minflt).toBeGreaterThan(0);
      } finally {
        killAndReap(pid);
      }
    });

    test(`waitpid reports exit ${code}`, () => {
      const pid = spawnSh(`exit ${code}`);
      try {
        expect(waitpid(pid, 0)).toEqual([pid, code << 8]);
      } finally {
        killAndReap(pid);
      }
    });

    test(`waitid(P_PID, pid, WEXITED) reports exit ${code} as CLD_EXITED`, () => {
      const pid = spawnSh(`exit ${code}`);
      try {
        expect(waitid(P_PID, pid, WEXITED)).toEqual({
          si_pid: pid,
          si_uid: process.getuid!(),
          si_signo: SIGCHLD,
          si_status: code,
          si_code: CLD.CLD_EXITED,
        });
        // It was reaped: nothing is left to wait for.
        expectSystemError(thrown(() => waitpid(pid, 0)), "ECHILD", "waitpid");
      } finally {
        killAndReap(pid);
      }
    });
  }
});

describe("deaths by signal", () => {
  for (const [name, signal] of [["SIGKILL", SIGKILL], ["SIGTERM", SIGTERM]] as const) {
    test(`wait4 reports a sleep killed by ${name}`, () => {
      const pid = posixSleep();
      try {
        process.kill(pid, name);
        const [got, status, usage] = wait4(pid, 0);
        expect(got).toBe(pid);
        expect(WIFSIGNALED(status)).toBe(true);
        expect(WIFEXITED(status)).toBe(false);
        expect(WTERMSIG(status)).toBe(signal);
        expect(WCOREDUMP(status)).toBe(false);
        expect(status).toBe(signal);
        expect(waitstatus_to_exitcode(status)).toBe(-signal);
        expect(decodeStatus(status)).toEqual({ kind: "signaled", signal, signalName: name, coreDumped: false });
        expect(usage.ru_maxrss).toBeGreaterThan(0);
      } finally {
        killAndReap(pid);
      }
    });

    test(`waitid reports a sleep killed by ${name} as CLD_KILLED`, () => {
      const pid = posixSleep();
      try {
        process.kill(pid, name);
        expect(waitid(P_PID, pid, WEXITED)).toEqual({
          si_pid: pid,
          si_uid: process.getuid!(),
          si_signo: SIGCHLD,
          si_status: signal,
          si_code: CLD.CLD_KILLED,
        });
      } finally {
        killAndReap(pid);
      }
    });
  }
});

function posixSleep(): number {
  return posix_spawnp("sleep", ["sleep", "30"], process.env);
}

describe("core dumps", () => {
  const pattern = readFileSync("/proc/sys/kernel/core_pattern", "utf8").trim();
  // A pattern without "|" or "/" writes the core file into the dying process's cwd.
  const coreGoesToCwd = !pattern.startsWith("|") && !pattern.includes("/");
  // An ignored signal stays ignored across exec (POSIX), and a test process started from a
  // background job (`cmd &` in a script) inherits SIGINT and SIGQUIT ignored: the shell then
  // survives `kill -QUIT $$` and exits 98. So the shells get both signals at their default
  // action explicitly (setsigdef), here and in the CPython reference. Should exit 98 happen
  // anyway, "$1.sigs" shows the shell's blocked and ignored sets in the failure message.
  const script = 'cd "$1" || exit 99; ulimit -c unlimited; grep -E "^Sig(Blk|Ign)" /proc/$$/status > "$1.sigs"; kill -$2 $$; exit 98';
  const defaults = { setsigdef: [SIGQUIT, SIGABRT] };

  /** CPython doing the same: WCOREDUMP of os.waitpid, and os.waitid's si_code. */
  function cpython(signal: string, dir: string): { coreDumped: boolean; si_code: number; si_status: number } {
    return runPythonJson(
      [
        "import os, sys, json, signal",
        `argv = ['sh', '-c', ${JSON.stringify(script)}, 'sh', ${JSON.stringify(dir)}, ${JSON.stringify(signal)}]`,
        "defaults = (signal.SIGQUIT, signal.SIGABRT)",
        "pid = os.posix_spawnp('sh', argv, os.environ, setsigdef=defaults)",
        "_, status = os.waitpid(pid, 0)",
        "pid = os.posix_spawnp('sh', argv, os.environ, setsigdef=defaults)",
        "r = os.waitid(os.P_PID, pid, os.WEXITED)",
        "print(json.dumps({'coreDumped': os.WCOREDUMP(status), 'si_code': r.si_code, 'si_status': r.si_status}))",
      ].join("\n"),
    ) as { coreDumped: boolean; si_code: number; si_status: number };
  }

  for (const [name, signal] of [["QUIT", SIGQUIT], ["ABRT", SIGABRT]] as const) {
    test(`SIG${name} with ulimit -c unlimited: WCOREDUMP and CLD_DUMPED agree with the kernel and CPython`, () => {
      const ours = mkdtempSync(join(tmpdir(), "bun-wait4-core-"));
      const theirs = mkdtempSync(join(tmpdir(), "bun-wait4-core-py-"));
      let pid = 0;
      try {
        pid = spawnSh(script, [ours, name], defaults);
        const [, status] = waitpid(pid, 0);
        const sigs = () => readFileSync(`${ours}.sigs`, "utf8").replace(/\s+/g, " ");
        expect(WIFSIGNALED(status), `status 0x${status.toString(16)}; the shell's ${sigs()}`).toBe(true);
        expect(WTERMSIG(status)).toBe(signal);
        const dumped = WCOREDUMP(status);
        const cores = readdirSync(ours);
        if (coreGoesToCwd) expect(cores.length > 0).toBe(dumped);
        expect(decodeStatus(status)).toEqual({ kind: "signaled", signal, signalName: `SIG${name}`, coreDumped: dumped });
        expect(waitstatus_to_exitcode(status)).toBe(-signal);
        for (const core of cores) rmSync(join(ours, core));

        pid = spawnSh(script, [ours, name], defaults);
        const info = waitid(P_PID, pid, WEXITED);
        expect(info?.si_status).toBe(signal);

        const reference = cpython(name, theirs);
        expect(dumped).toBe(reference.coreDumped);
        expect(info?.si_code).toBe(reference.si_code);
        expect(info?.si_code).toBe(dumped ? CLD.CLD_DUMPED : CLD.CLD_KILLED);
        expect(reference.si_status).toBe(signal);
      } finally {
        killAndReap(pid);
        rmSync(ours, { recursive: true, force: true });
        rmSync(`${ours}.sigs`, { force: true });
        rmSync(theirs, { recursive: true, force: true });
      }
    });
  }
});

describe("stop and continue", () => {
  test("waitpid WUNTRACED sees SIGSTOP, waitpid WCONTINUED sees SIGCONT", () => {
    const pid = posixSleep();
    try {
      process.kill(pid, "SIGSTOP");
      const [got, status] = waitpid(pid, WUNTRACED);
      expect(got).toBe(pid);
      expect(WIFSTOPPED(status)).toBe(true);
      expect(WSTOPSIG(status)).toBe(SIGSTOP);
      expect(WIFEXITED(status) || WIFSIGNALED(status) || WIFCONTINUED(status)).toBe(false);
      expect(status).toBe((SIGSTOP << 8) | 0x7f);
      expect(procStat(pid).state).toBe("T");
      expect(decodeStatus(status)).toEqual({ kind: "stopped", signal: SIGSTOP, signalName: "SIGSTOP" });

      process.kill(pid, "SIGCONT");
      const [again, continued] = waitpid(pid, WCONTINUED);
      expect(again).toBe(pid);
      expect(WIFCONTINUED(continued)).toBe(true);
      expect(WIFSTOPPED(continued) || WIFEXITED(continued) || WIFSIGNALED(continued)).toBe(false);
      expect(continued).toBe(0xffff);
      expect(decodeStatus(continued)).toEqual({ kind: "continued" });
      awaitProcState(pid, "SR");
    } finally {
      killAndReap(pid);
    }
  });

  test("waitid WSTOPPED reports CLD_STOPPED, waitid WCONTINUED reports CLD_CONTINUED", () => {
    const pid = posixSleep();
    try {
      const uid = process.getuid!();
      process.kill(pid, "SIGSTOP");
      expect(waitid(P_PID, pid, WSTOPPED)).toEqual({
        si_pid: pid,
        si_uid: uid,
        si_signo: SIGCHLD,
        si_status: SIGSTOP,
        si_code: CLD.CLD_STOPPED,
      });
      process.kill(pid, "SIGCONT");
      expect(waitid(P_PID, pid, WCONTINUED)).toEqual({
        si_pid: pid,
        si_uid: uid,
        si_signo: SIGCHLD,
        si_status: SIGCONT,
        si_code: CLD.CLD_CONTINUED,
      });
      // Still alive and running: nothing more to report without waiting.
      expect(waitid(P_PID, pid, WEXITED | WSTOPPED | WCONTINUED | WNOHANG)).toBeNull();
    } finally {
      killAndReap(pid);
    }
  });

  test("wait4 WUNTRACED returns the stop with the stopped child's rusage", () => {
    const pid = posixSleep();
    try {
      process.kill(pid, "SIGSTOP");
      const [got, status, usage] = wait4(pid, WUNTRACED);
      expect(got).toBe(pid);
      expect(WIFSTOPPED(status)).toBe(true);
      expect(WSTOPSIG(status)).toBe(SIGSTOP);
      expect(Object.keys(usage)).toEqual([...RUSAGE_FIELDS]);
      for (const field of RUSAGE_FIELDS) expect(typeof usage[field]).toBe("number");
      // A live, stopped `sleep` has resident pages: the kernel filled the struct.
      expect(usage.ru_maxrss).toBeGreaterThan(0);
      expect(usage.ru_minflt).toBeGreaterThan(0);
      // The stop was consumed; the child is not reaped, SIGKILL still ends it.
      process.kill(pid, "SIGKILL");
      const [, end] = waitpid(pid, 0);
      expect(WTERMSIG(end)).toBe(SIGKILL);
    } finally {
      killAndReap(pid);
    }
  });
});

describe("WNOWAIT", () => {
  test("waitid WNOWAIT peeks, wait4 then reaps the same exit, a second wait4 gives ECHILD", () => {
    const pid = spawnSh("exit 7");
    try {
      const peek = waitid(P_PID, pid, WEXITED | WNOWAIT);
      expect(peek).toEqual({
        si_pid: pid,
        si_uid: process.getuid!(),
        si_signo: SIGCHLD,
        si_status: 7,
        si_code: CLD.CLD_EXITED,
      });
      // Still a zombie after the peek.
      expect(procStat(pid).state).toBe("Z");
      const [got, status] = wait4(pid, 0);
      expect(got).toBe(pid);
      expect(WIFEXITED(status)).toBe(true);
      expect(WEXITSTATUS(status)).toBe(peek!.si_status);
      const error = thrown(() => wait4(pid, 0));
      expectSystemError(error, "ECHILD", "wait4");
      expect((error as SystemError).errno).toBe(-10);
      expect((error as Error).message).toBe("ECHILD: no child processes, wait4");
    } finally {
      killAndReap(pid);
    }
  });
});

describe("WNOHANG on a running child", () => {
  test("wait4 gives [0, 0, all-zero rusage], waitpid [0, 0], waitid null; the child lives on", () => {
    const pid = posixSleep();
    try {
      const [got, status, usage] = wait4(pid, WNOHANG);
      expect(got).toBe(0);
      expect(status).toBe(0);
      expect(Object.keys(usage)).toEqual([...RUSAGE_FIELDS]);
      expect(Object.keys(usage)).toHaveLength(16);
      for (const field of RUSAGE_FIELDS) expect(usage[field]).toBe(0);
      expect(waitpid(pid, WNOHANG)).toEqual([0, 0]);
      expect(waitid(P_PID, pid, WEXITED | WNOHANG)).toBeNull();
      expect(procStat(pid).state).not.toBe("Z");
      process.kill(pid, "SIGTERM");
      const [reaped, end] = waitpid(pid, 0);
      expect(reaped).toBe(pid);
      expect(WTERMSIG(end)).toBe(SIGTERM);
    } finally {
      killAndReap(pid);
    }
  });
});

describe("pidfd_open", () => {
  test("waitid(P_PIDFD, fd, WEXITED) reports the child's exit; the fd is a pidfd and closes", () => {
    const pid = spawnSh("sleep 0.05; exit 42");
    let fd = -1;
    try {
      fd = pidfd_open(pid);
      expect(fd).toBeGreaterThan(2);
      expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe("anon_inode:[pidfd]");
      expect(waitid(P_PIDFD!, fd, WEXITED)).toEqual({
        si_pid: pid,
        si_uid: process.getuid!(),
        si_signo: SIGCHLD,
        si_status: 42,
        si_code: CLD.CLD_EXITED,
      });
      closeSync(fd);
      const closed = fd;
      fd = -1;
      expect((thrown(() => fstatSync(closed)) as { code?: unknown }).code).toBe("EBADF");
      expectSystemError(thrown(() => waitpid(pid, 0)), "ECHILD", "waitpid");
    } finally {
      if (fd !== -1) closeSync(fd);
      killAndReap(pid);
    }
  });

  test("pidfd_open of a pid that cannot exist gives ESRCH", () => {
    // Pids are always below pid_max.
    const pidMax = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8"));
    expectSystemError(thrown(() => pidfd_open(pidMax)), "ESRCH", "pidfd_open");
  });

  test("waitid on a PIDFD_NONBLOCK pidfd of a running child gives EAGAIN, as the kernel does for CPython", () => {
    // What this kernel does (Linux >= 5.10 returns EAGAIN), measured through CPython.
    const reference = runPythonJson(
      [
        "import os, json",
        "pid = os.posix_spawnp('sleep', ['sleep', '30'], os.environ)",
        "fd = os.pidfd_open(pid, os.O_NONBLOCK)",
        "try:",
        "    os.waitid(os.P_PIDFD, fd, os.WEXITED); out = None",
        "except OSError as e:",
        "    import errno; out = errno.errorcode[e.errno]",
        "os.kill(pid, 9); os.waitpid(pid, 0); os.close(fd)",
        "print(json.dumps(out))",
      ].join("\n"),
    );
    expect(reference).toBe("EAGAIN");

    const pid = posixSleep();
    let fd = -1;
    try {
      fd = pidfd_open(pid, PIDFD_NONBLOCK!);
      expectSystemError(thrown(() => waitid(P_PIDFD!, fd, WEXITED)), reference as string, "waitid");
      // Still running and still ours.
      expect(waitpid(pid, WNOHANG)).toEqual([0, 0]);
      process.kill(pid, "SIGKILL");
      // Not readable yet the moment kill returns; the blocking pid wait is the sure one.
      const [, status] = waitpid(pid, 0);
      expect(WTERMSIG(status)).toBe(SIGKILL);
    } finally {
      if (fd !== -1) closeSync(fd);
      killAndReap(pid);
    }
  });
});
