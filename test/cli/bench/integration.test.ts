/**
 * hyperfine's own integration tests (tests/integration_tests.rs, 1.20), restated against
 * bun-wait4-bench: each case is the same invocation with the same expectation (exit status,
 * and text that must or must not appear). The processes run a few at a time before the tests
 * look at them, to keep the file fast.
 *
 * Under qemu-user (CI's arm64 suite) every process of ours costs seconds, so there only the
 * cases in EMULATED run (with and without a shell, failed starts, --input): the rest is the
 * same TypeScript on every platform, and the tests that need it are not registered there.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { underEmulation } from "../../helpers/emulation.ts";
import { oursAsync, type Ran } from "../../helpers/hyperfine.ts";
import { pooled } from "../../helpers/pool.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-integration-"));
writeFileSync(join(dir, "example_input_file.txt"), "This text is part of a file\n");
const NONEXISTENT = "some-nonexisting-program-b5d9574198b7e4b12a71fa4747c0a577";
const exportPath = join(dir, "results.md");

/** Every invocation, by a name the tests use. */
const CASES: Record<string, string[]> = {
  twoRuns: ["--runs=2", "echo dummy benchmark"],
  oneRun: ["--runs=1", "echo dummy benchmark"],
  noShell: ["--runs=1", "--show-output", "--shell=none", "echo 'hello world' argument2"],
  tooManyNames: ["--command-name=a", "--command-name=b", "echo a"],
  prepareTwoForTwo: ["--runs=1", "--prepare=echo a", "--prepare=echo b", "echo a", "echo b"],
  prepareThreeWithReference: ["--runs=1", "--prepare=echo ref", "--prepare=echo a", "--prepare=echo b", "--reference=echo ref", "echo a", "echo b"],
  prepareTwoForThree: ["--runs=1", "--prepare=echo a", "--prepare=echo b", "echo a", "echo b", "echo c"],
  prepareTwoWithReference: ["--runs=1", "--prepare=echo a", "--prepare=echo b", "--reference=echo ref", "echo a", "echo b"],
  concludeTwoForTwo: ["--runs=1", "--conclude=echo a", "--conclude=echo b", "echo a", "echo b"],
  concludeThreeWithReference: ["--runs=1", "--conclude=echo ref", "--conclude=echo a", "--conclude=echo b", "--reference=echo ref", "echo a", "echo b"],
  concludeTwoForThree: ["--runs=1", "--conclude=echo a", "--conclude=echo b", "echo a", "echo b", "echo c"],
  concludeTwoWithReference: ["--runs=1", "--conclude=echo a", "--conclude=echo b", "--reference=echo ref", "echo a", "echo b"],
  duplicateParameters: ["--parameter-list", "x", "1,2,3", "--parameter-list", "x", "a,b,c", "echo test"],
  unknownCommand: ["--runs=1", NONEXISTENT],
  unknownCommandNoShell: ["--shell=none", "--runs=1", NONEXISTENT],
  falseNoShell: ["--shell=none", "--runs=1", "false"],
  unknownSetup: ["--runs=1", `--setup=${NONEXISTENT}`, "echo test"],
  unknownCleanup: ["--runs=1", `--cleanup=${NONEXISTENT}`, "echo test"],
  unknownPrepare: [`--prepare=${NONEXISTENT}`, "echo test"],
  unknownConclude: [`--conclude=${NONEXISTENT}`, "echo test"],
  falseDefault: ["false"],
  falseIgnored: ["--runs=1", "--ignore-failure", "false"],
  exit1Ignored1: ["--runs=1", "--ignore-failure=1", "exit 1"],
  exit2Ignored1: ["--runs=1", "--ignore-failure=1", "exit 2"],
  exit1Ignored123: ["--runs=1", "--ignore-failure=1,2,3", "exit 1"],
  exit2Ignored123: ["--runs=1", "--ignore-failure=1,2,3", "exit 2"],
  exit3Ignored123: ["--runs=1", "--ignore-failure=1,2,3", "exit 3"],
  exit4Ignored123: ["--runs=1", "--ignore-failure=1,2,3", "exit 4"],
  exit5AllNonZero: ["--runs=1", "--ignore-failure=all-non-zero", "exit 5"],
  showOutput: ["--runs=2", "--command-name=dummy", "--show-output", "echo 4fd47015"],
  customShell: ["--runs=1", "--show-output", "--shell", "echo 'custom_shell' '--shell-arg'", "echo benchmark"],
  inputFile: ["--runs=1", "--input=example_input_file.txt", "--show-output", "cat"],
  inputMissing: ["--runs=1", "--input=example_non_existent_file.txt", "--show-output", "cat"],
  unitSeconds: ["--debug-mode", "sleep 1.234"],
  unitMilliseconds: ["--debug-mode", "sleep 0.123"],
  unitForcedMs: ["--debug-mode", "--time-unit=millisecond", "sleep 1.234"],
  unitForcedUs: ["--debug-mode", "--time-unit=microsecond", "sleep 1.234"],
  slowTenRuns: ["--debug-mode", "sleep 0.5"],
  fast300Runs: ["--debug-mode", "sleep 0.01"],
  shellTimeCounted: ["--debug-mode", "--shell=sleep 0.02", "sleep 0.01"],
  prepareCounted: ["--debug-mode", "--prepare=sleep 0.02", "sleep 0.01"],
  prepareAndShellCounted: ["--debug-mode", "--shell=sleep 0.01", "--prepare=sleep 0.03", "sleep 0.05"],
  concludeCounted: ["--debug-mode", "--conclude=sleep 0.02", "sleep 0.01"],
  concludeAndShellCounted: ["--debug-mode", "--shell=sleep 0.01", "--conclude=sleep 0.03", "sleep 0.05"],
  bothCounted: ["--debug-mode", "--prepare=sleep 0.01", "--conclude=sleep 0.01", "sleep 0.01"],
  bothAndShellCounted: ["--debug-mode", "--shell=sleep 0.01", "--prepare=sleep 0.01", "--conclude=sleep 0.01", "sleep 0.05"],
  relative: ["--debug-mode", "sleep 1.0", "sleep 2.0", "sleep 3.0"],
  sameTime: ["--debug-mode", "--command-name=A", "--command-name=B", "sleep 1.0", "sleep 1.0", "sleep 2.0", "sleep 1000.0"],
  againstReference: ["--debug-mode", "--reference=sleep 2.0", "sleep 1.0", "sleep 3.0"],
  referenceName: ["--debug-mode", "--reference=sleep 2.0", "--reference-name=refabc123", "sleep 1.0", "sleep 3.0"],
  scan: ["--debug-mode", "--parameter-scan", "time", "30", "45", "--parameter-step-size", "5", "sleep {time}"],
  scanWithReference: ["--debug-mode", "--reference=sleep 25", "--parameter-scan", "time", "30", "45", "--parameter-step-size", "5", "sleep {time}"],
  markdownToStdout: ["--debug-mode", "--style=none", "--export-markdown", "-", "sleep 1", "sleep 2"],
  intermediateExport: ["--runs=1", "--export-markdown", exportPath, "true", "false"],
  unusedParameters: ["--runs=2", "--parameter-list", "branch", "master,feature", "echo test"],
  sortAuto: ["--debug-mode", "sleep 2", "sleep 1", "--sort=auto"],
  sortMeanTime: ["--debug-mode", "sleep 2", "sleep 1", "--sort=mean-time"],
  sortCommand: ["--debug-mode", "sleep 2", "sleep 1", "--sort=command"],
};

