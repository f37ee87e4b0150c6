// run()'s `input`: the command's stdin, fed from text, bytes, a Blob or a stream while its
// output is captured. `od` shows the exact bytes the command read; sha256sum checks a feed
// larger than a pipe's buffer, against node:crypto's digest of the same bytes.
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { run } from "../../src/index.ts";

type Input = NonNullable<Parameters<typeof run>[1]>["input"];

/** The bytes a command read from stdin, as `od -An -v -tx1` prints them (hex, in order). */
async function bytesRead(input: Input) {
  const result = await run(["od", "-An", "-v", "-tx1"], { input, stdout: "pipe" });
  expect(result.exitCode).toBe(0);
  return (result.stdout as string).split(/\s+/).filter((word) => word !== "");
}

const hex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, "0"));

describe("run(): input", () => {
  test("a string is fed as UTF-8", async () => {
    const text = "héllo\n€ and a lone line";
    expect(await bytesRead(text)).toEqual(hex(new TextEncoder().encode(text)));
  });

  test("bytes, an ArrayBuffer, a DataView and a Blob are fed as they are", async () => {
    const bytes = Uint8Array.from([0, 1, 2, 0xfe, 0xff, 10]);
    expect(await bytesRead(bytes)).toEqual(hex(bytes));
    expect(await bytesRead(bytes.buffer.slice(0))).toEqual(hex(bytes));
    expect(await bytesRead(new DataView(bytes.buffer, 1, 3))).toEqual(hex(bytes.subarray(1, 4)));
    expect(await bytesRead(new Blob([bytes, "z"]))).toEqual([...hex(bytes), "7a"]);
  });

  test("a ReadableStream is fed chunk by chunk to its end", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("one "));
        controller.enqueue(new TextEncoder().encode("two"));
        controller.close();
      },
    });
    expect(await bytesRead(stream)).toEqual(hex(new TextEncoder().encode("one two")));
  });

  test("an empty input is end-of-file at once", async () => {
    const result = await run(["wc", "-c"], { input: "", stdout: "pipe" });
    expect([result.exitCode, (result.stdout as string).trim()]).toEqual([0, "0"]);
  });

  test("an input far larger than a pipe's buffer reaches the command whole while its output is read", async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff;
    const result = await run(["sh", "-c", "tee /dev/stderr | sha256sum"], { input: bytes, stdout: "pipe", stderr: "pipe", encoding: "buffer" });
    expect(result.exitCode).toBe(0);
    expect(new TextDecoder().decode(result.stdout as Uint8Array).split(" ")[0]).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect((result.stderr as Uint8Array).length).toBe(bytes.length);
  });

  test("a harness feeds a CLI and checks its output, exit, time and memory in one call", async () => {
    const result = await run(["sort", "-r"], { input: "a\nc\nb\n", stdout: "pipe", timeout: 10_000 });
    expect(result).toMatchObject({ stdout: "c\nb\na\n", exitCode: 0, signal: null, timedOut: false });
    expect(result.wallSeconds).toBeGreaterThan(0);
    expect(result.peakRssBytes).toBeGreaterThan(0);
  });

  test("input with a stdin of its own is refused before anything starts", () => {
    expect(() => run(["cat"], { input: "x", stdin: "pipe" })).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARG_VALUE" }));
    expect(() => run(["cat"], { input: "x", stdin: "ignore" })).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARG_VALUE" }));
  });

  test.each([[42], [{}], [null], [[1, 2]], [Symbol("s")]])("input %p is refused with ERR_INVALID_ARG_TYPE", (input) => {
    expect(() => run(["cat"], { input } as unknown as Parameters<typeof run>[1])).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARG_TYPE" }));
  });
});
