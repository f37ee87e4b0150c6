// What the child reads: "pipe" (a FileSink), Bun.file(), an fd, ArrayBufferView, ArrayBuffer,
// Blob, Response, Request, "inherit", "ignore" and null. ReadableStream stdin has its own file
// (stdin-stream.test.ts). Ported from oven-sh/bun test/js/bun/spawn (spawn.test.ts,
// spawn-empty-arrayBufferOrBlob, spawn-stdin-arraybuffer-gc, spawn-stdin-large-buffer,
// spawn-streaming-stdin, spawn-stdin-destroy, spawn-stdin-pipe-fd-leak, spawn-stdio-bunfile,
// spawn-socketpair-shutdown); catalogue: docs/SPAWN-PARITY.md.
import { describe, expect, test } from "bun:test";
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { implementations } from "../../helpers/spawn-implementations.ts";
import {
  CAT,
  inFreshProcess,
  sh,
  startFailures,
  startOutcome,
  tempDir,
  writeWhileReading,
} from "../../helpers/spawn-probes.ts";

const HUGE = "hello".repeat(50_000) + "hey";
const md5 = (data: string | Uint8Array) => new Bun.CryptoHasher("md5").update(data).digest("hex");
const MD5SUM = sh("md5sum | cut -d' ' -f1");

