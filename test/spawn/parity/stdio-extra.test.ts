// stdio beyond the first three: a caller's fd, "pipe", "socket-fd", Bun.file(), and what
// .stdio exposes; and the child's descriptors beyond what it was given. Ported from
// oven-sh/bun test/js/bun/spawn (spawn.test.ts "close handling", spawn-extra-fd-ownership;
// spawn-close-range-fallback's property without its seccomp harness); catalogue:
// docs/SPAWN-PARITY.md. Refusals (a Blob at stdio[3], "socket-fd" below 3) are in
// bad-input.test.ts.
import { describe, expect, test } from "bun:test";
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { inFreshProcess, sh, tempDir } from "../../helpers/spawn-probes.ts";

/** A child that copies what it can read on fd 3 to stdout. */
const CAT_FD3 = sh("cat <&3");

describe.each(implementations)("$name", (implementation) => {
  const { spawn } = implementation;

  test("a caller's fd at stdio[3] reaches the child, shows in .stdio, and is never closed", async () => {
    using dir = tempDir("extrafd");
    const file = join(dir.path, "out.txt");
    const fd = openSync(file, "w");
    try {
      const children = Array.from({ length: 8 }, () =>
        spawn(sh("echo hi >&3"), { stdio: ["ignore", "ignore", "ignore", fd] }),
      );
      expect(children[0]!.stdio).toEqual([null, null, null, fd]);
      expect(await Promise.all(children.map((child) => child.exited))).toEqual(Array(8).fill(0));
      Bun.gc(true);
      await Bun.sleep(0);
      Bun.gc(true);
      expect(() => fstatSync(fd)).not.toThrow();
      expect(readFileSync(file, "utf8")).toBe("hi\n".repeat(8));
    } finally {
      closeSync(fd);
    }
  });

  test("a slot that is not an fd shows as null in .stdio", async () => {
    const fd = openSync("/dev/null", "r");
    try {
      const child = spawn(["true"], { stdio: ["ignore", "ignore", "ignore", "ignore", fd] });
      expect(child.stdio).toEqual([null, null, null, null, fd]);
      await child.exited;
    } finally {
      closeSync(fd);
    }
  });

  test.each([
    ["undefined", () => ["ignore", "pipe", "inherit", undefined, undefined]],
    // eslint-disable-next-line no-sparse-arrays
    ["a hole", () => ["ignore", "pipe", "inherit", , "ignore"]],
    ["an empty Blob", () => ["ignore", "pipe", "inherit", new Blob([])]],
  ])("stdio[3] given as %s is ignored", async (_, stdio) => {
    const child = spawn({ cmd: ["printf", "ok"], stdio: stdio() as ["ignore", "pipe", "inherit"] });
    expect([await child.stdout.text(), await child.exited]).toEqual(["ok", 0]);
  });

  test("Bun.file(path) and Bun.file(fd) at stdio[3] are readable in the child", async () => {
    using dir = tempDir("bunfile3");
    const file = join(dir.path, "in.txt");
    writeFileSync(file, "from-bun-file");
    const byPath = spawn(CAT_FD3, { stdio: ["ignore", "pipe", "pipe", Bun.file(file)] });
    expect([await byPath.stdout.text(), await byPath.stderr.text(), await byPath.exited]).toEqual([
      "from-bun-file",
      "",
      0,
    ]);
    const fd = openSync(file, "r");
    try {
      const byFd = spawn(CAT_FD3, { stdio: ["ignore", "pipe", "pipe", Bun.file(fd)] });
      expect([await byFd.stdout.text(), await byFd.exited]).toEqual(["from-bun-file", 0]);
    } finally {
      closeSync(fd);
    }
  });

  test('"pipe" at stdio[3]: .stdio[3] is our end, readable after the exit, ours to close', async () => {
    const child = spawn(sh("printf hi >&3"), { stdio: ["ignore", "ignore", "ignore", "pipe"] });
    await child.exited;
    const fd = child.stdio[3];
    expect(typeof fd).toBe("number");
    const buffer = Buffer.alloc(8);
    expect(buffer.toString("utf8", 0, readSync(fd as number, buffer))).toBe("hi");
    closeSync(fd as number);
  });

  test.concurrent('"pipe" at stdio[3]: once we closed our end, collecting the subprocess closes nothing of ours', async () => {
    const result = await inFreshProcess(
      implementation,
      `const fs = require("node:fs");
       let hits = 0;
       for (let i = 0; i < 4; i++) {
         let child = spawn({ cmd: ["sh", "-c", "printf hi >&3"], stdio: ["ignore", "ignore", "ignore", "pipe"] });
         await child.exited;
         const fd = child.stdio[3];
         const b = Buffer.alloc(8);
         if (fs.readSync(fd, b) !== 2) throw new Error("stdio[3] unreadable");
         fs.closeSync(fd);
         // The number is free again: this file takes it.
         const victim = fs.openSync(process.execPath, "r");
         child = null;
         Bun.gc(true);
         await Bun.sleep(0);
         Bun.gc(true);
         try { fs.fstatSync(victim); } catch { hits++; }
         try { fs.closeSync(victim); } catch {}
       }
       report(1, { hits });`,
    );
    expect(result.report).toEqual({ hits: 0 });
  });

  test('"socket-fd" at stdio[3] gives a caller-owned fd the subprocess never closes', async () => {
    const child = spawn(sh("printf hello-from-child >&3"), { stdio: ["ignore", "ignore", "ignore", "socket-fd"] });
    const fd = child.stdio[3] as number;
    expect(typeof fd).toBe("number");
    try {
      await child.exited;
      const buffer = Buffer.alloc(64);
      expect(buffer.toString("utf8", 0, readSync(fd, buffer))).toBe("hello-from-child");
    } finally {
      closeSync(fd);
    }
    expect(() => fstatSync(fd)).toThrow(expect.objectContaining({ code: "EBADF" }));
  });

  test("stdin, stdout and stderr given as fds, ignore, Bun.stdin/stdout/stderr or nothing, in every mix", async () => {
    const fileFd = openSync(import.meta.path, "r");
    try {
      const stdins = [fileFd, "ignore", Bun.stdin, undefined] as const;
      const stdouts = [1, "ignore", Bun.stdout, undefined] as const;
      const stderrs = [2, "ignore", Bun.stderr, undefined] as const;
      const exits: Promise<number>[] = [];
      for (const stdin of stdins)
        for (const stdout of stdouts)
          for (const stderr of stderrs) exits.push(spawn(["true"], { stdin, stdout, stderr }).exited);
      expect(await Promise.all(exits)).toEqual(Array(64).fill(0));
      Bun.gc(false);
      await Bun.sleep(0);
      for (const fd of [fileFd, 1, 2]) expect(() => fstatSync(fd)).not.toThrow();
    } finally {
      closeSync(fileFd);
    }
  });

  // Not a case of Bun's suite (Bun's close_range fallback test checks it under seccomp), but what
  // it guards: a child gets its stdio and nothing else, not even a descriptor of ours that lacks
  // close-on-exec; and it starts with no signal ignored or blocked, though Bun ignores SIGPIPE.
  test.concurrent("the child gets only its stdio, and default signal dispositions", async () => {
    const result = await inFreshProcess(
      implementation,
      `const fds = spawnSync(["ls", "/proc/self/fd"]).stdout.toString().trim().split("\\n");
       const status = spawnSync(["grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"]).stdout.toString();
       report(1, { fds, status, parentHas7: require("fs").readdirSync("/proc/self/fd").includes("7") });`,
      { shellPrefix: "exec 7</dev/null" },
    );
    expect(result.report).toEqual({
      fds: ["0", "1", "2", "3"],
      status: "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n",
      parentHas7: true,
    });
  });
});
