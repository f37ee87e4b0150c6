// null for an option is "not given" to Bun's spawn and spawnSync: code that builds its options
// as `{ timeout: opts.timeout ?? null }` must run the same under bun-wait4. Each case gives one
// option as null (or a value Bun reads as no limit) and checks what the child saw against what
// it sees with the option left out. Not ported from one Bun test: found by trying each option.
import { describe, expect, test } from "bun:test";
import { implementations } from "../../helpers/spawn-implementations.ts";

const decoder = new TextDecoder();

describe.each(implementations)("$name", ({ spawn, spawnSync }) => {
  /** The child's stdout, trimmed, from a spawnSync of `sh -c script` with `options`. */
  const shell = (script: string, options: Record<string, unknown>) => {
    const result = spawnSync(["sh", "-c", script], options as Parameters<typeof spawnSync>[1]);
    return { out: decoder.decode(result.stdout).trim(), exitCode: result.exitCode, signalCode: result.signalCode ?? null };
  };

  test("cwd: null runs in this process's directory", () => {
    expect(shell("pwd -P", { cwd: null }).out).toBe(shell("pwd -P", {}).out);
  });

  test("env: null gives the child the environment it gets without env", () => {
    const given = shell("env", {}).out;
    expect(given).toContain("PATH=");
    expect(shell("env", { env: null }).out).toBe(given);
  });

  test("argv0: null keeps the program's own argv[0]", () => {
    expect(shell('printf %s "$0"', { argv0: null }).out).toBe("sh");
  });

  test("timeout: null sets no timeout", () => {
    expect(shell("sleep 0.2; echo done", { timeout: null })).toEqual({ out: "done", exitCode: 0, signalCode: null });
  });

  test("killSignal: null is SIGTERM when the timeout ends the child", () => {
    const result = spawnSync(["sleep", "5"], { timeout: 100, killSignal: null } as unknown as Parameters<typeof spawnSync>[1]);
    expect(result.signalCode).toBe("SIGTERM");
    expect(result.exitedDueToTimeout).toBe(true);
  });

  test.each([null, 0, 0.5])("maxBuffer: %p sets no limit", (maxBuffer) => {
    const result = spawnSync(["head", "-c", "70000", "/dev/zero"], { maxBuffer } as unknown as Parameters<typeof spawnSync>[1]);
    expect({ bytes: result.stdout?.length, exitCode: result.exitCode, maxBuffer: result.exitedDueToMaxBuffer ?? false }).toEqual({
      bytes: 70000,
      exitCode: 0,
      maxBuffer: false,
    });
  });

  test("detached: null leaves the child in this process's session", () => {
    const ownSession = shell("ps -o sid= -p $PPID", {}).out; // the parent of the shell is this process
    expect(shell("ps -o sid= -p $$", { detached: null }).out).toBe(ownSession);
  });

  test("stdio: null keeps the default streams (stdout piped)", () => {
    expect(shell("echo out", { stdio: null }).out).toBe("out");
  });

  test("windowsHide and windowsVerbatimArguments: null are taken", () => {
    expect(shell("echo ok", { windowsHide: null, windowsVerbatimArguments: null }).out).toBe("ok");
  });

  test("spawn(): onExit, signal and timeout as null are not given", async () => {
    const child = spawn(["sh", "-c", "exit 3"], { onExit: null, signal: null, timeout: null } as unknown as Parameters<typeof spawn>[1]);
    expect(await child.exited).toBe(3);
    expect(child.signalCode).toBeNull();
  });
});
