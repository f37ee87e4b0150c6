/**
 * `%Ts` names real-time signals from the running C library's own SIGRTMIN (gnulib `sig2str`
 * reads SIGRTMIN at run time: 34 under glibc, 35 under musl). The expected names are built
 * from what a C program compiled against the same C library prints, not from our tables, and
 * the signals are real: `kill` in a shell, timed by the CLI. Under the musl Bun (CI's third
 * suite) this fails if SIGRTMIN is taken as glibc's 34.
 *
 * Not under qemu-user (CI's arm64 suite): qemu renumbers real-time signals between the host
 * and the emulated program (it keeps some for itself), so a real kill -s 34 is not seen as 34.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { libc } from "../../src/ffi/load.ts";
import { compileC } from "../helpers/compile.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { CLI } from "../helpers/live.ts";


/** SIGRTMIN and SIGRTMAX as the C library this Bun runs on defines them. */
function libcRealtimeRange(): { min: number; max: number } {
  const source = join(tmpdir(), "bun-wait4-rtrange.c");
  writeFileSync(source, '#include <signal.h>\n#include <stdio.h>\nint main(void) { printf("%d %d\\n", SIGRTMIN, SIGRTMAX); return 0; }\n');
  const exe = compileC({ sources: [source], compiler: libc.abi.libc === "musl" ? "musl-gcc" : "gcc" });
  const [min, max] = Bun.spawnSync([exe], { stdout: "pipe" }).stdout.toString().trim().split(" ").map(Number) as [number, number];
  return { min, max };
}

/** What the CLI's `%Tn %Ts` prints for a shell killed by signal `n`. */
function namedByCli(n: number): string {
  const r = Bun.spawnSync([process.execPath, CLI, "-f", "%Tn %Ts", "sh", "-c", `kill -s ${n} $$`], { stdout: "pipe", stderr: "pipe" });
  return r.stderr.toString().trim().split("\n").at(-1)!;
}

describe.if(process.platform === "linux" && !underEmulation())("%Ts with the running C library's real-time range", () => {
  // The signals below SIGRTMIN are the C library's own (blocked in its threads), so none is sent.
  test("SIGRTMIN is RTMIN, the next RTMIN+1, the middle splits the range, SIGRTMAX is RTMAX", () => {
    const { min, max } = libcRealtimeRange();
    expect(min).toBe(libc.abi.libc === "musl" ? 35 : 34); // the compiled program is this libc's
    const lowHalfEnd = min + Math.trunc((max - min) / 2);
    expect([min, min + 1, lowHalfEnd, lowHalfEnd + 1, max].map(namedByCli)).toEqual([
      `${min} RTMIN`,
      `${min + 1} RTMIN+1`,
      `${lowHalfEnd} RTMIN+${lowHalfEnd - min}`,
      `${lowHalfEnd + 1} RTMAX-${max - lowHalfEnd - 1}`,
      `${max} RTMAX`,
    ]);
  });
});