describe.each(implementations)("$name", (implementation) => {
  const { spawn, spawnSync } = implementation;

  test("stdin is ignored by default: no sink, and the child reads end of file", async () => {
    const child = spawn(CAT);
    expect(child.stdin).toBeUndefined();
    expect(await child.stdout.text()).toBe("");
    expect(await child.exited).toBe(0);
    for (const stdin of ["ignore", null] as const) expect(await spawn(CAT, { stdin }).stdout.text()).toBe("");
  });

  test('"pipe" gives a FileSink: write strings and bytes, flush, end', async () => {
    const child = spawn(CAT, { stdin: "pipe" });
    expect(typeof child.stdin.write).toBe("function");
    child.stdin.write("hello");
    child.stdin.write(new TextEncoder().encode(" world!"));
    child.stdin.flush();
    await child.stdin.end();
    expect(await child.stdout.text()).toBe("hello world!");
    expect(await child.exited).toBe(0);
  });

  test('"pipe" delivers chunks written over time, read as they come', async () => {
    const child = spawn(CAT, { stdin: "pipe" });
    expect(await writeWhileReading(child, "Wrote to stdin!\n", 4, 8)).toBe("Wrote to stdin!\n".repeat(4));
  });

  test.concurrent('"pipe" reaches a child that starts reading only after a pause', async () => {
    const child = spawn(sh("sleep 0.3; head -n 1"), { stdin: "pipe", stderr: "pipe" });
    child.stdin.write("hello via stdin\n");
    child.stdin.flush();
    child.stdin.end();
    const [stdout, code] = await Promise.all([child.stdout.text(), child.exited]);
    expect({ stdout, code }).toEqual({ stdout: "hello via stdin\n", code: 0 });
  });

  // Whether the promise of write() or of end() reports it depends on when the child's exit
  // lands; Bun's case starts a slow Bun child so that it is end().
  test.concurrent('a large "pipe" write to a child that exits after one byte fails with EPIPE', async () => {
    const child = spawn(["head", "-c", "1"], { stdin: "pipe", stdout: "ignore", stderr: "ignore" });
    let caught: { code?: unknown } | undefined;
    try {
      await child.stdin.write(Buffer.alloc(16 * 1024 * 1024, 0x41));
      await child.stdin.end();
    } catch (error) {
      caught = error as typeof caught;
    }
    expect(caught?.code).toBe("EPIPE");
    expect(await child.exited).toBe(0);
  });

  test('writing to "pipe" after the child exited fails cleanly and exited still resolves', async () => {
    const child = spawn(sh("exit 1"), { stdin: "pipe" });
    await Bun.sleep(80);
    try {
      child.stdin.write("dylan\n");
      await child.stdin.flush();
    } catch (error) {
      expect((error as { code?: unknown }).code).toBe("ERR_STREAM_WRITE_AFTER_END");
    }
    await Promise.resolve(child.stdin.end()).catch(() => {});
    const [out, code] = await Promise.all([child.stdout.text(), child.exited]);
    expect({ out, code }).toEqual({ out: "", code: 1 });
  });

  test('the "pipe" sink can still be read after the child exited', async () => {
    const child = spawn(["true"], { stdin: "pipe", stdout: "ignore" });
    await child.exited;
    expect(typeof child.stdin.write).toBe("function");
  });

  // bun-types leave ArrayBuffer out of stdin's type, though Bun takes one (as its own suite does).
  test.each([
    ["Uint8Array", () => new TextEncoder().encode(HUGE)],
    ["Buffer", () => Buffer.from(HUGE)],
    ["DataView", () => new DataView(Buffer.from(HUGE).buffer.slice(0))],
    ["ArrayBuffer", () => Buffer.from(HUGE).buffer.slice(0)],
    ["Blob", () => new Blob([HUGE])],
  ] as const)("a %s is the child's input, whole (spawn and spawnSync)", async (_, make) => {
    const expected = md5(HUGE);
    const child = spawn(MD5SUM, { stdin: make() as Blob });
    expect((await child.stdout.text()).trim()).toBe(expected);
    expect(await child.exited).toBe(0);
    const sync = spawnSync(MD5SUM, { stdin: make() as Blob });
    expect(sync.stdout.toString().trim()).toBe(expected);
  });

  test.each([
    ["ArrayBuffer", () => new ArrayBuffer(0)],
    ["Uint8Array", () => new Uint8Array(0)],
    ["Blob", () => new Blob([])],
  ] as const)("an empty %s gives the child an empty input", async (_, make) => {
    const child = spawn(CAT, { stdin: make() as Blob, stderr: "pipe" });
    const [code, stdout, stderr] = await Promise.all([child.exited, child.stdout.text(), child.stderr.text()]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("stdin larger than any pipe buffer arrives whole (4 MiB spawn, 8 MiB spawnSync)", async () => {
    const four = new Uint8Array(4 * 1024 * 1024).fill(0x41);
    expect((await spawn(MD5SUM, { stdin: four }).stdout.text()).trim()).toBe(md5(four));
    const eight = new Uint8Array(8 * 1024 * 1024).fill(0x41);
    expect(spawnSync(MD5SUM, { stdin: eight }).stdout.toString().trim()).toBe(md5(eight));
  });

  test("a Response or a Request body is the child's input", async () => {
    expect(await spawn(CAT, { stdin: new Response("from a response") }).stdout.text()).toBe("from a response");
    const request = new Request("http://localhost/", { method: "POST", body: "from a request" });
    expect(await spawn(CAT, { stdin: request }).stdout.text()).toBe("from a request");
  });

  test("Bun.file(path) is the child's input; as stdout too, the other file gets it", async () => {
    using dir = tempDir("bunfile");
    const input = join(dir.path, "in.txt");
    const output = join(dir.path, "out.txt");
    writeFileSync(input, "hello there!");
    expect(await spawn(CAT, { stdin: Bun.file(input) }).stdout.text()).toBe("hello there!");
    expect(await spawn(CAT, { stdin: Bun.file(input), stdout: Bun.file(output) }).exited).toBe(0);
    expect(readFileSync(output, "utf8")).toBe("hello there!");
    expect(readFileSync(input, "utf8")).toBe("hello there!");
    expect(spawnSync(CAT, { stdin: Bun.file(input) }).stdout.toString()).toBe("hello there!");
  });

  test("the child's stdin opened from Bun.file() is not left non-blocking", async () => {
    const child = spawn(["cat", "/proc/self/fdinfo/0"], { stdin: Bun.file("/proc/self/cmdline") });
    const flags = (await child.stdout.text()).match(/^flags:\s*([0-7]+)/m)?.[1];
    expect(flags).toBeDefined();
    const O_NONBLOCK = 0o4000;
    expect(Number.parseInt(flags!, 8) & O_NONBLOCK).toBe(0);
  });

  // Bun's case also wants syscall "open" and the directory's path, and a missing file to throw
  // ENOENT; Bun 1.4.5 names posix_spawn and creates the missing file, so those are left out
  // (docs/SPAWN-PARITY.md).
  test("Bun.file() of a directory throws EISDIR (spawn and spawnSync)", async () => {
    using dir = tempDir("directory");
    const options = { stdin: Bun.file(dir.path), stdout: "ignore", stderr: "ignore" } as const;
    expect(startFailures("EISDIR")).toContain(await startOutcome(() => spawn(["true"], options)));
    expect(startFailures("EISDIR")).toContain(await startOutcome(() => spawnSync(["true"], options)));
  });

  test("an fd is the child's input and stays open", async () => {
    using dir = tempDir("fd");
    const file = join(dir.path, "in.txt");
    writeFileSync(file, "through the fd");
    const fd = openSync(file, "r");
    try {
      expect(await spawn(CAT, { stdin: fd }).stdout.text()).toBe("through the fd");
      expect(() => fstatSync(fd)).not.toThrow();
    } finally {
      closeSync(fd);
    }
  });

  test.concurrent('"inherit" gives the child this process\'s stdin', async () => {
    const result = await inFreshProcess(
      implementation,
      `const child = spawn(["cat"], { stdin: "inherit", stdout: "pipe" });
       report(1, [await child.stdout.text(), await child.exited]);`,
      { stdin: new Blob(["from the parent's stdin"]) },
    );
    expect(result.report).toEqual(["from the parent's stdin", 0]);
  });
});
