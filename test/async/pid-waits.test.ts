/**
 * PidWaits with a scripted kernel, for the orderings real children cannot be made to produce on
 * demand: a stop that someone else consumes between the look and the consume, and a child that
 * exits between a look that saw it stopped and the wait4 that consumes the stop.
 */
import { describe, expect, test } from "bun:test";
import { constants } from "node:os";
import * as c from "../../src/sys/constants.ts";
import { PidWaits, type Change, type Kernel, type Waiter, type Wants } from "../../src/async/pid-waits.ts";
import { kernel as realKernel } from "../../src/async/kernel.ts";
import { zeroRusage } from "../../src/sys/rusage.ts";
import type { SystemError } from "../../src/errors/system-error.ts";
import type { WaitidResult } from "../../src/sys/waitid.ts";

const PID = 4242;
const { SIGSTOP, SIGKILL } = constants.signals;
const STOPPED = (SIGSTOP << 8) | 0x7f; // Linux encoding
const KILLED = SIGKILL;

/** A kernel that answers each call from a script, and records the calls. */
function scripted(answers: { waitid?: (WaitidResult | null)[]; wait4?: [number, number][] }) {
  const calls: string[] = [];
  const waitids = [...(answers.waitid ?? [])];
  const wait4s = [...(answers.wait4 ?? [])];
  const k: Kernel = {
    ...realKernel,
    waitid(_idtype, _id, options) {
      calls.push(`waitid ${options & c.WNOWAIT ? "peek" : "consume"}`);
      return waitids.shift() ?? null;
    },
    wait4(_pid, options) {
      calls.push(`wait4 ${options & c.WUNTRACED ? "WUNTRACED" : options & c.WCONTINUED ? "WCONTINUED" : "exit"}`);
      const [pid, status] = wait4s.shift() ?? [0, 0];
      return [pid, status, zeroRusage()];
    },
  };
  return { k, calls };
}

function waiter(wants: Partial<Wants>, needsInfo = false) {
  const got: (Change | SystemError)[] = [];
  const w: Waiter = {
    wants: { exit: true, stop: false, cont: false, peek: false, ...wants },
    needsInfo,
    deliver: (change) => got.push(change),
    fail: (error) => got.push(error as SystemError),
  };
  return { w, got };
}

const stopInfo: WaitidResult = { si_pid: PID, si_uid: 1000, si_signo: 17, si_status: SIGSTOP, si_code: c.CLD_STOPPED };

describe("PidWaits with a scripted kernel", () => {
  test("plain exit waiters: one wait4, no look, every waiter gets the same reap", () => {
    const { k, calls } = scripted({ wait4: [[PID, KILLED]] });
    const entry = new PidWaits(PID);
    const a = waiter({});
    const b = waiter({});
    entry.waiters.add(a.w);
    entry.waiters.add(b.w);
    expect(entry.check(k)).toBe(true);
    expect(calls).toEqual(["wait4 exit"]);
    expect(a.got).toEqual(b.got);
    expect((a.got[0] as Change).reaped?.status).toBe(KILLED);
  });

  test("a stop consumed by someone else between the look and the consume delivers nothing", () => {
    const { k, calls } = scripted({ waitid: [stopInfo], wait4: [[0, 0]] });
    const entry = new PidWaits(PID);
    const stop = waiter({ stop: true });
    entry.waiters.add(stop.w);
    expect(entry.check(k)).toBe(false);
    expect(calls).toEqual(["waitid peek", "wait4 WUNTRACED"]);
    expect(stop.got).toEqual([]);
    expect(entry.waiters.size).toBe(1);
  });

  test("an exit between a look that saw a stop and the consume: it is reaped and goes to the exit waiters, with a siginfo for waitid", () => {
    const { k } = scripted({ waitid: [stopInfo], wait4: [[PID, KILLED]] });
    const entry = new PidWaits(PID);
    const stopAndExit = waiter({ stop: true }); // waitpid(WUNTRACED)
    const exitInfo = waiter({ stop: true }, true); // waitid(WEXITED | WSTOPPED)
    const stopOnly = waiter({ exit: false, stop: true }, true); // waitid(WSTOPPED)
    for (const x of [stopAndExit, exitInfo, stopOnly]) entry.waiters.add(x.w);
    expect(entry.check(k)).toBe(true);
    expect((stopAndExit.got[0] as Change).reaped?.status).toBe(KILLED);
    expect((exitInfo.got[0] as Change).info).toEqual({ si_pid: PID, si_uid: 1000, si_signo: constants.signals.SIGCHLD, si_status: SIGKILL, si_code: c.CLD_KILLED });
    expect((stopOnly.got[0] as SystemError).code).toBe("ECHILD");
  });

  test("WNOWAIT waiters alone look without consuming: no wait4 at all", () => {
    const { k, calls } = scripted({ waitid: [stopInfo] });
    const entry = new PidWaits(PID);
    const peek = waiter({ exit: false, stop: true, peek: true }, true);
    entry.waiters.add(peek.w);
    entry.check(k);
    expect(calls).toEqual(["waitid peek"]);
    expect((peek.got[0] as Change).info).toEqual(stopInfo);
  });

  test("a look that fails (ECHILD) fails every waiter", () => {
    const entry = new PidWaits(PID);
    const a = waiter({ stop: true });
    entry.waiters.add(a.w);
    const k: Kernel = { ...realKernel, waitid: () => { throw realKernel.echild(); } };
    expect(entry.check(k)).toBe(true);
    expect((a.got[0] as SystemError).code).toBe("ECHILD");
  });

  test("infoOf rebuilds a waitid result from each kind of status word", () => {
    expect(realKernel.infoOf(STOPPED, PID, 7)).toMatchObject({ si_code: c.CLD_STOPPED, si_status: SIGSTOP, si_uid: 7 });
    expect(realKernel.infoOf(3 << 8, PID, 7)).toMatchObject({ si_code: c.CLD_EXITED, si_status: 3 });
    expect(realKernel.infoOf(0x86, PID, 7)).toMatchObject({ si_code: c.CLD_DUMPED, si_status: 6 });
    expect(realKernel.infoOf(0xffff, PID, 7)).toMatchObject({ si_code: c.CLD_CONTINUED, si_status: constants.signals.SIGCONT });
  });
});
