// How a child's end is reported: exited, exitCode, signalCode, killed, onExit and, for
// spawnSync, success. Ported from oven-sh/bun test/js/bun/spawn (spawn.test.ts,
// spawn-kill-signal.test.ts, exit-code.test.ts, pidfd-exit-nested-tick.test.ts); the
// catalogue is docs/SPAWN-PARITY.md.
import { describe, expect, test } from "bun:test";
import { underEmulation } from "../../helpers/emulation.ts";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { QUIET, sh, SLEEPER } from "../../helpers/spawn-probes.ts";


describe.each(implementations)("$name", ({ spawn, spawnSync }) => {
  test.each([0, 1, 3, 42, 255])("exit %d: exited, exitCode and spawnSync agree", async (code) => {
    const child = spawn(sh(`exit ${code}`), QUIET);
    expect(await child.exited).toBe(code);
    expect({ exitCode: child.exitCode, signalCode: child.signalCode, killed: child.killed }).toEqual({
      exitCode: code,
      signalCode: null,
      killed: true,
    });
    const sync = spawnSync(sh(`exit ${code}`));
    expect({ exitCode: sync.exitCode, success: sync.success }).toEqual({ exitCode: code, success: code === 0 });
  });

  // bun-types: killed is "whether the process has exited", whatever ended it.
  test("exitCode is null and killed false until the child has exited", async () => {
    const child = spawn(sh("read line; exit 3"), { stdin: "pipe", stdout: "ignore" });
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
    expect(child.killed).toBe(false);
    child.stdin.write("go\n");
    await child.stdin.end();
    expect(await child.exited).toBe(3);
    expect(child.exitCode).toBe(3);
  });

  test("pid is the child's own process id (spawn and spawnSync)", async () => {
    const child = spawn(sh("echo $$"));
    expect(Number.isInteger(child.pid) && child.pid > 0).toBe(true);
    expect(Number((await child.stdout.text()).trim())).toBe(child.pid);
    const sync = spawnSync(sh("echo $$"));
    expect(Number(sync.stdout.toString().trim())).toBe(sync.pid);
  });

  test("kill() sends SIGTERM: exited is 128 + 15 and signalCode names it", async () => {
    const child = spawn(SLEEPER, QUIET);
    child.kill();
    expect(await child.exited).toBe(128 + 15);
    expect({ exitCode: child.exitCode, signalCode: child.signalCode, killed: child.killed }).toEqual({
      exitCode: null,
      signalCode: "SIGTERM",
      killed: true,
    });
  });

  test("a signal the child sends itself is reported like one from kill()", async () => {
    const child = spawn(sh("kill -KILL $$"), QUIET);
    expect(await child.exited).toBe(128 + 9);
    expect({ exitCode: child.exitCode, signalCode: child.signalCode }).toEqual({ exitCode: null, signalCode: "SIGKILL" });
    const sync = spawnSync(sh("kill -TERM $$"));
    expect({ exitCode: sync.exitCode, signalCode: sync.signalCode, success: sync.success }).toEqual<unknown>({
      exitCode: null,
      signalCode: "SIGTERM",
      success: false,
    });
  });

  // qemu-user keeps real-time signals for itself: kill(pid, 40) fails there with EINVAL.
  test.skipIf(underEmulation())("a signal with no name (Linux real-time 40 and 64) is reported by its number", async () => {
    for (const signal of [40, 64]) {
      const child = spawn(SLEEPER, QUIET);
      process.kill(child.pid, signal);
      expect(await child.exited).toBe(128 + signal);
      expect({ exitCode: child.exitCode, signalCode: child.signalCode }).toEqual({ exitCode: null, signalCode: signal });
    }
    const sync = spawnSync(sh("kill -40 $$"), QUIET);
    expect({ exitCode: sync.exitCode, signalCode: sync.signalCode }).toEqual<unknown>({ exitCode: null, signalCode: 40 });
  });

  test.skipIf(underEmulation())("exited first read after the exit still gives 128 + the signal", async () => {
    const { promise, resolve } = Promise.withResolvers<void>();
    const child = spawn({ cmd: SLEEPER, ...QUIET, onExit: () => resolve() });
    process.kill(child.pid, 40);
    await promise;
    expect(await child.exited).toBe(128 + 40);
  });

  test("onExit gets the subprocess, the exit code, a null signal and no error", async () => {
    const { promise, resolve } = Promise.withResolvers<unknown[]>();
    const child = spawn({ cmd: sh("exit 7"), ...QUIET, onExit: (...args) => resolve(args) });
    const [subprocess, exitCode, signalCode, error] = await promise;
    expect(subprocess).toBe(child);
    expect({ exitCode, signalCode, error }).toEqual({ exitCode: 7, signalCode: null, error: undefined });
    expect(await child.exited).toBe(7);
  });

  test("onExit of a killed child gets a null code and the signal's name", async () => {
    const { promise, resolve } = Promise.withResolvers<unknown[]>();
    const child = spawn({ cmd: SLEEPER, ...QUIET, onExit: (_, exitCode, signalCode) => resolve([exitCode, signalCode]) });
    child.kill("SIGKILL");
    expect(await promise).toEqual([null, "SIGKILL"]);
  });

  test("onExit runs for each of 20 children that exit together", async () => {
    const exits = Array.from({ length: 20 }, (_, i) => {
      const { promise, resolve } = Promise.withResolvers<number | null>();
      spawn({ cmd: sh(`exit ${i % 3}`), ...QUIET, onExit: (_, code) => resolve(code) });
      return promise;
    });
    expect(await Promise.all(exits)).toEqual(Array.from({ length: 20 }, (_, i) => i % 3));
  });

  test("pairs started together report their own exit codes to onExit", async () => {
    const pair = () =>
      Promise.all(
        [0, 1].map(
          (code) =>
            new Promise<number | null>((resolve) => {
              spawn({ cmd: sh(`exit ${code}`), ...QUIET, onExit: (_, exitCode) => resolve(exitCode) });
            }),
        ),
      );
    const results = await Promise.all(Array.from({ length: 10 }, pair));
    expect(results).toEqual(Array.from({ length: 10 }, () => [0, 1]));
  });

  test("kill() after the exit and a second kill() do nothing", async () => {
    const child = spawn(SLEEPER, QUIET);
    child.kill();
    child.kill();
    await child.exited;
    expect(() => child.kill()).not.toThrow();
    expect(() => child.kill("SIGKILL")).not.toThrow();
    expect(child.signalCode).toBe("SIGTERM");
  });

  test("kill(0) is accepted, sends nothing and leaves killed false", async () => {
    const child = spawn(SLEEPER, QUIET);
    expect(() => child.kill(0)).not.toThrow();
    expect(child.killed).toBe(false);
    child.kill(9);
    expect(await child.exited).toBe(128 + 9);
  });
});
