/**
 * The README's example of catching MaxBufferError (section "Errors"), taken from README.md as
 * printed and run as a user would: in a project where "bun-wait4" is installed, in a Bun process
 * of its own.
 */
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { underEmulation } from "../helpers/emulation.ts";
import { readmeBlock, scratchProject } from "../helpers/readme.ts";

test("the MaxBufferError example prints the length of the output kept: maxBuffer", () => {
  const code = readmeBlock("### Errors", "MaxBufferError");
  const project = scratchProject();
  try {
    writeFileSync(join(project.dir, "example.ts"), code);
    const run = Bun.spawnSync([process.execPath, "./example.ts"], { cwd: project.dir, stdout: "pipe", stderr: "pipe", env: process.env });
    expect({ exitCode: run.exitCode, stdout: run.stdout.toString(), stderr: run.stderr.toString() }).toEqual({ exitCode: 0, stdout: "1024\n", stderr: "" });
  } finally {
    project.dispose();
  }
}, 30_000 * (underEmulation() ? 15 : 1));
