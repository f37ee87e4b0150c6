// A ReadableStream as stdin, beyond the data: streams that error, throw, are cancelled, locked
// or used twice, a child that dies while a write is in flight, and backpressure from a child
// that does not read. Ported from oven-sh/bun test/js/bun/spawn/spawn-stdin-readable-stream
// {,-edge-cases}.test.ts and spawn-stdin-stream-reject.test.ts; catalogue: docs/SPAWN-PARITY.md.
// The cases about unhandled rejections and a hanging parent run in a fresh process, where a
// stray rejection or a loop kept alive shows in what that process prints and how it ends.
import { describe, expect, test } from "bun:test";
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { CAT, inFreshProcess, sh, tempDir } from "../../helpers/spawn-probes.ts";

const streamOf = (...chunks: unknown[]) =>
  new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

describe.each(implementations)("$name", (implementation) => {
  const { spawn } = implementation;

  test.concurrent("when the child exits early the stream is cancelled", async () => {
    const { promise: cancelled, resolve: onCancel } = Promise.withResolvers<void>();
    let enqueued = 0;
    const stream = new ReadableStream({
      async pull(controller) {
        await Bun.sleep(20);
        controller.enqueue(`chunk ${++enqueued}\n`);
      },
      cancel: () => onCancel(),
    });
    const child = spawn(["head", "-n", "2"], { stdin: stream });
    const text = await child.stdout.text();
    expect(await child.exited).toBe(0);
    await cancelled;
    expect(enqueued).toBeGreaterThanOrEqual(2);
    expect(text).toBe("chunk 1\nchunk 2\n");
  });

  test("what came before a stream's error reaches the child, which ends normally", async () => {
    const stream = new ReadableStream({
      async start(controller) {
        controller.enqueue("before error\n");
        await Bun.sleep(10);
        controller.error(new Error("Stream error"));
      },
    });
    const child = spawn(CAT, { stdin: stream });
    expect([await child.stdout.text(), await child.exited]).toEqual(["before error\n", 0]);
  });

  test("chunks enqueued before pull() throws reach the child", async () => {
    let pulls = 0;
    const stream = new ReadableStream({
      pull(controller) {
        pulls++;
        if (pulls === 1) controller.enqueue("chunk 1\n");
        if (pulls === 2) {
          controller.enqueue("chunk 2\n");
          throw new Error("Pull error");
        }
      },
    });
    const text = await spawn(CAT, { stdin: stream }).stdout.text();
    expect(text).toContain("chunk 1\n");
    expect(text).toContain("chunk 2\n");
  });

  test("a child that takes one line gets only that line, however long the stream runs", async () => {
    let attempts = 0;
    const stream = new ReadableStream({
      async pull(controller) {
        if (++attempts > 4) return controller.close();
        await Bun.sleep(50);
        controller.enqueue(`attempt ${attempts}\n`);
      },
    });
    const child = spawn(["head", "-n", "1"], { stdin: stream });
    expect(await child.stdout.text()).toBe("attempt 1\n");
    await child.exited;
    await Bun.sleep(100);
    expect(attempts).toBeGreaterThanOrEqual(1);
  });

  test("aborting the signal kills the child and cancels the stream once", async () => {
    const controller = new AbortController();
    let cancels = 0;
    const stream = new ReadableStream({
      start: (c) => c.enqueue("data before abort\n"),
      async pull(c) {
        await Bun.sleep(1);
        c.enqueue("more data\n");
      },
      cancel: () => {
        cancels++;
      },
    });
    const child = spawn(CAT, { stdin: stream, stdout: "ignore", signal: controller.signal });
    await Bun.sleep(10);
    controller.abort();
    await child.exited;
    expect(child.killed).toBe(true);
    expect(child.signalCode).toBe("SIGTERM");
    expect(cancels).toBe(1);
  });

  test("an asynchronous pull() source is pulled more than once, and not past its close", async () => {
    let pulls = 0;
    const stream = new ReadableStream({
      async pull(controller) {
        if (++pulls > 5) return controller.close();
        await Bun.sleep(0);
        controller.enqueue(`chunk ${pulls}\n`);
      },
    });
    const text = await spawn(CAT, { stdin: stream }).stdout.text();
    expect(pulls).toBeGreaterThan(1);
    expect(pulls).toBeLessThanOrEqual(6);
    expect(text).toBe("chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
  });

  test.concurrent("a source whose child never reads is not pulled without bound", async () => {
    let pulls = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x47);
    const stream = new ReadableStream({
      pull(controller) {
        pulls++;
        controller.enqueue(chunk);
      },
    });
    const child = spawn(["sleep", "30"], { stdin: stream, stdout: "ignore", stderr: "ignore" });
    await Bun.sleep(300);
    const pulled = pulls;
    child.kill();
    await child.exited;
    expect(pulled).toBeGreaterThan(0);
    // 1024 chunks are 64 MiB: far past the pipe and any sane buffer.
    expect(pulled).toBeLessThan(1024);
  });

  // Bun's suite also wants a locked stream, one errored in start() and one with a chunk that is
  // not bytes to throw from spawn (and no unhandled rejection for them); Bun 1.4.5 spawns and
  // rejects later instead, so those are left out (docs/SPAWN-PARITY.md).
  test("a stream that was read from, and one used before, are refused", async () => {
    const disturbed = new ReadableStream({
      async pull(controller) {
        await Bun.sleep(0);
        controller.enqueue("data");
        controller.close();
      },
    });
    const reader = disturbed.getReader();
    await reader.read();
    reader.releaseLock();
    expect(() => spawn(CAT, { stdin: disturbed })).toThrow("'stdin' ReadableStream has already been used");

    const used = streamOf("test data");
    expect(await spawn(CAT, { stdin: used }).stdout.text()).toBe("test data");
    expect(() => spawn(CAT, { stdin: used })).toThrow();
  });

  test("a fetch() response body given as stdin is locked and used", async () => {
    using server = Bun.serve({
      port: 0,
      fetch: () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(64 * 1024)) })),
    });
    const response = await fetch(server.url);
    const child = spawn(["sleep", "30"], { stdin: response.body!, stdout: "ignore", stderr: "ignore" });
    try {
      expect(response.body!.locked).toBe(true);
      expect(response.bodyUsed).toBe(true);
      expect(() => response.body!.getReader()).toThrow(expect.objectContaining({ code: "ERR_INVALID_STATE" }));
    } finally {
      child.kill();
      await child.exited;
    }
  });

  test.concurrent("erroring the stdin stream after some data surfaces no unhandled rejection", async () => {
    const result = await inFreshProcess(
      implementation,
      `let unhandled = 0;
       process.on("unhandledRejection", () => unhandled++);
       const stream = new ReadableStream({
         async start(controller) {
           controller.enqueue("hi\\n");
           await Bun.sleep(10);
           controller.error(new Error("stdin stream boom"));
         },
       });
       const child = spawn({ cmd: ["cat"], stdin: stream, stdout: "ignore" });
       await child.exited;
       await Bun.sleep(50);
       report(1, { unhandled, exited: child.exitCode });`,
    );
    expect(result.stderr).not.toContain("stdin stream boom");
    expect(result.report).toEqual({ unhandled: 0, exited: 0 });
    expect(result.exitCode).toBe(0);
  });

  // bun-types leave async iterables out of stdin's type, but Bun takes one, and Bun's case uses it.
  test.concurrent.each(["ReadableStream", "async iterable"])(
    "a child killed while a write from a %s stdin is in flight: no unhandled rejection, and the parent exits",
    async (kind) => {
      const result = await inFreshProcess(
        implementation,
        `let unhandled = 0;
         process.on("unhandledRejection", () => unhandled++);
         const chunk = Buffer.alloc(256 * 1024, "x");
         function source(producedOne) {
           if (${JSON.stringify(kind)} === "ReadableStream") {
             return new ReadableStream({ async pull(c) { await Bun.sleep(0); producedOne(); c.enqueue(chunk); } });
           }
           return (async function* () { for (;;) { await Bun.sleep(0); producedOne(); yield chunk; } })();
         }
         async function round() {
           const { promise: first, resolve } = Promise.withResolvers();
           // sleep never reads its stdin: the 256 KiB write cannot finish.
           const child = spawn({ cmd: ["sleep", "30"], stdin: source(resolve), stdout: "ignore", stderr: "ignore" });
           await first;
           child.kill();
           return child.exited;
         }
         await Promise.all(Array.from({ length: 4 }, round));
         await Bun.sleep(0);
         report(1, { unhandled });
         // No process.exit(): the loop must drain on its own once the children are gone.`,
      );
      expect(result.stderr).not.toContain("EPIPE");
      expect(result.report).toEqual({ unhandled: 0 });
      expect({ exitCode: result.exitCode, signalCode: result.signalCode }).toEqual({ exitCode: 0, signalCode: null });
    },
  );

  test.each(["an fd", "Bun.file(fd)"])(
    'a stdin stream that fails while spawn sets it up leaves the caller\'s stdout (%s) open',
    (kind) => {
      using dir = tempDir("setupfail");
      const file = join(dir.path, "out.txt");
      const fd = openSync(file, "w");
      try {
        const stream = new ReadableStream({
          type: "direct",
          pull() {
            throw new Error("pull unavailable");
          },
        } as Bun.DirectUnderlyingSource);
        const stdout = kind === "an fd" ? fd : Bun.file(fd);
        expect(() => spawn({ cmd: ["true"], stdio: [stream, stdout, "ignore"] })).toThrow("pull unavailable");
        expect(() => fstatSync(fd)).not.toThrow();
        writeSync(fd, "still-open");
      } finally {
        closeSync(fd);
      }
      expect(readFileSync(file, "utf8")).toBe("still-open");
    },
  );

  test.concurrent("a tee()d branch given as stdin: the source may close or error after the child is gone", async () => {
    for (const [type, finish, settled] of [
      ["bytes", "error", "rejected upstream failed"],
      ["bytes", "close", "resolved done=true"],
      ["default", "error", "rejected upstream failed"],
    ] as const) {
      const result = await inFreshProcess(
        implementation,
        `let source;
         const src = new ReadableStream({ ${type === "bytes" ? 'type: "bytes",' : ""} start(c) { source = c; } });
         const [a, b] = src.tee();
         const read = b.getReader().read();
         read.catch(() => {});
         const child = spawn({ cmd: ["true"], stdin: a, stdout: "ignore", stderr: "ignore" });
         await child.exited;
         ${finish === "error" ? 'source.error(new Error("upstream failed"));' : "source.close();"}
         report(1, await read.then(v => "resolved done=" + v.done, e => "rejected " + e.message));`,
      );
      expect({ report: result.report, stderr: result.stderr, exitCode: result.exitCode }).toEqual({
        report: settled,
        stderr: "",
        exitCode: 0,
      });
    }
  });

  test.concurrent('a type: "direct" stream that throws while the child is still exiting does not crash', async () => {
    const result = await inFreshProcess(
      implementation,
      `const child = spawn({
         stdin: new ReadableStream({
           type: "direct",
           async pull(c) { c.write(new TextEncoder().encode("y")); await Bun.sleep(10); throw new Error("boom"); },
         }),
         cmd: ["sh", "-c", "sleep 0.2; cat >/dev/null"],
         stdout: "ignore",
         stderr: "ignore",
       });
       await child.exited.catch(() => {});
       report(1, "ok");`,
    );
    expect({ report: result.report, exitCode: result.exitCode, signalCode: result.signalCode }).toEqual({
      report: "ok",
      exitCode: 0,
      signalCode: null,
    });
  });

  test("the quiet child of a stream stdin ends with its own code", async () => {
    const child = spawn(sh("cat >/dev/null; exit 5"), { stdio: [streamOf("ignored"), "ignore", "ignore"] });
    expect(await child.exited).toBe(5);
  });
});
