/**
 * The shell matrix (scripts/ci-shells.sh) runs this directory once per /bin/sh, naming the shell
 * in BUN_WAIT4_SHELL_UNDER_TEST. This checks that /bin/sh really is that shell in the process
 * the tests run in, so a swap that did not happen fails here instead of passing as a dash run.
 * With no name given (`npm test`), the shell is whatever /bin/sh resolves to, and the same
 * checks hold for it.
 */
import { expect, test } from "bun:test";
import { readlinkSync, realpathSync } from "node:fs";
import { basename } from "node:path";

/** The variable each shell sets to its version ("" for none), read as BASH|ZSH|KSH|YASH. */
const VERSION_VARIABLES: Record<string, RegExp> = {
  dash: /^\|\|\|$/,
  busybox: /^\|\|\|$/,
  bash: /^\d[^|]*\|\|\|$/,
  zsh: /^\|\d[^|]*\|\|$/,
  mksh: /^\|\|[^|]*MIRBSD KSH[^|]*\|$/,
  yash: /^\|\|\|\d[^|]*$/,
};

const named = process.env.BUN_WAIT4_SHELL_UNDER_TEST;
const target = realpathSync("/bin/sh");
const expected = named ?? basename(target);

test(`/bin/sh is ${expected}${named === undefined ? " (no BUN_WAIT4_SHELL_UNDER_TEST)" : ""}: its executable, its version variables${named === "busybox" ? ", and busybox as /usr/bin/env" : ""}`, async () => {
  expect(Object.keys(VERSION_VARIABLES)).toContain(expected);
  expect(basename(target)).toBe(expected);
  // The running shell waits on stdin after its first line, so its /proc entry can be read then.
  // PATH is given: yash as sh runs its regular built-ins (echo, read) only when PATH has them.
  const shell = Bun.spawn(["/bin/sh", "-c", 'echo "${BASH_VERSION-}|${ZSH_VERSION-}|${KSH_VERSION-}|${YASH_VERSION-}"; read line'], {
    stdin: "pipe",
    stdout: "pipe",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  });
  const reader = shell.stdout.getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    line += new TextDecoder().decode(value);
  }
  const exe = readlinkSync(`/proc/${shell.pid}/exe`);
  shell.stdin.write("\n");
  shell.stdin.end();
  expect(await shell.exited).toBe(0);
  expect(exe).toBe(target);
  expect(line.trimEnd()).toMatch(VERSION_VARIABLES[expected]!);
  if (named === "busybox") {
    // The matrix's busybox runs give it Alpine's layout: busybox's env as /usr/bin/env too.
    expect(realpathSync("/usr/bin/env")).toBe(target);
    expect(Bun.spawnSync(["/usr/bin/env", "-i", "A=b"], { stdout: "pipe", env: {} }).stdout.toString()).toBe("A=b\n");
  }
});
