// A child's hold on this process: Symbol.asyncDispose, ref()/unref(), and kill/unref/exited in
// any order. Ported from oven-sh/bun test/js/bun/spawn/spawn.test.ts ("dispose keyword works",
// "spawn unref and kill should not hang", "should not hang", "unref() + .exited with nothing
// else ref'd", "stdout reader of an unref'd child and process lifetime") and
// spawn-pipe-reader-keepalive.test.ts; catalogue: docs/SPAWN-PARITY.md.
import { describe, expect, test } from "bun:test";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { descriptorsSettle, exists, inFreshProcess, openDescriptors, QUIET, sh, SLEEPER } from "../../helpers/spawn-probes.ts";

const ORDERS = [
  ["sleep", "kill", "unref", "exited"],
  ["sleep", "unref", "kill", "exited"],
  ["kill", "sleep", "unref", "exited"],
  ["kill", "unref", "sleep", "exited"],
  ["unref", "sleep", "kill", "exited"],
  ["unref", "kill", "sleep", "exited"],
  ["exited", "sleep", "kill", "unref"],
  ["exited", "sleep", "unref", "kill"],
  ["exited", "kill", "sleep", "unref"],
  ["exited", "kill", "unref", "sleep"],
  ["exited", "unref", "sleep", "kill"],
  ["exited", "unref", "kill", "sleep"],
  ["unref", "exited"],
  ["exited", "unref"],
  ["kill", "exited"],
  ["exited"],
] as const;

