/**
 * Benchmarks of bun-wait4 against C, CPython, Bun's own built-ins, GNU time and hyperfine.
 * BENCHMARKS.md says what each case measures and how; scripts/bench/harness.ts how the
 * cases run; scripts/bench/cases/ holds one file per case.
 *
 *   npm run bench                      # full run: every case
 *   npm run bench -- --quick           # smoke run: fewer, shorter rounds
 *   npm run bench -- --case handoff    # one case (or group of cases); --skip ID leaves one out
 *   npm run bench -- --rounds 9        # the same number of rounds for every case
 *   npm run bench -- --wall            # judge the in-process calls by wall-clock time
 *   npm run bench -- --json out.json   # also write every sample as JSON
 *   npm run bench -- --markdown BENCHMARKS.md   # refresh the generated part of that file
 *
 * Exits 1 if a case could not run to the end (a sample failed, or left a process behind); a
 * missed goal is reported, never an error.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { asyncCases } from "./bench/cases/async.ts";
import { callCases } from "./bench/cases/calls.ts";
import { handoffCases } from "./bench/cases/handoff.ts";
import { hyperfineCase } from "./bench/cases/hyperfine.ts";
import { memoryCase } from "./bench/cases/memory.ts";
import { startupCase } from "./bench/cases/startup.ts";
import { runCases, type AnyCase, type CaseRun, type Context, type GoalResult, type Table } from "./bench/harness.ts";

/** Every case, in the order they run within a round and print. */
const CASES: AnyCase[] = [...callCases, ...asyncCases, ...handoffCases, hyperfineCase, startupCase, memoryCase];

interface Options {
  quick: boolean;
  wall: boolean;
  rounds: number | undefined;
  json: string | undefined;
  markdown: string | undefined;
  only: string[];
  skip: string[];
}

/** Whether `id` names case `c`: its whole id ("calls/wait4"), its group ("calls") or its part ("wait4"). */
const names = (c: AnyCase, id: string) => c.id === id || c.id.startsWith(`${id}/`) || c.id.endsWith(`/${id}`);

function usage(message?: string): never {
  if (message !== undefined) console.error(`bench: ${message}`);
  console.error("usage: bun scripts/bench.ts [--quick] [--wall] [--rounds N] [--case ID]... [--skip ID]... [--json FILE] [--markdown FILE]");
  console.error(`cases: ${CASES.map((c) => c.id).join(", ")}`);
  process.exit(2);
}

function parseOptions(args: string[]): Options {
  const o: Options = { quick: false, wall: false, rounds: undefined, json: undefined, markdown: undefined, only: [], skip: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => args[++i] ?? usage(`${arg} needs a value`);
    if (arg === "--quick") o.quick = true;
    else if (arg === "--wall") o.wall = true;
    else if (arg === "--json") o.json = value();
    else if (arg === "--markdown") o.markdown = value();
    else if (arg === "--case") o.only.push(value());
    else if (arg === "--skip") o.skip.push(value());
    else if (arg === "--no-memory") o.skip.push("memory");
    else if (arg === "--rounds") {
      o.rounds = Number(value());
      if (!Number.isInteger(o.rounds) || o.rounds < 1) usage("--rounds must be a positive integer");
    } else usage(arg === "--help" || arg === "-h" ? undefined : `unknown argument ${arg}`);
  }
  const unknown = [...o.only, ...o.skip].filter((id) => !CASES.some((c) => names(c, id)));
  if (unknown.length > 0) usage(`unknown case ${unknown.join(", ")}`);
  return o;
}

