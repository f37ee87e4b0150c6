/**
 * What async waits do to the life of a Bun process, each in a process of its own
 * (test/fixtures/async-*.ts): a script whose last wait resolved exits by itself, one with a
 * wait pending stays alive until the child ends, waiting costs no CPU, Bun's own children
 * (Bun.spawn, Bun.spawnSync, Bun.$) run next to ours without an ECHILD, and an inherited
 * SIGCHLD=SIG_IGN is left alone by importing and undone before the first spawn or async wait.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "../helpers/live.ts";
import { realPython } from "../helpers/python.ts";

const script = join(FIXTURES, "async-lifecycle.ts");
const env = process.env;

/** user + system CPU seconds of a live process, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.split("\n")[0]!;
}

describe("the process lives exactly as long as a wait is pending", () => {
  test("a script whose last wait resolved exits on its own", async () => {
    const proc = Bun.spawn([process.execPath, script, "resolves"], { stdout: "pipe", stderr: "pipe", env });
    const exited = await Promise.race([proc.exited, Bun.sleep(10_000).then(() => "still running")]);
    if (exited === "still running") proc.kill("SIGKILL");
    expect(exited).toBe(0);
    expect(await new Response(proc.stdout).text()).toBe("resolved 3\n");
  });

  test("a script with a wait pending (and nothing else) stays alive until its child ends, then exits", async () => {
    const proc = Bun.spawn([process.execPath, script, "pending"], { stdout: "pipe", stderr: "pipe", env });
    const child = Number(await firstLine(proc.stdout));
    expect(child).toBeGreaterThan(0);
    await Bun.sleep(500);
    expect(proc.exitCode).toBeNull(); // kept alive by the pending wait
    process.kill(child, "SIGKILL");
    const exited = await Promise.race([proc.exited, Bun.sleep(10_000).then(() => "still running")]);
    if (exited === "still running") proc.kill("SIGKILL");
    expect(exited).toBe(0);
  });

  test("ten pending waits cost (next to) no CPU: no busy loop while waiting", async () => {
    const proc = Bun.spawn([process.execPath, script, "idle"], { stdout: "pipe", stderr: "pipe", env });
    const line = await firstLine(proc.stdout);
    const children = line.split(" ").slice(1).map(Number);
    expect(children.length).toBe(10);
    await Bun.sleep(300); // let start-up work settle
    const before = cpuSeconds(proc.pid);
    await Bun.sleep(1000);
    const used = cpuSeconds(proc.pid) - before;
    for (const pid of children) process.kill(pid, "SIGKILL");
    expect(await proc.exited).toBe(0);
    // A spinning loop would use ~1 s here; an idle Bun uses a few ms.
    expect(used).toBeLessThan(0.2);
  });
});

describe("next to Bun's own children", () => {
  test("Bun.spawn, Bun.spawnSync and Bun.$ children finish normally and Bun never throws ECHILD", () => {
    const run = Bun.spawnSync([process.execPath, join(FIXTURES, "async-coexist.ts")], { stdout: "pipe", stderr: "pipe", env });
    expect(run.stderr.toString()).toBe("");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout.toString());
    expect(report).toEqual({
      ourCodes: Array.from({ length: 40 }, (_, i) => i),
      bunCodes: Array.from({ length: 20 }, (_, i) => i),
      shellCodes: Array.from({ length: 10 }, (_, i) => i),
      syncCodes: [0, 1, 2, 3, 4],
      uncaught: 0,
    });
  });
});

describe("an inherited SIGCHLD set to SIG_IGN", () => {
  // python3 sets SIGCHLD to SIG_IGN and execs Bun, as a careless parent would.
  const ignoringParent = `import os, signal, sys\nsignal.signal(signal.SIGCHLD, signal.SIG_IGN)\nos.execv(sys.argv[1], sys.argv[1:])`;
  const underIgnoredSigchld = (mode: "first-wait" | "first-spawn") => {
    const run = Bun.spawnSync([realPython(), "-c", ignoringParent, process.execPath, join(FIXTURES, "async-sigchld-ignored.ts"), mode], { stdout: "pipe", stderr: "pipe", env });
    expect(run.stderr.toString()).toBe("");
    return JSON.parse(run.stdout.toString());
  };

  test("is left alone by importing bun-wait4 and bun-wait4/promises (no descriptor, no listener either), and reset by the first async wait", () => {
    expect(underIgnoredSigchld("first-wait")).toEqual({
      atStart: true,
      afterImport: { ignored: true, newFds: [], listeners: 0 },
      wait: "ECHILD",
      afterWait: false,
    });
  });

  test("is reset by the first spawn, so a child that ends before any wait begins is still there to wait for", () => {
    expect(underIgnoredSigchld("first-spawn")).toEqual({
      atStart: true,
      afterImport: { ignored: true, newFds: [], listeners: 0 },
      afterSpawn: false,
      code: 5,
    });
  });
});
