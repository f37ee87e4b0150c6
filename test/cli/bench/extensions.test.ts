/**
 * bun-wait4-bench's two options beyond hyperfine (`--interleave`, `--baseline FILE`), and the
 * progress bar, which hyperfine draws only on a terminal: run under `script` (util-linux) for a
 * pseudo-terminal, and piped.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { underEmulation } from "../../helpers/emulation.ts";
import { BENCH, ours } from "../../helpers/hyperfine.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-extensions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--interleave", () => {
  test("runs one of each command per round, after the setups and before the cleanups; each keeps its run count", () => {
    const log = join(dir, "interleave.log");
    const w = (word: string) => `echo ${word} >> ${log}`;
    const r = ours(["--interleave", "-w", "1", "-r", "3", "--setup", w("setup"), "--cleanup", w("cleanup"), "--prepare", w("p"), w("a"), w("b")]);
    expect(r.stderr).not.toContain("Error");
    expect(r.status).toBe(0);
    const rounds = Array.from({ length: 4 }, () => ["p", "a", "p", "b"]).flat(); // the warm-up round and three timed ones
    expect(readFileSync(log, "utf8")).toBe([...["setup", "setup"], ...rounds, ...["cleanup", "cleanup"]].map((x) => `${x}\n`).join(""));
    // The report is hyperfine's, per command, in order, with each command's own runs.
    expect(r.stdout).toMatch(/^Benchmark 1: echo a >> .*\n(.*\n){3} \nBenchmark 2: echo b >> .*\n(.*\n){3} \n/);
    expect(r.stdout.match(/ 3 runs\n/g)?.length).toBe(2);
  });

  test("gives the same figures as the plain order in debug mode (only the order of running changes)", () => {
    const args = ["--debug-mode", "sleep 0.3", "sleep 0.1", "--export-json", "-"];
    expect(ours(["--interleave", ...args]).stdout).toBe(ours(args).stdout);
  });
});

describe("--baseline FILE", () => {
  const before = join(dir, "before.json");

  test("compares each command's mean with the same command in an earlier export", () => {
    expect(ours(["--debug-mode", "--style", "none", "sleep 0.2", "sleep 0.4", "--export-json", before]).status).toBe(0);
    const r = ours(["--debug-mode", "sleep 0.3", "sleep 0.4", "sleep 0.5", "--baseline", before]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `Compared with ${before}\n` +
        "  sleep 0.3: not in the baseline\n" +
        "  sleep 0.4 (400.0 ms before, 400.0 ms now)\n    As before (1.00 ± 0.00)\n" +
        "  sleep 0.5: not in the baseline\n",
    );
    const slower = ours(["--debug-mode", "-n", "sleep 0.2", "sleep 0.3", "--baseline", before]).stdout;
    expect(slower).toContain("  sleep 0.2 (200.0 ms before, 300.0 ms now)\n    1.50 ± 0.00 times slower than before\n");
  });

  test.skipIf(underEmulation())("compares peak memory too when both runs measured it", () => {
    const big = join(dir, "big.json");
    const cmd = 'python3 -c "b = bytearray(40 * 1024 * 1024)"';
    expect(ours(["-N", "-r", "2", "--style", "none", cmd, "--export-json", big]).status).toBe(0);
    const r = ours(["-N", "-r", "2", "-n", cmd, "true", "--baseline", big]);
    expect(r.stdout).toMatch(/ times faster than before\n +\d+\.\d\d ± \d+\.\d\d times less memory than before\n/);
  });

  test("an unreadable or foreign baseline is an error before anything runs", () => {
    const missing = ours(["--debug-mode", "sleep 1", "--baseline", join(dir, "nope.json")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`Error: Could not read the baseline '${join(dir, "nope.json")}': No such file or directory\n`);
    expect(missing.stdout).toBe("");
    const foreign = ours(["--debug-mode", "sleep 1", "--baseline", join(import.meta.dir, "..", "..", "..", "package.json")]);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain('is not a hyperfine JSON export (no "results" list)');
  });
});

// Native only: under qemu-user each process costs seconds, and this is the same TypeScript.
describe.skipIf(underEmulation())("the progress bar", () => {
  /** Runs us under a pseudo-terminal (stdout and stderr both on it); returns what it showed. */
  function onTerminal(args: string[]): string {
    const line = [process.execPath, BENCH, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    const r = Bun.spawnSync(["script", "-qec", line, "/dev/null"], { stdout: "pipe", env: { ...process.env, TERM: "xterm", COLUMNS: "100" } });
    return r.stdout.toString();
  }

  test("is drawn on a terminal, with the phase and an ETA, and cleared", () => {
    const shown = onTerminal(["-N", "-r", "4", "sleep 0.3"]);
    expect(shown).toContain("Initial time measurement");
    expect(shown).toMatch(/ETA \d\d:\d\d:\d\d/);
    expect(shown).toContain("\r\x1b[2K");
    expect(shown).toMatch(/ ⠋ Initial time measurement +█*░+ ETA/); // spinner, phase, bar
    expect(shown).toContain("\x1b[1mBenchmark \x1b[0m\x1b[1m1\x1b[0m: sleep 0.3"); // and the report, coloured on a terminal
  });

  test("is not drawn with --style basic or none, nor when piped", () => {
    expect(onTerminal(["-N", "-r", "4", "--style", "basic", "sleep 0.3"])).not.toContain("ETA");
    const none = onTerminal(["-N", "-r", "4", "--style", "none", "sleep 0.3"]);
    expect(none).not.toContain("ETA");
    expect(none).not.toContain("Benchmark"); // none: only warnings, as hyperfine
    const piped = ours(["-N", "-r", "4", "sleep 0.3"]);
    expect(piped.stdout + piped.stderr).not.toContain("ETA");
  });
});