function firstLine(argv: string[]): string | undefined {
  try {
    const r = Bun.spawnSync({ cmd: argv, stdout: "pipe", stderr: "pipe", timeout: 10_000 });
    const text = `${r.stdout}${r.stderr}`.trim().split("\n")[0];
    return r.success && text ? text : undefined;
  } catch {
    return undefined;
  }
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function machineLines(ctx: Context, loadBefore: string): string[] {
  const cpu = existsSync("/proc/cpuinfo") ? /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() : undefined;
  const version = (tool: string | undefined) => (tool && firstLine([tool, "--version"])) || "not installed";
  return [
    `- CPU: ${cpu ?? "unknown"}, nproc ${availableParallelism()}`,
    `- kernel: ${process.platform} ${release()} ${process.arch}`,
    `- Bun ${Bun.version}; ${version(ctx.python)}; ${version(ctx.cc)}; ${firstLine(["ldd", "--version"]) ?? "unknown libc"}`,
    `- load average (1, 5, 15 min) before / after: ${loadBefore} / ${load()}`,
  ];
}

/** The tables, adjacent ones with the same intro and head printed as one. */
function tableLines(tables: Table[]): string[] {
  const lines: string[] = [];
  let last: Table | undefined;
  for (const t of tables) {
    if (last === undefined || last.intro !== t.intro || last.head.join() !== t.head.join()) {
      if (lines.length > 0) lines.push("");
      if (t.intro !== undefined) lines.push(t.intro, "");
      lines.push(...t.head);
    }
    lines.push(...t.rows);
    last = t;
  }
  return lines;
}

const goalLines = (goals: GoalResult[]) => ["| goal | measured | verdict |", "|---|---:|---|", ...goals.map((g) => `| ${g.text} | ${g.shown} | ${g.verdict} |`)];

const BEGIN = "<!-- bench:begin (generated by `bun scripts/bench.ts --markdown BENCHMARKS.md`) -->";
const END = "<!-- bench:end -->";

function writeMarkdown(file: string, body: string): void {
  const block = `${BEGIN}\n${body}\n${END}`;
  let text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const start = text.indexOf("<!-- bench:begin");
  const end = text.indexOf(END);
  if (start !== -1 && end > start) text = text.slice(0, start) + block + text.slice(end + END.length);
  else text = `${text}${text && !text.endsWith("\n") ? "\n" : ""}${block}\n`;
  writeFileSync(file, text);
}

/** "rounds: calls 7, async 5, …": the rounds each group of cases ran. */
function roundsText(runs: CaseRun[]): string {
  const byGroup = new Map<string, number>();
  for (const r of runs) byGroup.set(r.id.split("/")[0]!, r.rounds);
  return `rounds: ${[...byGroup].map(([group, n]) => `${group} ${n}`).join(", ")}`;
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = load();
  const dir = mkdtempSync(join(tmpdir(), "bun-wait4-bench-"));
  try {
    const ctx: Context = {
      quick: options.quick,
      wall: options.wall,
      dir,
      cc: [process.env.CC, "gcc", "cc"].find((cc) => cc && Bun.which(cc)),
      python: Bun.which("python3") ?? undefined,
    };
    if (ctx.cc === undefined) console.error("bench: no C compiler ($CC, gcc, cc): the C references are left out");
    if (ctx.python === undefined) console.error("bench: no python3: the CPython references are left out");
    const selected = (c: AnyCase, ids: string[]) => ids.some((id) => names(c, id));
    const cases = CASES.filter((c) => (options.only.length === 0 || selected(c, options.only)) && !selected(c, options.skip)).flatMap((def) => {
      const prepared = def.prepare(ctx);
      if (typeof prepared !== "string") return [{ def, prepared }];
      console.error(`bench: ${def.id} skipped: ${prepared}`);
      return [];
    });
    const runs = runCases(cases, options, ctx);
    const goals = runs.flatMap((r) => r.goals);
    console.error(`bench: seconds per case: ${runs.map((r) => `${r.id} ${r.seconds.toFixed(0)}`).join(", ")}`);
    const seconds = (performance.now() - started) / 1000;
    // The options that shape the measurement (not where the output goes).
    const shaping = process.argv.slice(2).filter((a, i, all) => a !== "--json" && a !== "--markdown" && all[i - 1] !== "--json" && all[i - 1] !== "--markdown");
    const command = ["bun scripts/bench.ts", ...shaping].join(" ");
    const body = [
      `Command: \`${command}\` (${roundsText(runs)}, ${seconds.toFixed(0)} s), ${new Date().toISOString().slice(0, 10)}.`,
      "",
      ...machineLines(ctx, loadBefore),
      "",
      ...tableLines(runs.flatMap((r) => r.tables)),
      "",
      ...goalLines(goals),
    ].join("\n");
    console.log(body);
    if (options.json !== undefined) {
      writeFileSync(options.json, `${JSON.stringify({ command, options, seconds, cases: runs, goals }, null, 2)}\n`);
      console.error(`bench: wrote ${options.json}`);
    }
    if (options.markdown !== undefined) {
      writeMarkdown(options.markdown, body);
      console.error(`bench: updated ${options.markdown}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`bench: a case could not run to the end:\n${(error as Error).stack ?? error}`);
  process.exit(1);
}
