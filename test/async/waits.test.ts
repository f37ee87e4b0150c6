/**
 * bun-wait4/promises against real children: exits, signals, stops and continues, WNOWAIT,
 * WNOHANG, several waits on one pid, aborts, children nobody waits for, and what a wait does
 * to the event loop. The same file runs again under the fallback (test/async/fallback.test.ts
 * sets BUN_WAIT4_EXIT_WATCH=scan), so every case holds for both mechanisms.
 */
import { describe, expect, test } from "bun:test";
import { closeSync } from "node:fs";
import { constants } from "node:os";
import {
  CLD_CONTINUED,
  CLD_EXITED,
  CLD_KILLED,
  CLD_STOPPED,
  P_ALL,
  P_PGID,
  P_PID,
  P_PIDFD,
  WCONTINUED,
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
  pidfd_open,
  posix_spawnp,
  waitpid as waitpidSync,
  type SystemError,
} from "../../src/index.ts";
import { wait4, waitid, waitpid } from "../../src/promises.ts";
import { exitWatchKind } from "../../src/async/registry.ts";
import { killAndReap, spawnSh } from "../helpers/live.ts";
import { thrown } from "../helpers/thrown.ts";
import { BAD_INTS } from "../helpers/bad-values.ts";

const { SIGSTOP, SIGCONT, SIGKILL, SIGTERM } = constants.signals;
const sleeper = () => posix_spawnp("sleep", ["sleep", "30"], process.env);
const forcedScan = process.env.BUN_WAIT4_EXIT_WATCH === "scan";

test("the mechanism in use after a wait is the one expected here (epoll on Linux, scan when forced)", async () => {
  const pid = spawnSh("exit 0");
  await wait4(pid);
  expect(exitWatchKind()).toBe(forcedScan ? "scan" : "epoll");
});

describe("exits", () => {
  test("100 concurrent children with distinct exit codes all resolve with their own status and rusage", async () => {
    const pids = Array.from({ length: 100 }, (_, i) => spawnSh(`sleep 0.0${i % 10}; exit ${i}`));
    try {
      const results = await Promise.all(pids.map((pid) => wait4(pid)));
      results.forEach(([pid, status, rusage], i) => {
        expect(pid).toBe(pids[i]!);
        expect(WIFEXITED(status)).toBe(true);
        expect(WEXITSTATUS(status)).toBe(i);
        expect(rusage.ru_maxrss).toBeGreaterThan(0);
      });
    } finally {
      pids.forEach(killAndReap);
    }
  });

  test("a child that exited before the wait began resolves at once (the registration looks)", async () => {
    const pid = spawnSh("exit 7");
    Bun.sleepSync(100); // a zombie now; its SIGCHLD came before any wait existed
    const [got, status] = await waitpid(pid);
    expect(got).toBe(pid);
    expect(WEXITSTATUS(status)).toBe(7);
  });

  test("a death by signal: waitpid's status and waitid's CLD_KILLED", async () => {
    const a = sleeper();
    const b = sleeper();
    const pa = waitpid(a);
    const pb = waitid(P_PID, b, WEXITED);
    process.kill(a, "SIGTERM");
    process.kill(b, "SIGKILL");
    const [, status] = await pa;
    expect(WIFSIGNALED(status) && WTERMSIG(status)).toBe(SIGTERM);
    expect(await pb).toMatchObject({ si_pid: b, si_code: CLD_KILLED, si_status: SIGKILL, si_signo: constants.signals.SIGCHLD });
  });

  test("the event loop keeps ticking while a wait is pending", async () => {
    const pid = spawnSh("sleep 0.3");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await wait4(pid);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(10);
  });
});

