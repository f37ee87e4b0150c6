/** Which processes a benchmark left behind, so a sample that leaks one fails. */
import { readdirSync, readFileSync } from "node:fs";

/** Every child of this process still there, zombies included (Linux: /proc/self/task/<tid>/children). */
export function children(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync("/proc/self/task")) {
    const text = readFileSync(`/proc/self/task/${tid}/children`, "utf8").trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}

/**
 * Every process for which `matches(pid)` is true; a process that goes away meanwhile, or whose
 * /proc files are not ours to read (`matches` throws), does not match.
 */
export function processesWhere(matches: (pid: string) => boolean): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (matches(entry)) out.push(Number(entry));
    } catch {}
  }
  return out;
}
