// Where the child runs and what it inherits: cwd, env, and PATH lookup of cmd[0]. Ported from
// oven-sh/bun test/js/bun/spawn (spawn.test.ts, spawn-env, spawn-env-inherit, spawn-path,
// spawn-renamed-cwd, spawn-fuzz-continued); catalogue: docs/SPAWN-PARITY.md.
import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { underEmulation } from "../../helpers/emulation.ts";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { inFreshProcess, sh, startFailures, startOutcome, tempDir } from "../../helpers/spawn-probes.ts";

/** Catches what `fn` throws (or fails: it must throw). */
function failureOf(fn: () => unknown): { code?: unknown; path?: unknown; message?: unknown } {
  try {
    fn();
  } catch (error) {
    return error as { code?: unknown; path?: unknown; message?: unknown };
  }
  throw new Error("expected a throw");
}

/** A directory holding an executable script `name` that prints `text`. */
function scriptDir(prefix: string, name: string, text: string) {
  const dir = tempDir(prefix);
  const file = join(dir.path, name);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho ${text}\n`);
  chmodSync(file, 0o755);
  return dir;
}

describe.each(implementations)("$name", (implementation) => {
  const { spawn, spawnSync } = implementation;

  test("cwd: the child starts there (spawn and spawnSync)", async () => {
    using dir = tempDir("cwd");
    const real = realpathSync(dir.path);
    expect((await spawn(["pwd"], { cwd: dir.path }).stdout.text()).trim()).toBe(real);
    expect(spawnSync(["pwd"], { cwd: dir.path }).stdout.toString().trim()).toBe(real);
  });

  // Bun's cases also want error.path to be the cwd (#8024); Bun 1.4.5 gives cmd[0] there, so only
  // the code and message are held (docs/SPAWN-PARITY.md).
  test("a cwd that does not exist throws ENOENT, no such file or directory (spawn and spawnSync)", async () => {
    for (const cwd of ["./this-should-not-exist", "/something/that/doesnt/exist"]) {
      for (const start of [() => spawn(["true"], { cwd }), () => spawnSync(["true"], { cwd })]) {
        expect(startFailures("ENOENT")).toContain(await startOutcome(start));
        if (!underEmulation()) expect(String(failureOf(start).message)).toContain("no such file or directory");
      }
    }
  });

  test("a cwd that is a file throws ENOTDIR (spawn and spawnSync)", async () => {
    using dir = tempDir("cwdfile");
    const file = join(dir.path, "i-am-a-file.txt");
    writeFileSync(file, "hello");
    expect(startFailures("ENOTDIR")).toContain(await startOutcome(() => spawn(["true"], { cwd: file })));
    expect(startFailures("ENOTDIR")).toContain(await startOutcome(() => spawnSync(["true"], { cwd: file })));
  });

  test("a program that does not exist throws ENOENT naming it, not the cwd", async () => {
    using dir = tempDir("nobinary");
    const cmd = ["./definitely-not-a-real-binary-xyz"];
    for (const start of [() => spawn({ cmd, cwd: dir.path }), () => spawnSync({ cmd, cwd: dir.path })]) {
      expect(startFailures("ENOENT")).toContain(await startOutcome(start));
      if (underEmulation()) continue;
      const error = failureOf(start);
      expect(error.path).not.toBe(dir.path);
      expect(String(error.path)).toContain("definitely-not-a-real-binary-xyz");
    }
    const unknown = failureOf(() => spawnSync({ cmd: ["command-is-not-found-uh-oh"] }));
    expect(unknown.code).toBe("ENOENT");
    expect(String(unknown.message)).toInclude(" ");
  });

  test("a missing program: a bare name is 'not found in $PATH', a path with a slash posix_spawn's ENOENT", () => {
    const shape = (cmd: string) => {
      const e = failureOf(() => spawn([cmd])) as { code?: unknown; path?: unknown; message?: unknown; syscall?: unknown };
      return { code: e.code, path: e.path, message: e.message, syscall: e.syscall };
    };
    expect(shape("no-such-program-xyz")).toEqual({ code: "ENOENT", path: "no-such-program-xyz", message: 'Executable not found in $PATH: "no-such-program-xyz"', syscall: undefined });
    if (underEmulation()) return; // there a path's exec failure is the child's exit 127 (startFailures)
    for (const path of ["/no/such/program", "./no-such-program"]) {
      expect(shape(path)).toEqual({ code: "ENOENT", path, message: `ENOENT: no such file or directory, posix_spawn '${path}'`, syscall: "posix_spawn" });
    }
  });

  test("a file the kernel cannot run is not run by a shell instead: ENOEXEC without #!, ENOENT for a missing interpreter", async () => {
    using dir = tempDir("exec-format");
    const script = (name: string, text: string) => {
      writeFileSync(join(dir.path, name), text);
      chmodSync(join(dir.path, name), 0o755);
      return join(dir.path, name);
    };
    const bare = script("no-hashbang", "echo ran-as-a-shell-script\n");
    const missing = script("missing-interpreter", "#!/no/such/interpreter\necho ran\n");
    const crlf = script("crlf", "#!/bin/sh\r\necho ran\r\n");
    for (const start of [() => spawn([bare], { stdout: "pipe" }), () => spawnSync([bare])]) expect(startFailures("ENOEXEC")).toContain(await startOutcome(start));
    for (const path of [missing, crlf]) {
      for (const start of [() => spawn([path]), () => spawnSync([path])]) expect(startFailures("ENOENT")).toContain(await startOutcome(start));
    }
    // A #! script whose interpreter is itself a #! script, and one named relative to cwd, do run.
    script("inner", '#!/bin/sh\nexec cat "$1"\n');
    const outer = script("outer", "#!./inner\n");
    expect(spawnSync([outer], { cwd: dir.path }).stdout.toString()).toBe("#!./inner\n");
    expect(await spawn(["./outer"], { cwd: dir.path }).stdout.text()).toBe("#!./inner\n");
  });

  test.concurrent("without cwd the child inherits the parent's directory, even after it was renamed", async () => {
    using dir = tempDir("renamed");
    const result = await inFreshProcess(
      implementation,
      `const { mkdirSync, renameSync, realpathSync } = require("node:fs");
       const install = ${JSON.stringify(join(dir.path, "install"))};
       const renamed = ${JSON.stringify(join(dir.path, "renamed"))};
       mkdirSync(install);
       process.chdir(install);
       renameSync(install, renamed);
       const sync = spawnSync(["/bin/echo", "sync-ok"]).stdout.toString().trim();
       const child = spawn(["/bin/echo", "async-ok"], { stdout: "pipe" });
       const async = (await child.stdout.text()).trim();
       const cwd = spawnSync(["pwd"]).stdout.toString().trim();
       report(1, { sync, async, cwdInherited: cwd === realpathSync(renamed) });`,
    );
    expect(result.report).toEqual({ sync: "sync-ok", async: "async-ok", cwdInherited: true });
  });

  test("env replaces the environment: only its variables, and no PATH unless given", async () => {
    const only = spawnSync(["/usr/bin/env"], { env: { CUSTOM_VAR: "custom_value" } });
    expect(only.stdout.toString()).toBe("CUSTOM_VAR=custom_value\n");
    expect(spawnSync(["/usr/bin/env"], { env: {} }).stdout.toString()).toBe("");
    const child = spawn(["/usr/bin/env"], { env: { A: "1", B: "two words" } });
    expect((await child.stdout.text()).split("\n").sort()).toEqual(["", "A=1", "B=two words"]);
  });

  test("env: a spread of process.env plus additions is what the child sees", async () => {
    const env = { ...process.env, CHILD_VAR: "child_value", PARENT_MERGE_VAR: "parent_value" };
    const child = spawn(sh('echo "$PARENT_MERGE_VAR $CHILD_VAR $HOME"'), { env });
    expect((await child.stdout.text()).trim()).toBe(`parent_value child_value ${process.env.HOME}`);
  });

  test("env: a variable whose value is undefined is left out", async () => {
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, KEPT: "yes" };
    Object.defineProperty(env, "GONE", { get: () => undefined, enumerable: true });
    const child = spawn(["/usr/bin/env"], { env });
    expect((await child.stdout.text()).split("\n").filter((line) => /^(KEPT|GONE)=/.test(line))).toEqual(["KEPT=yes"]);
  });

  test("env: a getter that throws makes spawn throw that error, every time", () => {
    const env = {};
    Object.defineProperty(env, "LOL", {
      get() {
        throw new Error("Bad!!");
      },
      enumerable: true,
    });
    for (let i = 0; i < 20; i++) expect(() => spawn({ env, cmd: ["true"] })).toThrow("Bad!!");
  });

  test("env: a hundred variables, and a thousand with spawnSync", async () => {
    const hundred: Record<string, string> = { PATH: process.env.PATH ?? "" };
    for (let i = 0; i < 100; i++) hundred[`TEST_VAR_${i}`] = `value_${i}`;
    expect((await spawn(sh('echo "$TEST_VAR_50 $TEST_VAR_99"'), { env: hundred }).stdout.text()).trim()).toBe(
      "value_50 value_99",
    );
    const thousand: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) thousand[`VAR${i}`] = `value${i}`;
    expect(spawnSync(["/usr/bin/env"], { env: thousand }).stdout.toString().split("\n").length).toBe(1001);
  });

  // Bun's suite wants the default to be the live process.env; Bun 1.4.5 gives the environment
  // the process started with (its documented default), so only a variable set at start is held.
  test.concurrent("without env the child gets this process's environment", async () => {
    const result = await inFreshProcess(
      implementation,
      `const child = spawn(["sh", "-c", "echo $SET_AT_START"], { stdout: "pipe" });
       report(1, [(await child.stdout.text()).trim(), spawnSync(["sh", "-c", "echo $SET_AT_START"]).stdout.toString().trim()]);`,
      { env: { SET_AT_START: "startup-value" } },
    );
    expect(result.report).toEqual(["startup-value", "startup-value"]);
  });

  test("PATH in env is where cmd[0] is looked up", async () => {
    using dir = scriptDir("path", "test-script", "hello from script");
    const child = spawn(["test-script"], { env: { ...process.env, PATH: `${dir.path}:${process.env.PATH}` } });
    expect([(await child.stdout.text()).trim(), await child.exited]).toEqual(["hello from script", 0]);
  });

  test.each([
    [".", "sub", "sub/tool.sh", "tool.sh"],
    ["node_modules/.bin", "project", "project/node_modules/.bin/mytool", "mytool"],
  ])("a relative PATH entry %s is taken from the cwd option", async (entry, cwd, script, name) => {
    using dir = scriptDir("relpath", script, "RAN");
    const child = spawn([name], {
      cwd: join(dir.path, cwd),
      env: { ...process.env, PATH: `${entry}:${process.env.PATH}` },
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([child.stdout.text(), child.stderr.text(), child.exited]);
    expect({ stdout: stdout.trim(), stderr, code }).toEqual({ stdout: "RAN", stderr: "", code: 0 });
  });
});