describe("stops and continues", () => {
  test("a stop reaches a WUNTRACED wait and a continue a WCONTINUED wait; the exit comes after", async () => {
    const pid = sleeper();
    try {
      const stopped = waitpid(pid, WUNTRACED);
      process.kill(pid, "SIGSTOP");
      const [, s1] = await stopped;
      expect(WIFSTOPPED(s1) && WSTOPSIG(s1)).toBe(SIGSTOP);
      const continued = waitpid(pid, WCONTINUED);
      process.kill(pid, "SIGCONT");
      expect(WIFCONTINUED((await continued)[1])).toBe(true);
      const end = wait4(pid);
      process.kill(pid, "SIGKILL");
      expect(WTERMSIG((await end)[1])).toBe(SIGKILL);
    } finally {
      killAndReap(pid);
    }
  });

  test("waitid(WSTOPPED) and waitid(WCONTINUED) report CLD_STOPPED and CLD_CONTINUED", async () => {
    const pid = sleeper();
    try {
      const stopped = waitid(P_PID, pid, WSTOPPED);
      process.kill(pid, "SIGSTOP");
      expect(await stopped).toMatchObject({ si_pid: pid, si_code: CLD_STOPPED, si_status: SIGSTOP });
      const continued = waitid(P_PID, pid, WCONTINUED);
      process.kill(pid, "SIGCONT");
      expect(await continued).toMatchObject({ si_pid: pid, si_code: CLD_CONTINUED, si_status: SIGCONT });
    } finally {
      killAndReap(pid);
    }
  });

  test("a stop waiter does not take the exit another waiter expects; both are right", async () => {
    const pid = sleeper();
    try {
      const stopWait = waitpid(pid, WUNTRACED); // wants the stop or the exit
      const exitWait = wait4(pid); // wants only the exit
      process.kill(pid, "SIGSTOP");
      expect(WIFSTOPPED((await stopWait)[1])).toBe(true);
      // the exit wait is still pending, and the stop did not consume it
      expect(waitpidSync(pid, WNOHANG)).toEqual([0, 0]);
      process.kill(pid, "SIGKILL");
      const [got, status] = await exitWait;
      expect(got).toBe(pid);
      expect(WTERMSIG(status)).toBe(SIGKILL);
    } finally {
      killAndReap(pid);
    }
  });

  test("a waitid(WSTOPPED) waiter on a child that exits instead gets ECHILD once another wait reaps it", async () => {
    const pid = spawnSh("sleep 0.1; exit 3");
    const stopOnly = waitid(P_PID, pid, WSTOPPED);
    const [, status] = await wait4(pid);
    expect(WEXITSTATUS(status)).toBe(3);
    const error = (await stopOnly.catch((e: unknown) => e)) as SystemError;
    expect(error.code).toBe("ECHILD");
    expect(error.syscall).toBe("waitid");
  });
});

describe("WNOWAIT and WNOHANG", () => {
  test("waitid(WEXITED | WNOWAIT) reports the exit and leaves the child to be reaped", async () => {
    const pid = spawnSh("sleep 0.05; exit 5");
    const peek = await waitid(P_PID, pid, WEXITED | WNOWAIT);
    expect(peek).toMatchObject({ si_pid: pid, si_code: CLD_EXITED, si_status: 5 });
    const [got, status] = waitpidSync(pid, WNOHANG); // still there: reap it synchronously
    expect(got).toBe(pid);
    expect(WEXITSTATUS(status)).toBe(5);
  });

  test("WNOHANG looks once: nothing yet gives [0, 0, zeros] / [0, 0] / null, and the child is untouched", async () => {
    const pid = sleeper();
    try {
      const [p, s, usage] = await wait4(pid, WNOHANG);
      expect([p, s]).toEqual([0, 0]);
      expect(Object.values(usage).every((v) => v === 0)).toBe(true);
      expect(await waitpid(pid, WNOHANG)).toEqual([0, 0]);
      expect(await waitid(P_PID, pid, WEXITED | WNOHANG)).toBeNull();
      expect(waitpidSync(pid, WNOHANG)).toEqual([0, 0]);
    } finally {
      killAndReap(pid);
    }
  });

  test("WNOHANG on a zombie reaps it", async () => {
    const pid = spawnSh("exit 9");
    Bun.sleepSync(100);
    const [got, status] = await waitpid(pid, WNOHANG);
    expect(got).toBe(pid);
    expect(WEXITSTATUS(status)).toBe(9);
  });
});