describe.each(implementations)("$name", (implementation) => {
  const { spawn } = implementation;

  test("await using kills the child with SIGTERM and reaps it before the block ends", async () => {
    let pid = 0;
    let captured: { killed: boolean; exitCode: number | null; signalCode: unknown } | undefined;
    {
      await using child = spawn(SLEEPER, QUIET);
      pid = child.pid;
      captured = child;
      await Bun.sleep(20);
    }
    expect(exists(pid)).toBe(false);
    expect({ killed: captured.killed, exitCode: captured.exitCode, signalCode: captured.signalCode }).toEqual({
      killed: true,
      exitCode: null,
      signalCode: "SIGTERM",
    });
  });

  test("disposing of a child that already exited changes nothing", async () => {
    let captured: { exitCode: number | null; signalCode: unknown } | undefined;
    {
      await using child = spawn(sh("exit 4"), QUIET);
      captured = child;
      expect(await child.exited).toBe(4);
    }
    expect({ exitCode: captured.exitCode, signalCode: captured.signalCode }).toEqual({ exitCode: 4, signalCode: null });
  });

  test("kill, unref, sleep and exited in any order never hang and leak no descriptors", async () => {
    const before = openDescriptors();
    const runOne = async (seconds: string, order: readonly string[]) => {
      const child = spawn(["sleep", seconds], QUIET);
      for (const action of order) {
        if (action === "sleep") await Bun.sleep(1);
        else if (action === "kill") child.kill();
        else if (action === "unref") child.unref();
        else expect(typeof (await child.exited)).toBe("number");
      }
    };
    for (const seconds of ["0", "0.1"]) {
      await Promise.all(ORDERS.flatMap((order) => [runOne(seconds, order), runOne(seconds, order)]));
    }
    expect(await descriptorsSettle(before + 8)).toBeLessThanOrEqual(before + 8);
  });

  test("ten children killed at once all report their exit", async () => {
    const exits = Array.from({ length: 10 }, () => {
      const child = spawn(sh("sleep 0.001"), QUIET);
      child.kill();
      return child.exited;
    });
    expect((await Promise.all(exits)).every((code) => typeof code === "number")).toBe(true);
  });

  test.concurrent("an unref'd child does not keep this process alive", async () => {
    const result = await inFreshProcess(
      implementation,
      `const child = spawn({ cmd: ["sleep", "30"], stdio: ["ignore", "ignore", "ignore"] });
       child.unref();
       report(1, child.pid);`,
    );
    const pid = result.report as number;
    try {
      expect({ exitCode: result.exitCode, signalCode: result.signalCode }).toEqual({ exitCode: 0, signalCode: null });
      expect(exists(pid)).toBe(true);
    } finally {
      if (exists(pid)) process.kill(pid, "SIGKILL");
    }
  });

  test.concurrent("ref() after unref() keeps this process alive until the child exits", async () => {
    const result = await inFreshProcess(
      implementation,
      `const child = spawn({ cmd: ["sleep", "0.2"], stdio: ["ignore", "ignore", "ignore"],
         onExit: (_, code) => report(1, "exited " + code) });
       child.unref();
       child.ref();`,
    );
    expect(result.report).toBe("exited 0");
  });

  test.concurrent.each([
    ["unref() then await exited", "const p = spawn(opts); p.unref(); await p.exited;"],
    ["exited taken, then unref(), then awaited", "const p = spawn(opts); const done = p.exited; p.unref(); await done;"],
    [
      "onExit, then unref()",
      "const { promise, resolve } = Promise.withResolvers(); const p = spawn({ ...opts, onExit: resolve }); p.unref(); await promise;",
    ],
  ])("awaiting an unref'd child still resolves: %s", async (_, body) => {
    const result = await inFreshProcess(
      implementation,
      `const opts = { cmd: ["sleep", "0.05"], stdio: ["ignore", "ignore", "ignore"] };
       ${body}
       report(1, "resolved");`,
    );
    expect({ report: result.report, exitCode: result.exitCode }).toEqual({ report: "resolved", exitCode: 0 });
  });

  test.concurrent("a pending read of an unref'd child's stdout keeps this process alive until the child writes", async () => {
    const result = await inFreshProcess(
      implementation,
      `const child = spawn({ cmd: ["sh", "-c", "head -c 4 >/dev/null; printf pong"], stdin: "pipe", stdout: "pipe", stderr: "inherit" });
       const reader = child.stdout.getReader();
       child.unref();
       (async () => {
         const pending = reader.read();
         child.stdin.write("ping");
         child.stdin.end();
         const { value } = await pending;
         report(1, new TextDecoder().decode(value));
       })();`,
    );
    expect({ report: result.report, exitCode: result.exitCode }).toEqual({ report: "pong", exitCode: 0 });
  });

  test.concurrent("a child whose idle reader let this process reach beforeExit can still be ref'd, killed and awaited", async () => {
    const result = await inFreshProcess(
      implementation,
      `const child = spawn({ cmd: ["sh", "-c", "cat /dev/zero"], stdin: "ignore", stdout: "pipe", stderr: "ignore" });
       const reader = child.stdout.getReader();
       const { value } = await reader.read();
       child.unref();
       process.once("beforeExit", async () => {
         child.ref();
         child.kill("SIGKILL");
         await child.exited;
         report(1, { firstChunk: value.byteLength > 0, signalCode: child.signalCode });
       });`,
    );
    expect({ report: result.report, exitCode: result.exitCode }).toEqual({
      report: { firstChunk: true, signalCode: "SIGKILL" },
      exitCode: 0,
    });
  });

  test.concurrent.each([
    ["saturating", "cat /dev/zero"],
    ["trickling", "while :; do head -c 2048 /dev/zero; sleep 0.001; done"],
  ])("an idle reader of an unref'd %s writer does not keep this process alive", async (_, writer) => {
    const result = await inFreshProcess(
      implementation,
      `const producer = spawn({ cmd: ["sh", "-c", ${JSON.stringify(writer)}], stdin: "ignore", stdout: "pipe", stderr: "inherit" });
       const reader = producer.stdout.getReader();
       producer.unref();
       let firstLength = -1;
       process.on("exit", () => {
         report(1, { gotFirstChunk: firstLength > 0, producerExitCode: producer.exitCode });
         producer.kill("SIGKILL");
       });
       firstLength = (await reader.read()).value.length;`,
    );
    expect({ report: result.report, exitCode: result.exitCode }).toEqual({
      report: { gotFirstChunk: true, producerExitCode: null },
      exitCode: 0,
    });
  });
});
