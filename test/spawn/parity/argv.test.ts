// The command line the child gets (cmd, argv0, empty and special arguments), detached, and the
// Windows-only options a POSIX spawn accepts and ignores. Ported from oven-sh/bun
// test/js/bun/spawn (spawn.test.ts "argv0" and "option combinations", spawn-empty-args,
// null-byte-injection's working cases); catalogue: docs/SPAWN-PARITY.md.
import { describe, expect, test } from "bun:test";
import { realpathSync } from "node:fs";
import { statFields } from "../../helpers/procfs.ts";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { QUIET, sh, SLEEPER } from "../../helpers/spawn-probes.ts";

/** argv as the kernel saw it: /proc/self/cmdline split at its NULs. */
const CMDLINE = ["cat", "/proc/self/cmdline"];
const argvOf = (cmdline: string) => cmdline.split("\0").slice(0, -1);

/** The session id of `pid` (field 6 of /proc/<pid>/stat; ours read as qemu-user cannot fake it). */
const sessionOf = (pid: number) => Number(statFields(pid)[3]);

describe.each(implementations)("$name", ({ spawn, spawnSync }) => {
  test("both call forms run the same command: (cmd, options) and ({ cmd, ...options })", async () => {
    expect(await spawn(["echo", "hello"]).stdout.text()).toBe("hello\n");
    expect(await spawn({ cmd: ["echo", "hello"], stdout: "pipe" }).stdout.text()).toBe("hello\n");
    expect(spawnSync(["echo", "hi"]).stdout.toString()).toBe("hi\n");
    expect(spawnSync({ cmd: ["echo", "hi"] }).stdout.toString()).toBe("hi\n");
    expect(spawnSync(["echo", "hello"], { argv0: "echo" }).stdout.toString().trim()).toBe("hello");
  });

  test("arguments reach the child verbatim: no shell, spaces and quotes kept, an empty last one too", async () => {
    const args = ["a b", "$HOME", "*", "'quoted'", '"double"', "ü 🚀", ""];
    expect(argvOf(await spawn([...CMDLINE, ...args]).stdout.text())).toEqual([...CMDLINE, ...args]);
    const child = spawn(sh('[ "$#" -eq 2 ] && [ "$2" = "" ]', "first", ""), QUIET);
    expect(await child.exited).toBe(0);
  });

  test("argv0 replaces argv[0] but not the program that runs (spawn and spawnSync)", async () => {
    const child = spawn(CMDLINE, { argv0: "custom-argv0" });
    expect(argvOf(await child.stdout.text())).toEqual(["custom-argv0", "/proc/self/cmdline"]);
    const sync = spawnSync(CMDLINE, { argv0: "custom-argv0-sync" });
    expect(argvOf(sync.stdout.toString())).toEqual(["custom-argv0-sync", "/proc/self/cmdline"]);
    // The program that runs is still sh, whose own argv[0] is now "renamed".
    const shell = spawnSync(["sh", "-c", 'readlink /proc/$$/exe; tr "\\0" " " </proc/$$/cmdline'], { argv0: "renamed" });
    const [exe, cmdline] = shell.stdout.toString().split("\n");
    expect(exe).toBe(realpathSync(Bun.which("sh")!));
    expect(cmdline!.startsWith("renamed -c ")).toBe(true);
  });

  test("without argv0, argv[0] is cmd[0] as given", async () => {
    expect(argvOf(await spawn(CMDLINE).stdout.text())[0]).toBe("cat");
    const absolute = Bun.which("cat")!;
    expect(argvOf(spawnSync([absolute, "/proc/self/cmdline"]).stdout.toString())[0]).toBe(absolute);
  });

  test("an empty argv0 counts as none: argv[0] is cmd[0] (spawn and spawnSync)", async () => {
    expect(argvOf(await spawn(CMDLINE, { argv0: "" }).stdout.text())[0]).toBe("cat");
    expect(argvOf(spawnSync(CMDLINE, { argv0: "" }).stdout.toString())[0]).toBe("cat");
  });

  test("detached: the child leads a new session; otherwise it shares ours", async () => {
    const ours = sessionOf(process.pid);
    const attached = spawn(SLEEPER, QUIET);
    const detached = spawn(SLEEPER, { ...QUIET, detached: true });
    try {
      expect(sessionOf(attached.pid)).toBe(ours);
      // Under qemu-user the child's setsid can land after spawn returns (docs/DESIGN.md §7).
      const until = Date.now() + 2000;
      while (sessionOf(detached.pid) !== detached.pid && Date.now() < until) await Bun.sleep(5);
      expect(sessionOf(detached.pid)).toBe(detached.pid);
    } finally {
      attached.kill();
      detached.kill();
      await Promise.all([attached.exited, detached.exited]);
    }
  });

  test("detached and argv0 together", async () => {
    const child = spawn(CMDLINE, { detached: true, argv0: "custom-name", stdin: "ignore", stderr: "ignore" });
    expect(argvOf(await child.stdout.text())[0]).toBe("custom-name");
    expect(await child.exited).toBe(0);
  });

  test("without uid and gid the child runs as this process's user and group", async () => {
    expect((await spawn(["id", "-u"]).stdout.text()).trim()).toBe(String(process.getuid!()));
    expect(spawnSync(["id", "-g"]).stdout.toString().trim()).toBe(String(process.getgid!()));
  });

  test("windowsHide and windowsVerbatimArguments are accepted and change nothing here", async () => {
    const options = { windowsHide: true, windowsVerbatimArguments: true } as const;
    expect(await spawn(["echo", "a b"], options).stdout.text()).toBe("a b\n");
    expect(spawnSync(["echo", "a b"], options).stdout.toString()).toBe("a b\n");
  });
});
