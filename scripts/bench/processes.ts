/** Which processes a benchmark worker still has, so a sample that leaks one fails. */
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
