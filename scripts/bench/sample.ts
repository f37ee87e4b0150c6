/**
 * One sample, in this fresh Bun process (scripts/bench/harness.ts starts it):
 *
 *   bun scripts/bench/sample.ts <worker> <loop> <warmup> <iterations> <batches> [arg…]
 *     times `loops[<loop>]` of scripts/bench/workers/<worker>.ts (worker.ts `timeLoop`) and
 *     prints {"ns": [...], "cpu": [...], "proc": [...], "sink": N}: per batch and operation.
 *   bun scripts/bench/sample.ts <worker> <sample> [arg…]
 *     prints what `samples[<sample>](args)` returns, as JSON.
 *
 * Either way this process must end with no child left, zombie or not, or the sample fails.
 */
import { join } from "node:path";
import { checkNoChildren, fail, int, timeLoop, type WorkerModule } from "./worker.ts";

const [worker, name, ...args] = process.argv.slice(2);
const module = (await import(join(import.meta.dir, "workers", `${worker}.ts`))) as WorkerModule;
const loop = module.loops?.[name ?? ""];
const once = module.samples?.[name ?? ""];
let result: unknown;
if (loop !== undefined) {
  const [warmup, iterations, batches, ...extra] = args;
  result = await timeLoop(loop, int(warmup, "warmup"), int(iterations, "iterations"), int(batches, "batches"), extra);
} else if (once !== undefined) result = await once(args);
else fail(`scripts/bench/workers/${worker}.ts has no loop or sample ${name}`);
await checkNoChildren();
console.log(JSON.stringify(result));