/** The cases run under qemu-user. */
const EMULATED = new Set(["noShell", "unknownCommand", "unknownCommandNoShell", "falseNoShell", "inputFile", "inputMissing"]);
const RUN = Object.keys(CASES).filter((name) => !underEmulation() || EMULATED.has(name));

const results = new Map<string, Ran>();
let exportedAfterFailure = "";

beforeAll(async () => {
  const ran = await pooled(RUN.map((name) => () => oursAsync(CASES[name]!, { cwd: dir })));
  RUN.forEach((name, i) => results.set(name, ran[i]!));
  if (RUN.includes("intermediateExport")) exportedAfterFailure = readFileSync(exportPath, "utf8");
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const r = (name: string) => results.get(name)!;

/** Registers a test when every case it looks at has run here. */
function check(title: string, cases: readonly string[], body: () => void) {
  if (cases.every((c) => RUN.includes(c))) test(title, body);
}
const count = (text: string, part: string) => text.split(part).length - 1;
const succeeds = (name: string) => expect({ name, status: r(name).status, stderr: r(name).stderr.startsWith("Error") ? r(name).stderr : "" }).toEqual({ name, status: 0, stderr: "" });
const fails = (name: string, stderrPart: string) => {
  expect(r(name).status, name).not.toBe(0);
  expect(r(name).stderr, name).toContain(stderrPart);
};

describe("hyperfine's integration tests, against bun-wait4-bench", () => {
  check("runs successfully, also with one run", ["twoRuns", "oneRun"], () => {
    succeeds("twoRuns");
    succeeds("oneRun");
  });

  check("runs commands without a shell", ["noShell"], () => {
    succeeds("noShell");
    expect(r("noShell").stdout).toContain("hello world argument2");
  });

  check("too many --command-name options fail", ["tooManyNames"], () => fails("tooManyNames", "Too many --command-name options"));

  check("--prepare once per benchmark (the reference counts), else a failure", ["prepareTwoForTwo", "prepareThreeWithReference", "prepareTwoForThree", "prepareTwoWithReference"], () => {
    succeeds("prepareTwoForTwo");
    succeeds("prepareThreeWithReference");
    fails("prepareTwoForThree", "The '--prepare' option has to be provided");
    fails("prepareTwoWithReference", "The '--prepare' option has to be provided");
  });

  check("--conclude once per benchmark (the reference counts), else a failure", ["concludeTwoForTwo", "concludeThreeWithReference", "concludeTwoForThree", "concludeTwoWithReference"], () => {
    succeeds("concludeTwoForTwo");
    succeeds("concludeThreeWithReference");
    fails("concludeTwoForThree", "The '--conclude' option has to be provided");
    fails("concludeTwoWithReference", "The '--conclude' option has to be provided");
  });

  check("duplicate parameter names fail", ["duplicateParameters"], () => fails("duplicateParameters", "Duplicate parameter names: x"));

  check("an unknown command fails: through the shell as its exit code, without one as a failed start", ["unknownCommand", "unknownCommandNoShell", "falseNoShell"], () => {
    fails("unknownCommand", "Command terminated with non-zero exit code");
    fails("unknownCommandNoShell", `Failed to run command '${NONEXISTENT}'`);
    fails("falseNoShell", "Command terminated with non-zero exit code");
  });

  check("failing setup, cleanup, prepare and conclude commands are named", ["unknownSetup", "unknownCleanup", "unknownPrepare", "unknownConclude"], () => {
    fails("unknownSetup", "The setup command terminated with a non-zero exit code.");
    fails("unknownCleanup", "The cleanup command terminated with a non-zero exit code.");
    fails("unknownPrepare", "The preparation command terminated with a non-zero exit code.");
    fails("unknownConclude", "The conclusion command terminated with a non-zero exit code.");
  });

  check("failures are ignored with --ignore-failure: all, or the listed exit codes", ["falseDefault", "falseIgnored", "exit1Ignored1", "exit2Ignored1", "exit4Ignored123", "exit1Ignored123", "exit2Ignored123", "exit3Ignored123", "exit5AllNonZero"], () => {
    fails("falseDefault", "Command terminated with non-zero exit code");
    succeeds("falseIgnored");
    succeeds("exit1Ignored1");
    fails("exit2Ignored1", "Command terminated with non-zero exit code 2");
    for (const name of ["exit1Ignored123", "exit2Ignored123", "exit3Ignored123", "exit5AllNonZero"]) succeeds(name);
    fails("exit4Ignored123", "Command terminated with non-zero exit code 4");
  });

  check("--show-output shows each run's output", ["showOutput"], () => {
    succeeds("showOutput");
    expect(count(r("showOutput").stdout, "4fd47015")).toBe(2);
  });

  check("a user-defined shell gets its arguments, then -c and the command", ["customShell"], () => {
    succeeds("customShell");
    expect(r("customShell").stdout).toContain("custom_shell --shell-arg -c echo benchmark");
  });

  check("--input feeds a file to the command; a missing one fails", ["inputFile", "inputMissing"], () => {
    succeeds("inputFile");
    expect(r("inputFile").stdout).toContain("This text is part of a file");
    fails("inputMissing", "The file 'example_non_existent_file.txt' specified as '--input' does not exist");
  });

  check("the mean is shown in the right unit", ["unitSeconds", "unitMilliseconds", "unitForcedMs", "unitForcedUs"], () => {
    expect(r("unitSeconds").stdout).toContain("Time (mean ± σ):      1.234 s ±");
    expect(r("unitMilliseconds").stdout).toContain("Time (mean ± σ):     123.0 ms ±");
    expect(r("unitForcedMs").stdout).toContain("Time (mean ± σ):     1234.0 ms ±");
    expect(r("unitForcedUs").stdout).toContain("Time (mean ± σ):     1234000.0 µs ±");
  });

  check("ten runs for slow commands, three seconds' worth for fast ones", ["slowTenRuns", "fast300Runs"], () => {
    expect(r("slowTenRuns").stdout).toContain("10 runs");
    expect(r("fast300Runs").stdout).toContain("300 runs");
  });

  check("the shell, --prepare and --conclude count towards the three seconds", ["shellTimeCounted", "prepareCounted", "prepareAndShellCounted", "concludeCounted", "concludeAndShellCounted", "bothCounted", "bothAndShellCounted"], () => {
    const runs = { shellTimeCounted: 100, prepareCounted: 100, prepareAndShellCounted: 30, concludeCounted: 100, concludeAndShellCounted: 30, bothCounted: 100, bothAndShellCounted: 30 };
    for (const [name, n] of Object.entries(runs)) expect(r(name).stdout, name).toContain(`${n} runs`);
  });

  check("relative speeds: faster, as fast, and against a --reference", ["relative", "sameTime", "againstReference", "referenceName"], () => {
    const shown: [string, string][] = [
      ["relative", "2.00 ± 0.00 times faster"],
      ["relative", "3.00 ± 0.00 times faster"],
      ["sameTime", "As fast (1.00 ± 0.00) as"],
      ["sameTime", "2.00 ± 0.00 times faster"],
      ["sameTime", "1000.00 ± 0.00 times faster"],
      ["againstReference", "2.00 ± 0.00 times slower"],
      ["againstReference", "1.50 ± 0.00 times faster"],
      ["referenceName", "Benchmark 1: refabc123"],
    ];
    for (const [name, part] of shown) expect(r(name).stdout, name).toContain(part);
  });

  check("a parameter scan benchmarks every value (after the reference), and no more", ["scan", "scanWithReference"], () => {
    const scan = r("scan").stdout;
    for (const [n, v] of [[1, 30], [2, 35], [3, 40], [4, 45]]) expect(scan).toContain(`Benchmark ${n}: sleep ${v}`);
    expect(scan).not.toContain("Benchmark 5: sleep 50");
    const withRef = r("scanWithReference").stdout;
    for (const [n, v] of [[1, 25], [2, 30], [3, 35], [4, 40], [5, 45]]) expect(withRef).toContain(`Benchmark ${n}: sleep ${v}`);
    expect(withRef).not.toContain("Benchmark 6: sleep 50");
  });

  check("an export to stdout is written once, at the end", ["markdownToStdout"], () => {
    expect(count(r("markdownToStdout").stdout, "sleep 1")).toBe(1);
    expect(count(r("markdownToStdout").stdout, "sleep 2")).toBe(1);
  });

  check("a file export holds the benchmarks finished before a failure", ["intermediateExport"], () => {
    expect(r("intermediateExport").status).not.toBe(0);
    expect(exportedAfterFailure).toContain("true");
  });

  check("parameters the command does not use are shown with its name", ["unusedParameters"], () => {
    expect(r("unusedParameters").stdout).toContain("echo test (branch = master)");
    expect(r("unusedParameters").stdout).toContain("echo test (branch = feature)");
  });

  check("--sort: by mean time (auto, mean-time) or as given (command)", ["sortCommand", "sortAuto", "sortMeanTime"], () => {
    for (const name of ["sortAuto", "sortMeanTime"]) expect(r(name).stdout).toContain("sleep 1 ran\n    2.00 ± 0.00 times faster than sleep 2");
    expect(r("sortCommand").stdout).toContain("2.00 ±  0.00  sleep 2\n        1.00          sleep 1");
  });
});
