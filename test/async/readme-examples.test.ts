/**
 * The README's examples of bun-wait4/promises (section "Without blocking"), taken from README.md
 * as printed (so a README that drifts from what works fails here) and run as a user would: in a
 * project where "bun-wait4" is installed (a scratch directory whose node_modules/bun-wait4 links
 * to this checkout), each in a Bun process of its own. The server gets real HTTP requests; the
 * test file runs under `bun test`.
 */
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { WEXITSTATUS, WIFEXITED } from "../../src/index.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { childPids } from "../helpers/procfs.ts";
import { readmeBlock, scratchProject } from "../helpers/readme.ts";

const SECTION = "### Without blocking: `bun-wait4/promises`";
const slow = underEmulation() ? 15 : 1;

/**
 * Preloaded before the server example: the example listens on port 3000, which may be taken
 * here, so Bun.serve gets port 0 instead (any free port) and the URL is printed for the test.
 * The example's own code runs unchanged.
 */
const ANY_PORT = `
const serve = Bun.serve;
(Bun as { serve: unknown }).serve = (options: Parameters<typeof Bun.serve>[0]) => {
  const server = serve.call(Bun, { ...options, port: 0 } as never);
  console.log(server.url.href);
  return server;
};
`;

/** The first line `stream` carries, or undefined if it ends (or `ms` pass) first. */
async function firstLine(stream: ReadableStream<Uint8Array>, ms: number): Promise<string | undefined> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const read = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return undefined;
      text += decoder.decode(value, { stream: true });
      if (text.includes("\n")) return text.slice(0, text.indexOf("\n"));
    }
  })();
  const line = await Promise.race([read, Bun.sleep(ms).then(() => undefined)]);
  reader.releaseLock();
  return line;
}

test("the Bun.serve example: concurrent requests each get their child's status (exit 3) and CPU time, overlapping, and every child is reaped", async () => {
  const code = readmeBlock(SECTION, "Bun.serve(");
  const project = scratchProject();
  writeFileSync(join(project.dir, "any-port.ts"), ANY_PORT);
  writeFileSync(join(project.dir, "server.ts"), code);
  const server = Bun.spawn([process.execPath, "--preload", "./any-port.ts", "./server.ts"], {
    cwd: project.dir,
    stdout: "pipe",
    stderr: "pipe",
    env: process.env,
  });
  try {
    const url = await firstLine(server.stdout, 10_000 * slow);
    if (url === undefined) {
      server.kill();
      throw new Error(`the server example did not start: ${await new Response(server.stderr).text()}`);
    }
    // Each handler waits for a child that sleeps 0.2 s: waited for one after another, n
    // requests would take at least n × 0.2 s.
    const n = 10;
    const started = performance.now();
    const responses = await Promise.all(Array.from({ length: n }, () => fetch(url)));
    const elapsedMs = performance.now() - started;
    for (const response of responses) {
      expect(response.status).toBe(200);
      const body = (await response.json()) as { status: number; cpu: number };
      expect(Object.keys(body).sort()).toEqual(["cpu", "status"]);
      expect(WIFEXITED(body.status) && WEXITSTATUS(body.status)).toBe(3);
      expect(typeof body.cpu).toBe("number");
      expect(body.cpu).toBeGreaterThanOrEqual(0);
      expect(body.cpu).toBeLessThan(1);
    }
    expect(elapsedMs).toBeLessThan(n * 200);
    expect(childPids(server.pid).size).toBe(0); // no sh left, live or zombie
    expect(server.exitCode).toBeNull(); // still serving
  } finally {
    server.kill();
    await server.exited;
    project.dispose();
  }
}, 60_000 * slow);

test("the bun test example: passes under `bun test`", () => {
  const code = readmeBlock(SECTION, 'from "bun:test"');
  const project = scratchProject();
  try {
    writeFileSync(join(project.dir, "tool.test.ts"), code);
    const run = Bun.spawnSync([process.execPath, "test", "./tool.test.ts"], { cwd: project.dir, stdout: "pipe", stderr: "pipe", env: process.env });
    const output = run.stdout.toString() + run.stderr.toString();
    expect({
      exitCode: run.exitCode,
      passed: Number(/^ *(\d+) pass$/m.exec(output)?.[1] ?? 0),
      failed: Number(/^ *(\d+) fail$/m.exec(output)?.[1] ?? 0),
    }, output).toEqual({ exitCode: 0, passed: 1, failed: 0 });
    expect(output).toContain("(pass) the tool exits 0 within 5 s");
  } finally {
    project.dispose();
  }
}, 60_000 * slow);
