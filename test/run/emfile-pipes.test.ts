/**
 * Many commands with piped output, in a process short of descriptors: each run() settles with
 * its command's status and whole output, or is refused with EMFILE before anything ran. Reading a pipe through Bun takes a descriptor of its
 * own; where there is none (EMFILE), the pipe is polled instead (src/run/stdio-streams.ts),
 * where the stream used to stay pending and run() never settled. A fresh process under
 * `prlimit --nofile=N:N`, with a time limit, so a hang fails the test.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { withDescriptorLimit } from "../helpers/live.ts";

const ROOT = join(import.meta.dir, "..", "..");
const COMMANDS = 24;

const SCRIPT = `const { run } = await import(${JSON.stringify(join(ROOT, "src", "index.ts"))});
const outcomes = await Promise.allSettled(Array.from({ length: ${COMMANDS} }, (_, i) =>
  run(["/bin/sh", "-c", 'echo "line $1"; exit $(($1 % 7))', "sh", String(i)], { stdout: i % 3 === 0 ? "pipe" : "ignore" })));
console.log(JSON.stringify(outcomes.map((o) => (o.status === "fulfilled" ? [o.value.exitCode, o.value.stdout ?? null] : ["rejected", String(o.reason)]))));`;

test.each([36, 40, 48])(`%i descriptors: ${COMMANDS} concurrent runs, a third piped, all settle with their status and output`, (limit) => {
  const r = Bun.spawnSync([...withDescriptorLimit(limit), process.execPath, "-e", SCRIPT], { stdout: "pipe", stderr: "pipe", timeout: 30_000 });
  expect({ signal: r.signalCode ?? null, stderr: r.stderr.toString() }).toEqual({ signal: null, stderr: "" });
  // Each settles with its command's status and output, or (musl's posix_spawn needs a pipe of
  // its own) is refused with EMFILE before anything ran; most run.
  const outcomes = JSON.parse(r.stdout.toString()) as [number | "rejected", string | null][];
  expect(outcomes).toHaveLength(COMMANDS);
  const refused = outcomes.filter(([first, detail]) => first === "rejected" && /\bEMFILE\b/.test(detail ?? ""));
  expect(refused.length).toBeLessThan(COMMANDS / 2);
  expect(outcomes.filter((outcome, i) => !refused.includes(outcome) && JSON.stringify(outcome) !== JSON.stringify([i % 7, i % 3 === 0 ? `line ${i}\n` : null]))).toEqual([]);
}, 60_000);
