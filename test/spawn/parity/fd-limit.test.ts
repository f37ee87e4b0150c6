// Spawning at the descriptor limit: a clean EMFILE when nothing could start, never an error for
// a child that did start, never an abort. Ported from oven-sh/bun test/js/bun/spawn
// (spawnsync-emfile, spawn-sync-loop-init-fail, spawn-pidfd-emfile, spawn.test.ts "at the
// descriptor limit a spawn still works when only the closed fd 1 is free"); catalogue:
// docs/SPAWN-PARITY.md. Bun's suite also spawns with inherited stdio and no descriptor at all to
// spare: Bun 1.4.5 then throws EMFILE from pidfd_open for a child that did run, so that case is
// left out. Each case fills the descriptor table of a fresh process started under `ulimit -n`.
import { describe, expect, test } from "bun:test";
import { implementations } from "../../helpers/spawn-implementations.ts";
import { inFreshProcess } from "../../helpers/spawn-probes.ts";

/** Script prelude: `held` fills the descriptor table; `ourChildren()` counts this process's children. */
const FILL = `
  const fs = require("node:fs");
  const held = [];
  for (;;) { try { held.push(fs.openSync("/dev/null", "r")); } catch { break; } }
  const ourChildren = () => fs.readdirSync("/proc").filter(pid => {
    if (!/^\\d+$/.test(pid)) return false;
    try {
      const stat = fs.readFileSync("/proc/" + pid + "/stat", "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] === String(process.pid);
    } catch { return false; }
  }).length;
`;

describe.each(implementations)("$name", (implementation) => {
  const run = (script: string, limit: number) =>
    inFreshProcess(implementation, FILL + script, { shellPrefix: `ulimit -n ${limit}` });

  test.concurrent("spawnSync throws EMFILE with no descriptor to spare, and works once a few are free", async () => {
    const result = await run(
      `const outcomes = [];
       for (let spare = 0; spare <= 16; spare++) {
         if (spare > 0) fs.closeSync(held.pop());
         try {
           const r = spawnSync(["/bin/echo", "hi"]);
           outcomes.push("ok " + r.exitCode + " " + JSON.stringify(r.stdout.toString()));
         } catch (e) {
           outcomes.push("err " + e.code);
         }
       }
       for (const fd of held) fs.closeSync(fd);
       report(1, outcomes);`,
      64,
    );
    const outcomes = result.report as string[];
    expect(outcomes).toHaveLength(17);
    expect(outcomes[0]).toBe("err EMFILE");
    expect(outcomes.at(-1)).toBe('ok 0 "hi\\n"');
    for (const outcome of outcomes) expect(outcome).toMatch(/^(err EMFILE|ok 0 "hi\\n")$/);
    expect({ stderr: result.stderr, exitCode: result.exitCode }).toEqual({ stderr: "", exitCode: 0 });
  });

  // Bun's case wants EMFILE here: its spawnSync needs a descriptor for its own event loop. An
  // implementation that needs none may run the child instead; neither may abort.
  test.concurrent("spawnSync with ignored stdio and no descriptor to spare runs or throws EMFILE, and then works", async () => {
    const result = await run(
      `let first;
       try {
         const r = spawnSync({ cmd: ["/bin/sh", "-c", ":"], stdio: ["ignore", "ignore", "ignore"] });
         first = "exit " + r.exitCode;
       } catch (e) {
         first = "threw " + e.code;
       }
       for (const fd of held) fs.closeSync(fd);
       const retry = spawnSync({ cmd: ["/bin/sh", "-c", ":"], stdio: ["ignore", "ignore", "ignore"] });
       report(1, { first, retry: retry.exitCode });`,
      512,
    );
    expect(["exit 0", "threw EMFILE"]).toContain((result.report as { first: string }).first);
    expect(result.report).toMatchObject({ retry: 0 });
    expect(result.exitCode).toBe(0);
  });

  test.concurrent("spawn with piped stdio short of descriptors: EMFILE until it fits, then a child that is ours and ends", async () => {
    const result = await run(
      `let proc = null, error = null, spawnMs = 0;
       while (held.length) {
         fs.closeSync(held.pop());
         const started = performance.now();
         try {
           proc = spawn({ cmd: ["sleep", "0.5"], stdin: "pipe", stdout: "pipe", stderr: "pipe" });
           spawnMs = performance.now() - started;
           break;
         } catch (e) {
           if (e.code !== "EMFILE") { error = e.code; break; }
           // A refused spawn must not have left a child running.
           if (ourChildren() !== 0) { error = "a child outlived its EMFILE"; break; }
         }
       }
       for (const fd of held) fs.closeSync(fd);
       const exit = proc ? await proc.exited : null;
       report(1, { error, gotProc: proc !== null, exit, returnedBeforeTheChildEnded: spawnMs < 400, children: ourChildren() });`,
      256,
    );
    expect(result.report).toEqual({ error: null, gotProc: true, exit: 0, returnedBeforeTheChildEnded: true, children: 0 });
  });

  // One spawn before the table fills: bun-wait4 loads its spawn on the first call (which reads
  // its modules, one descriptor each), and this case is about the spawn, not about loading.
  test.concurrent("a spawn still works when the only free descriptor is a closed fd 1", async () => {
    const result = await run(
      `for (const fd of held.splice(0)) fs.closeSync(fd);
       await spawn({ cmd: ["true"], stdio: ["ignore", "ignore", "ignore"] }).exited;
       for (;;) { try { held.push(fs.openSync("/dev/null", "r")); } catch { break; } }
       const nul = held.pop();
       fs.closeSync(1);
       let outcome;
       try {
         const child = spawn({ cmd: ["true"], stdio: [nul, nul, nul] });
         outcome = "exit " + (await child.exited);
       } catch (e) {
         outcome = "threw " + e.code;
       }
       for (const fd of held) fs.closeSync(fd);
       report(2, { atTheLimit: held.length > 0, outcome });`,
      64,
    );
    // musl's posix_spawn opens a pipe of its own (src/process/posix_spawn.c, `struct args`'s
    // p[2], for the child's exec error), so with one descriptor free it would fail EMFILE; but
    // the first spawn started the hand-off's forker, whose descriptors (and its spares') are let
    // go when the hand-off runs short, which leaves room for it.
    expect(result.report).toEqual({ atTheLimit: true, outcome: "exit 0" });
  });
});