describe("several waits on one pid", () => {
  test("two exit waits both resolve with the same result (one reap)", async () => {
    const pid = spawnSh("sleep 0.05; exit 4");
    const [a, b] = await Promise.all([wait4(pid), wait4(pid)]);
    expect(a[0]).toBe(pid);
    expect(a).toEqual(b);
    const c = await waitpid(pid).catch((e: unknown) => e); // after the reap: not our child any more
    expect((c as SystemError).code).toBe("ECHILD");
  });

  test("wait4, waitpid, waitid and a WNOWAIT look all see the same exit", async () => {
    const pid = spawnSh("sleep 0.05; exit 6");
    const [w4, wp, wi, peek] = await Promise.all([wait4(pid), waitpid(pid), waitid(P_PID, pid, WEXITED), waitid(P_PID, pid, WEXITED | WNOWAIT)]);
    expect(WEXITSTATUS(w4[1])).toBe(6);
    expect(wp).toEqual([pid, w4[1]]);
    expect(wi).toMatchObject({ si_pid: pid, si_code: CLD_EXITED, si_status: 6 });
    expect(peek).toEqual(wi);
  });
});

describe("abort", () => {
  test("an AbortSignal that is already aborted rejects with its reason and leaves the child waitable", async () => {
    const pid = sleeper();
    try {
      const reason = new Error("not now");
      const error = await wait4(pid, 0, { signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
      expect(error).toBe(reason);
      expect(waitpidSync(pid, WNOHANG)).toEqual([0, 0]);
    } finally {
      killAndReap(pid);
    }
  });

  test("an abort during the wait rejects with an AbortError, and the child's exit is still there", async () => {
    const pid = sleeper();
    const controller = new AbortController();
    const pending = wait4(pid, 0, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = (await pending.catch((e: unknown) => e)) as DOMException;
    expect(error.name).toBe("AbortError");
    process.kill(pid, "SIGKILL");
    Bun.sleepSync(50);
    // nobody reaped it: it is still ours to reap
    const [got, status] = waitpidSync(pid, 0);
    expect(got).toBe(pid);
    expect(WTERMSIG(status)).toBe(SIGKILL);
  });

  test("AbortSignal.timeout rejects with a TimeoutError; another wait on the same pid is unaffected", async () => {
    const pid = spawnSh("sleep 0.2; exit 2");
    const timedOut = waitpid(pid, 0, { signal: AbortSignal.timeout(20) });
    const patient = waitpid(pid);
    expect(((await timedOut.catch((e: unknown) => e)) as DOMException).name).toBe("TimeoutError");
    expect(WEXITSTATUS((await patient)[1])).toBe(2);
  });
});

describe("no child is taken that nobody asked for", () => {
  test("a child of ours that nobody waits for is not reaped while others are", async () => {
    const ignored = spawnSh("exit 11");
    const awaited = spawnSh("sleep 0.1; exit 12");
    try {
      expect(WEXITSTATUS((await wait4(awaited))[1])).toBe(12);
      const [got, status] = waitpidSync(ignored, 0); // still a zombie, ours to reap
      expect(got).toBe(ignored);
      expect(WEXITSTATUS(status)).toBe(11);
    } finally {
      killAndReap(ignored);
    }
  });

  test("a pid that is not our child rejects with ECHILD (named for the call), as the sync call throws", async () => {
    for (const [call, name] of [[() => wait4(1), "wait4"], [() => waitpid(1), "waitpid"], [() => waitid(P_PID, 1, WEXITED), "waitid"]] as const) {
      const error = (await call().catch((e: unknown) => e)) as SystemError;
      expect(error.code).toBe("ECHILD");
      expect(error.syscall).toBe(name);
      expect(error.message).toBe(`ECHILD: no child processes, ${name}`);
    }
  });

  test("a child reaped by a synchronous wait meanwhile makes the pending wait reject with ECHILD", async () => {
    const pid = spawnSh("sleep 0.1");
    const pending = wait4(pid);
    waitpidSync(pid, 0); // reaps it under the pending wait's feet
    expect(((await pending.catch((e: unknown) => e)) as SystemError).code).toBe("ECHILD");
  });
});

describe("arguments are checked before any Promise exists", () => {
  const refusals = [
    ["-1 (any child)", () => wait4(-1)],
    ["0 (our group)", () => waitpid(0)],
    ["-42 (a group)", () => wait4(-42)],
    ["P_ALL", () => waitid(P_ALL, 0, WEXITED)],
    ["P_PGID", () => waitid(P_PGID, 1, WEXITED)],
    ["waitid id 0", () => waitid(P_PID, 0, WEXITED)],
  ] as const;
  for (const [label, call] of refusals) {
    test(`${label}: TypeError ERR_INVALID_ARG_VALUE saying why, thrown synchronously`, () => {
      const error = thrown(call) as TypeError & { code: string };
      expect(error).toBeInstanceOf(TypeError);
      expect(error.code).toBe("ERR_INVALID_ARG_VALUE");
      expect(error.message).toContain("Bun.spawn");
    });
  }

  // Linux only (macOS and FreeBSD have no P_PIDFD): refused with its own reason, since a
  // pidfd names one child and could not steal one of Bun's.
  for (const P of P_PIDFD === undefined ? [] : [P_PIDFD]) {
    test("P_PIDFD, with a real pidfd of a live child: refused synchronously saying to pass the pid, and the child is left alone", () => {
      const pid = sleeper();
      const fd = pidfd_open(pid);
      try {
        const error = thrown(() => waitid(P, fd, WEXITED)) as TypeError & { code: string };
        expect(error).toBeInstanceOf(TypeError);
        expect(error.code).toBe("ERR_INVALID_ARG_VALUE");
        expect(error.message).toContain("'idtype' must be P_PID: P_PIDFD is not supported by the async waitid; pass the child's pid with P_PID");
        expect(waitpidSync(pid, WNOHANG)).toEqual([0, 0]);
      } finally {
        closeSync(fd);
        killAndReap(pid);
      }
    });
  }

  test("every bad number throws the same class and code as the synchronous call", () => {
    for (const bad of BAD_INTS) {
      if (bad.missing) continue;
      for (const call of [() => wait4(bad.value as number), () => waitpid(123, bad.value as number), () => waitid(bad.value as number, 1, WEXITED)]) {
        const error = thrown(call) as Error & { code: string };
        expect(error, bad.label).toBeInstanceOf(bad.error === "TypeError" ? TypeError : RangeError);
        expect(error.code, bad.label).toBe(bad.code);
      }
    }
  });

  test("options.signal must be an AbortSignal, and unknown wait options are refused", () => {
    expect((thrown(() => wait4(123, 0, { signal: {} as AbortSignal })) as { code: string }).code).toBe("ERR_INVALID_ARG_TYPE");
    expect((thrown(() => wait4(123, 0, { timeout: 5 } as never)) as { code: string }).code).toBe("ERR_INVALID_ARG_VALUE");
  });

  test("option bits the kernel would refuse reject with EINVAL, as the synchronous calls fail", async () => {
    const pid = sleeper();
    try {
      expect(((await wait4(pid, 0x4000).catch((e: unknown) => e)) as SystemError).code).toBe("EINVAL");
      expect(((await waitid(P_PID, pid, WNOHANG).catch((e: unknown) => e)) as SystemError).code).toBe("EINVAL");
      expect(waitpidSync(pid, WNOHANG)).toEqual([0, 0]);
    } finally {
      killAndReap(pid);
    }
  });
});
