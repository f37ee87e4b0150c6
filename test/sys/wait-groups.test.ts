/**
 * posix_spawnp's setpgroup and the process-group waits: waitpid(-pgid) and
 * waitid(P_PGID). The group waits run in a separate bun process
 * (fixtures/live-groups.ts) so they can never reap a child this test process owns.
 * Group membership is checked against the kernel (/proc and ps).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { constants } from "node:os";
import { posix_spawnp, waitpid, WTERMSIG, type WaitidResult } from "../../src/index.ts";
import { killAndReap, runBunFixture } from "../helpers/live.ts";
import { pgidOf, procStat } from "../helpers/procfs.ts";
import { pythonOsConstants } from "../helpers/python.ts";

// Live children, CPython and fixture subprocesses: slow CI and qemu runs need more than
// bun's 5 s default (bunfig.toml's [test] timeout is not a setting bun reads).
setDefaultTimeout(60_000);

const { SIGCHLD, SIGKILL } = constants.signals;

interface GroupRun {
  pid: number;
  ownPgid: number;
  leader: number;
  leaderPgid: number;
  member: number;
  memberPgid: number;
  outsider: number;
  outsiderPgid: number;
  early: unknown;
  reaped: unknown[];
  third: string | null;
  outsiderState: string;
  outsiderNoHang: unknown;
  outsiderEnd: unknown;
}

function runGroups(mode: "waitpid" | "waitid"): GroupRun {
  const run = runBunFixture("live-groups.ts", [mode]);
  if (run.exitCode !== 0) throw new Error(`fixture failed (${run.exitCode} ${run.signalCode}): ${run.stderr}`);
  return JSON.parse(run.stdout) as GroupRun;
}

function expectGroupLayout(r: GroupRun): void {
  expect(r.leaderPgid).toBe(r.leader); // setpgroup 0: the child leads a new group
  expect(r.memberPgid).toBe(r.leader); // setpgroup leader: joined that group
  expect(r.outsiderPgid).toBe(r.ownPgid); // no setpgroup: stays in the parent's group
  expect(r.ownPgid).not.toBe(r.leader);
}

function expectOutsiderUntouched(r: GroupRun): void {
  expect(r.third).toBe("ECHILD");
  expect("SR").toContain(r.outsiderState); // sleeping (or running), not a zombie
  expect(r.outsiderNoHang).toEqual([0, 0]);
  expect(r.outsiderEnd).toEqual([r.outsider, SIGKILL]);
}

describe("setpgroup", () => {
  test("setpgroup 0 makes the child lead a new group, as /proc and ps report", () => {
    const pid = posix_spawnp("sleep", ["sleep", "30"], process.env, { setpgroup: 0 });
    try {
      expect(pgidOf(pid, pid)).toBe(pid);
      const ps = Bun.spawnSync(["ps", "-o", "pgid=", "-p", String(pid)], { stdout: "pipe" });
      expect(Number(ps.stdout.toString().trim())).toBe(pid);
      expect(procStat(process.pid).pgrp).not.toBe(pid);
      process.kill(pid, "SIGKILL");
      const [got, status] = waitpid(pid, 0);
      expect(got).toBe(pid);
      expect(WTERMSIG(status)).toBe(SIGKILL);
    } finally {
      killAndReap(pid);
    }
  });

  test("without setpgroup the child stays in our group", () => {
    const pid = posix_spawnp("sleep", ["sleep", "30"], process.env);
    try {
      expect(procStat(pid).pgrp).toBe(procStat(process.pid).pgrp);
    } finally {
      killAndReap(pid);
    }
  });
});

describe("group waits (in a subprocess)", () => {
  test("waitpid(-pgid, 0) reaps both group members and leaves the outsider running", () => {
    const r = runGroups("waitpid");
    expectGroupLayout(r);
    expect(r.early).toEqual([0, 0]);
    // The member exits first (0.1 s) with 6, the leader later (0.3 s) with 5.
    const reaped = [...(r.reaped as Array<[number, number]>)].sort((a, b) => a[0] - b[0]);
    const expected: Array<[number, number]> = [
      [r.leader, 5 << 8],
      [r.member, 6 << 8],
    ];
    expect(reaped).toEqual(expected.sort((a, b) => a[0] - b[0]));
    expectOutsiderUntouched(r);
  });

  test("waitid(P_PGID, pgid, WEXITED) reaps both group members and leaves the outsider running", () => {
    const { CLD_EXITED } = pythonOsConstants();
    const r = runGroups("waitid");
    expectGroupLayout(r);
    expect(r.early).toBeNull();
    const uid = process.getuid!();
    const byPid = new Map((r.reaped as WaitidResult[]).map((info) => [info.si_pid, info]));
    expect(byPid.get(r.member)).toEqual({ si_pid: r.member, si_uid: uid, si_signo: SIGCHLD, si_status: 6, si_code: CLD_EXITED });
    expect(byPid.get(r.leader)).toEqual({ si_pid: r.leader, si_uid: uid, si_signo: SIGCHLD, si_status: 5, si_code: CLD_EXITED });
    expectOutsiderUntouched(r);
  });
});
