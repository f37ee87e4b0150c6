// A ReadableStream as stdin: what the child receives, for every shape of stream. Its errors,
// cancellation, locking and backpressure are in stdin-stream-lifecycle.test.ts. Ported from
// oven-sh/bun test/js/bun/spawn/spawn-stdin-readable-stream{,-edge-cases,-integration}.test.ts;
// catalogue: docs/SPAWN-PARITY.md. Several sources await before they enqueue: a synchronous
// stream of strings may be read whole before the spawn, and these cases are about streaming.
import { describe, expect, test } from "bun:test";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { CAT, sh } from "../../helpers/spawn-probes.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** A stream that enqueues `chunks` in start() and closes. */
const streamOf = (...chunks: unknown[]) =>
  new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

describe.each(implementations)("$name", ({ spawn }) => {
  /** What `cmd` (cat by default) prints with `stdin` as its input, and its exit code. */
  async function feed(stdin: ReadableStream, cmd: string[] = CAT): Promise<[string, number]> {
    const child = spawn(cmd, { stdin, stdout: "pipe" });
    return [await child.stdout.text(), await child.exited];
  }

  test.each([
    ["one string", ["hello from stream"], "hello from stream"],
    ["three strings", ["chunk1\n", "chunk2\n", "chunk3\n"], "chunk1\nchunk2\nchunk3\n"],
    ["Uint8Arrays", [encode("binary "), encode("data "), encode("stream")], "binary data stream"],
    ["string, Uint8Array and ArrayBuffer", ["text ", encode("binary "), encode("data ").buffer, "end"], "text binary data end"],
    ["nothing", [], ""],
  ] as const)("a stream of %s", async (_, chunks, expected) => {
    expect(await feed(streamOf(...chunks))).toEqual([expected, 0]);
  });

  test("bytes with a NUL in the middle arrive unchanged", async () => {
    const bytes = new Uint8Array([72, 101, 108, 108, 111, 0, 87, 111, 114, 108, 100]);
    const child = spawn(CAT, { stdin: streamOf(bytes) });
    expect(new Uint8Array(await new Response(child.stdout).arrayBuffer())).toEqual(bytes);
  });

  test('a type: "bytes" stream', async () => {
    const data = Uint8Array.from({ length: 256 }, (_, i) => i);
    const stream = new ReadableStream({
      type: "bytes",
      start(controller) {
        controller.enqueue(data.slice(0, 128));
        controller.enqueue(data.slice(128));
        controller.close();
      },
    });
    const child = spawn(CAT, { stdin: stream });
    expect(new Uint8Array(await new Response(child.stdout).arrayBuffer())).toEqual(data);
  });

  test("chunks that come with pauses between them", async () => {
    const stream = new ReadableStream({
      async start(controller) {
        controller.enqueue("first\n");
        await Bun.sleep(20);
        controller.enqueue("second\n");
        await Bun.sleep(20);
        controller.enqueue("third\n");
        controller.close();
      },
    });
    expect(await feed(stream)).toEqual(["first\nsecond\nthird\n", 0]);
  });

  test("a pull() source, synchronous and asynchronous", async () => {
    let pulls = 0;
    const sync = new ReadableStream({
      pull(controller) {
        if (++pulls <= 3) controller.enqueue(`pull ${pulls}\n`);
        else controller.close();
      },
    });
    expect(await feed(sync)).toEqual(["pull 1\npull 2\npull 3\n", 0]);
    let asyncPulls = 0;
    const async = new ReadableStream({
      async pull(controller) {
        if (++asyncPulls > 3) return controller.close();
        await Bun.sleep(10);
        controller.enqueue(`async pull ${asyncPulls}\n`);
      },
    });
    expect(await feed(async)).toEqual(["async pull 1\nasync pull 2\nasync pull 3\n", 0]);
  });

  test("strings and bytes alternating in one asynchronous pull", async () => {
    const stream = new ReadableStream({
      async pull(controller) {
        await Bun.sleep(0);
        controller.enqueue("string1 ");
        controller.enqueue(encode("binary1 "));
        controller.enqueue("string2 ");
        controller.enqueue(encode("binary2"));
        controller.close();
      },
    });
    expect(await feed(stream)).toEqual(["string1 binary1 string2 binary2", 0]);
  });

  test("one 1 MiB chunk, one 256 KiB chunk, and 16 pulled chunks of 64 KiB arrive whole", async () => {
    const large = "x".repeat(1024 * 1024);
    expect(await feed(streamOf(large))).toEqual([large, 0]);
    expect(await feed(streamOf("a".repeat(256 * 1024)), ["wc", "-c"])).toEqual([`${256 * 1024}\n`, 0]);
    const chunk = Buffer.alloc(64 * 1024, "x");
    let pushed = 0;
    const chunked = new ReadableStream({
      pull(controller) {
        if (pushed++ < 16) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const [text, code] = await feed(chunked);
    expect({ length: text.length, same: text === chunk.toString().repeat(16), code }).toEqual({
      length: 16 * 64 * 1024,
      same: true,
      code: 0,
    });
  });

  test("a thousand small chunks, ten per pull, are a thousand lines", async () => {
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        for (let i = 0; i < 10 && sent < 1000; i++) controller.enqueue(`${sent++}\n`);
        if (sent >= 1000) controller.close();
      },
    });
    expect(await feed(stream, ["wc", "-l"])).toEqual(["1000\n", 0]);
  });

  test("a hundred 1 KiB lines pulled one at a time", async () => {
    let current = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (current < 100) controller.enqueue(`Chunk ${current++}: ${"x".repeat(1004)}\n`);
        else controller.close();
      },
    });
    const lines = (await feed(stream))[0].trim().split("\n");
    expect(lines.length).toBe(100);
    expect(lines[0]).toStartWith("Chunk 0:");
    expect(lines[99]).toStartWith("Chunk 99:");
  });

  test("five pulls of 1 KiB are five pulls and a closing one", async () => {
    let pulls = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (++pulls <= 5) controller.enqueue(Buffer.alloc(1024, "x"));
        else controller.close();
      },
    });
    expect(await feed(stream)).toEqual(["x".repeat(5 * 1024), 0]);
    expect(pulls).toBe(6);
  });

  test("a child that reads slowly still gets every line in order", async () => {
    const stream = streamOf(...Array.from({ length: 10 }, (_, i) => `chunk ${i}\n`));
    const [text, code] = await feed(stream, sh("while read line; do sleep 0.01; echo \"$line\"; done"));
    expect(text).toBe(Array.from({ length: 10 }, (_, i) => `chunk ${i}\n`).join(""));
    expect(code).toBe(0);
  });

  test("a stream through a TransformStream, and one branch of a tee()", async () => {
    const upper = new TransformStream<string, string>({
      transform: (chunk, controller) => controller.enqueue(chunk.toUpperCase()),
    });
    expect(await feed(streamOf("hello ", "world").pipeThrough(upper))).toEqual(["HELLO WORLD", 0]);
    const [first, second] = streamOf("shared data").tee();
    const child = spawn(CAT, { stdin: first });
    expect(await new Response(second).text()).toBe("shared data");
    expect(await child.stdout.text()).toBe("shared data");
  });

  test("two children fed by two streams at once each get their own", async () => {
    const one = spawn(CAT, { stdin: streamOf("stream1 data") });
    const two = spawn(CAT, { stdin: streamOf("stream2 data") });
    expect(await Promise.all([one.stdout.text(), two.stdout.text()])).toEqual(["stream1 data", "stream2 data"]);
    expect(await Promise.all([one.exited, two.exited])).toEqual([0, 0]);
  });

  test("a stream stdin alongside piped stdout and stderr", async () => {
    const child = spawn(sh('d=$(cat); printf "stdout: %s" "$d"; printf "stderr: %s" "$d" >&2'), {
      stdin: streamOf("stdin data"),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await Promise.all([child.stdout.text(), child.stderr.text(), child.exited])).toEqual([
      "stdout: stdin data",
      "stderr: stdin data",
      0,
    ]);
  });

  test.each(["ignore", "pipe", "inherit"] as const)("a stream stdin with stderr: %s", async (stderr) => {
    const stream = new ReadableStream({
      async pull(controller) {
        await Bun.sleep(0);
        controller.enqueue("test input");
        controller.close();
      },
    });
    const child = spawn(CAT, { stdin: stream, stdout: "pipe", stderr });
    expect([await child.stdout.text(), await child.exited]).toEqual(["test input", 0]);
  });

  // Bun's case also starts a child that exits without reading; under Bun 1.4.5 the write
  // into its closed pipe surfaces as an unhandled EPIPE (docs/SPAWN-PARITY.md).
  test("a child that reads its stream stdin and fails reports its exit code", async () => {
    const data = new ReadableStream({
      async pull(controller) {
        await Bun.sleep(0);
        controller.enqueue("data for failing process\n");
        controller.close();
      },
    });
    expect(await spawn(sh("cat >/dev/null; exit 1"), { stdin: data }).exited).toBe(1);
  });
});
