// spawnSync's own contract: Buffers, the result object, and that nothing else of this process
// runs while it waits. Ported from oven-sh/bun test/js/bun/spawn (spawn.test.ts "spawnSync" and
// "#3480", spawnSync.test.ts, spawnsync-isolated-event-loop, spawnsync-no-microtask-drain);
// catalogue: docs/SPAWN-PARITY.md. The ordering cases run in a fresh process: what they check is
// what that process's event loop does around the call.
import { describe, expect, test } from "bun:test";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { inFreshProcess, sh } from "../../helpers/spawn-probes.ts";

describe.each(implementations)("$name", (implementation) => {
  const { spawnSync } = implementation;

  test("stdout and stderr are Buffers, piped by default", () => {
    const result = spawnSync(sh("echo hi; echo oops >&2"));
    expect(Buffer.isBuffer(result.stdout)).toBe(true);
    expect(Buffer.isBuffer(result.stderr)).toBe(true);
    expect([result.stdout.toString(), result.stderr.toString()]).toEqual(["hi\n", "oops\n"]);
    expect({ exitCode: result.exitCode, success: result.success }).toEqual({ exitCode: 0, success: true });
  });

  test.each(["ignore", "inherit"] as const)("stdout and stderr %s leave them undefined", (io) => {
    const result = spawnSync(["true"], { stdout: io, stderr: io });
    expect([result.stdout, result.stderr]).toEqual([undefined, undefined]);
  });

  test("a large output arrives whole", () => {
    const result = spawnSync(["head", "-c", String(4 * 1024 * 1024), "/dev/zero"]);
    expect(result.stdout.length).toBe(4 * 1024 * 1024);
    expect(result.stdout.every((byte) => byte === 0)).toBe(true);
  });

  test("the result can be spread", () => {
    const result = spawnSync(["true"]);
    const copy = { ...result };
    expect({ success: copy.success, exitCode: copy.exitCode, pid: copy.pid === result.pid }).toEqual({
      success: true,
      exitCode: 0,
      pid: true,
    });
  });

  test.each([
    ["undefined", ["ignore", "pipe", "inherit", undefined, undefined]],
    // eslint-disable-next-line no-sparse-arrays
    ["a hole", ["ignore", "pipe", "inherit", , "ignore"]],
  ])("stdio[3] and beyond given as %s are ignored", (_, stdio) => {
    const result = spawnSync({ cmd: ["printf", "ok"], stdio: stdio as ["ignore", "pipe", "inherit"] });
    expect([result.stdout.toString(), result.exitCode]).toEqual(["ok", 0]);
  });

  test("no timer, immediate or microtask of this process runs during the call", () => {
    let ran = 0;
    const interval = setInterval(() => ran++, 1);
    setTimeout(() => ran++, 0);
    setImmediate(() => ran++);
    queueMicrotask(() => ran++);
    process.nextTick(() => ran++);
    for (let i = 0; i < 3; i++) spawnSync(["sleep", "0.02"]);
    clearInterval(interval);
    expect(ran).toBe(0);
  });

  // Bun's case also pins the order (nextTick first); under Bun 1.4.5 an -e script runs nextTick
  // after the microtasks, with or without spawnSync, so only "all after the call" is held.
  test.concurrent("what was queued before the call runs only after it", async () => {
    const result = await inFreshProcess(
      implementation,
      `const log = [];
       let during = true;
       const note = what => () => log.push(what + (during ? ":during" : ":after"));
       setTimeout(note("timeout"), 0);
       setImmediate(note("immediate"));
       queueMicrotask(note("microtask"));
       process.nextTick(note("nexttick"));
       Promise.resolve().then(note("then"));
       Bun.sleepSync(5);
       const r = spawnSync({ cmd: ["sleep", "0.02"] });
       during = false;
       log.push("returned:" + r.exitCode);
       setTimeout(() => report(1, log), 10);`,
    );
    const log = result.report as string[];
    expect(log[0]).toBe("returned:0");
    expect(log.slice(1).sort()).toEqual([
      "immediate:after",
      "microtask:after",
      "nexttick:after",
      "then:after",
      "timeout:after",
    ]);
  });

  test.concurrent("another child's output and exit that arrive during the call are delivered after it", async () => {
    const result = await inFreshProcess(
      implementation,
      `const log = [];
       let during = false;
       const outer = spawn({ cmd: ["sh", "-c", "printf outer"], stdout: "pipe",
         onExit: () => log.push("outer-exit:" + (during ? "during" : "after")) });
       outer.stdout.text().then(t => log.push("outer-stdout:" + t + ":" + (during ? "during" : "after")));
       during = true;
       spawnSync({ cmd: ["sleep", "0.2"] });
       during = false;
       log.push("returned");
       outer.exited.then(() => setImmediate(() => report(1, log.sort())));`,
    );
    expect(result.report).toEqual(["outer-exit:after", "outer-stdout:outer:after", "returned"]);
  });

  test.concurrent("promise jobs keep their order across the call, and a rejection handled after it is not unhandled", async () => {
    const result = await inFreshProcess(
      implementation,
      `let unhandled = 0;
       process.on("unhandledRejection", () => unhandled++);
       const log = [];
       (async () => { await null; log.push("a1"); await null; log.push("a2"); })();
       (async () => { await 0; log.push("b1"); await 0; log.push("b2"); })();
       Promise.all([1, 2]).then(() => log.push("all"));
       const rejected = (async () => { throw new Error("handled later"); })();
       spawnSync({ cmd: ["true"] });
       let handled = false;
       rejected.catch(() => { handled = true; });
       setTimeout(() => report(1, { log, handled, unhandled }));`,
    );
    expect(result.report).toEqual({ log: ["a1", "b1", "a2", "b2", "all"], handled: true, unhandled: 0 });
  });

  test.concurrent("this process's own stdout is written around the call as usual", async () => {
    const result = await inFreshProcess(
      implementation,
      `console.log("BEFORE");
       const r = spawnSync({ cmd: ["echo", "SUBPROCESS"] });
       console.log("AFTER");
       console.log(r.stdout.toString().trim());`,
    );
    expect(result.stdout).toBe("BEFORE\nAFTER\nSUBPROCESS\n");
  });

  test("spawnSync works inside a Bun.serve() request handler", async () => {
    using server = Bun.serve({
      port: 0,
      fetch: () => new Response(spawnSync(["echo", "from the handler"]).stdout.toString()),
    });
    expect(await (await fetch(server.url)).text()).toBe("from the handler\n");
  });
});
