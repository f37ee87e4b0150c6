// What a finished child leaves behind: no zombie, and no descriptor, whether its pipes were read
// or not. Ported from oven-sh/bun test/js/bun/spawn (spawn-stdin-pipe-fd-leak,
// spawn-streaming-stdin, spawn-streaming-stdout, spawn.test.ts "should not hang"); the memory
// and object-count leak cases are soak measurements and are not here. Catalogue:
// docs/SPAWN-PARITY.md.
import { describe, expect, test } from "bun:test";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { CAT, descriptorsSettle, exists, openDescriptors, QUIET, sh, writeWhileReading } from "../../helpers/spawn-probes.ts";

describe.each(implementations)("$name", ({ spawn }) => {
  test("a child is reaped by the time exited resolves: no zombie left", async () => {
    const children = Array.from({ length: 10 }, () => spawn(["true"], QUIET));
    await Promise.all(children.map((child) => child.exited));
    expect(children.filter((child) => exists(child.pid)).map((child) => child.pid)).toEqual([]);
  });

  test('a "pipe" stdin that is never read is closed when the child exits, without waiting for GC', async () => {
    spawn(["true"], { stdin: "pipe", stdout: "ignore", stderr: "ignore" });
    const before = openDescriptors();
    const children = Array.from({ length: 40 }, () => spawn(["true"], { stdin: "pipe", stdout: "ignore", stderr: "ignore" }));
    await Promise.all(children.map((child) => child.exited));
    expect(await descriptorsSettle(before + 10)).toBeLessThanOrEqual(before + 10);
    expect(children.length).toBe(40);
  });

  test("pipes read to the end, and pipes never read, are all released", async () => {
    const before = openDescriptors();
    const read = Array.from({ length: 20 }, async () => {
      const child = spawn(sh("echo out; echo err >&2"), { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
      child.stdin.end();
      return Promise.all([child.stdout.text(), child.stderr.text(), child.exited]);
    });
    expect((await Promise.all(read)).every(([out, err, code]) => out === "out\n" && err === "err\n" && code === 0)).toBe(
      true,
    );
    await Promise.all(Array.from({ length: 20 }, () => spawn(sh("echo unread"), { stderr: "pipe" }).exited));
    Bun.gc(true);
    expect(await descriptorsSettle(before + 4)).toBeLessThanOrEqual(before + 4);
  });

  test("ten rounds of writing to a child's stdin while reading its stdout leave no descriptor behind", async () => {
    const before = openDescriptors();
    for (let round = 0; round < 10; round++) {
      const child = spawn(CAT, { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
      expect(await writeWhileReading(child, "Wrote to stdin!\n", 4, 2)).toBe("Wrote to stdin!\n".repeat(4));
      await child.exited;
    }
    Bun.gc(true);
    expect(await descriptorsSettle(before + 2)).toBeLessThanOrEqual(before + 2);
  });

  test("ten rounds of reading four chunks, leaving the loop and killing the writer leave no descriptor behind", async () => {
    const before = openDescriptors();
    for (let round = 0; round < 10; round++) {
      const child = spawn(sh('while :; do echo "Wrote to stdout"; sleep 0.001; done'), {
        stdin: "ignore",
        stdout: "pipe",
        stderr: "ignore",
      });
      const chunks: Uint8Array[] = [];
      for await (const chunk of child.stdout) {
        chunks.push(chunk);
        if (chunks.length > 3) break;
      }
      child.kill();
      expect(Buffer.concat(chunks).toString()).toStartWith("Wrote to stdout\n".repeat(4));
      await child.exited;
    }
    Bun.gc(true);
    expect(await descriptorsSettle(before + 2)).toBeLessThanOrEqual(before + 2);
  });
});
