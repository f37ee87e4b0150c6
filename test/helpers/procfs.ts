/**
 * Small readers of Linux /proc used by the tests: which processes are children of a pid, a
 * process's state, group and session, its signal masks and open descriptors.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { constants } from "node:os";
import { waitpid } from "../../src/index.ts";
import { FORKER_SCRIPT } from "../../src/run/forker/scripts.ts";
import { underEmulation } from "./emulation.ts";

/** This process's peak resident set size so far (VmHWM), in bytes. */
export function ownPeakBytes(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "latin1"))![1]) * 1024;
}

/**
 * Fields of /proc/<pid>/stat after the `(comm)`: [state, ppid, pgrp, session, ...].
 * Our own entry ("self" or our pid) is read by `cat`: under qemu-user a process's reads of
 * its own /proc stat are synthesised by the emulator (pgrp and session read 0).
 */
export function statFields(pid: number | "self"): string[] {
  const own = pid === "self" || pid === process.pid;
  const path = `/proc/${own ? process.pid : pid}/stat`;
  const stat = own ? Bun.spawnSync(["cat", path], { stdout: "pipe" }).stdout.toString() : readFileSync(path, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).trim().split(" ");
}

/** Fields 3 (state) and 5 (pgrp) of /proc/<pid>/stat. */
export function procStat(pid: number): { state: string; pgrp: number } {
  const fields = statFields(pid);
  return { state: fields[0]!, pgrp: Number(fields[2]) };
}

/**
 * The process group of `pid` (field 5 of /proc/<pid>/stat). Natively posix_spawn returns
 * after the child's setpgid; under qemu-user (vfork becomes fork) it may land
 * later, so there, and only there, wait up to 2 s for the group to become `expected`.
 */
export function pgidOf(pid: number | "self", expected?: number): number {
  let pgrp = Number(statFields(pid)[2]);
  if (expected !== undefined && underEmulation()) {
    const until = Date.now() + 2000;
    while (pgrp !== expected && Date.now() < until) {
      Bun.sleepSync(5);
      pgrp = Number(statFields(pid)[2]);
    }
  }
  return pgrp;
}

/** Every live or zombie process whose parent is `parent` (field 4 of /proc/<pid>/stat). */
export function childPids(parent: number = process.pid): Set<number> {
  const out = new Set<number>();
  for (const name of readdirSync("/proc")) {
    // Not our own entry: we are no child of ours, and reading it would start a `cat` (statFields).
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let fields: string[];
    try {
      fields = statFields(Number(name));
    } catch {
      continue; // it went away while we looked
    }
    if (Number(fields[1]) === parent) out.add(Number(name));
  }
  return out;
}

/** A hex mask line (`SigBlk:`, `SigIgn:` …) of a /proc/<pid>/status text, as a BigInt. */
export function maskFrom(statusText: string, field: string): bigint {
  const line = statusText.split("\n").find((l) => l.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`no ${field} line in status text`);
  return BigInt(`0x${line.slice(field.length + 1).trim()}`);
}

/** The bit that signal number `signal` occupies in a /proc status mask. */
export function signalBit(signal: number): bigint {
  return 1n << BigInt(signal - 1);
}

/** Number of open descriptors of this process (the directory fd used to list them included). */
export function openFdCount(): number {
  return readdirSync("/proc/self/fd").length;
}

/**
 * This process's open descriptors as "fd -> target" (from /proc/self/fd). Comparing two
 * such lists finds descriptors opened in between even when Bun closed others meanwhile
 * (pipes of an earlier Bun.spawnSync are closed lazily, so a bare count can go down).
 */
export function openFds(): string[] {
  const out: string[] = [];
  for (const name of readdirSync("/proc/self/fd")) {
    try {
      out.push(`${name} -> ${readlinkSync(`/proc/self/fd/${name}`)}`);
    } catch {
      // the directory's own descriptor, already closed again
    }
  }
  return out;
}

/** Descriptors in `now` that were not open (to the same file) in `before`. */
export function newFds(before: readonly string[], now: readonly string[] = openFds()): string[] {
  const old = new Set(before);
  return now.filter((entry) => !old.has(entry));
}

/** Kills and reaps any child of ours that is not in `before` (clean-up after a failed assertion). */
export function reapNewChildren(before: Set<number>): number[] {
  const extra = [...childPids()].filter((pid) => !before.has(pid));
  for (const pid of extra) {
    try {
      process.kill(pid, constants.signals.SIGKILL);
    } catch {}
    waitpid(pid, 0);
  }
  return extra;
}

/** Whether `pid` is one of bun-wait4's hand-off shells: its forker, or a spare waiting for its command. */
export function isHandoffShell(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").startsWith(`sh\0-c\0${FORKER_SCRIPT}\0`);
  } catch {
    return false;
  }
}
