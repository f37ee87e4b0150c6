/**
 * The ABI tables in src/abi/ against real C headers: scripts/abi/gen-asserts.ts turns each
 * table into a file of _Static_asserts (struct sizes and offsets, type widths, every constant)
 * and a C compiler checks them against
 *   - glibc x86_64 (gcc), musl x86_64 (musl-gcc),
 *   - glibc aarch64 (aarch64-linux-gnu-gcc), musl aarch64 (the same compiler over Debian's
 *     musl-dev:arm64 headers),
 *   - the Linux kernel's uapi headers for both architectures,
 *   - cited transcriptions of the macOS and FreeBSD headers (test/c/layout_*.h).
 * Then every table value is changed at once and each one must make the compile fail, so
 * none of the checks can pass vacuously.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Abi } from "../../src/abi/types.ts";
import { abiById, type AbiId, generateAsserts, generateKernelAsserts } from "../../scripts/abi/gen-asserts.ts";

const root = join(import.meta.dir, "..", "..");
const work = mkdtempSync(join(tmpdir(), "bun-wait4-abi-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** How to compile each table's libc-level file, and its kernel-level one (Linux). */
const TARGETS: { id: AbiId; libc: string[]; kernel?: string[] }[] = [
  { id: "linux-x64-glibc", libc: ["gcc"], kernel: ["gcc"] },
  { id: "linux-x64-musl", libc: ["musl-gcc"], kernel: ["gcc"] },
  { id: "linux-arm64-glibc", libc: ["aarch64-linux-gnu-gcc"], kernel: ["aarch64-linux-gnu-gcc"] },
  {
    id: "linux-arm64-musl",
    // Debian has no aarch64 musl-gcc wrapper for amd64 hosts; musl-dev:arm64 installs the
    // headers, and -nostdinc keeps glibc's out exactly as musl-gcc's spec file does.
    libc: ["aarch64-linux-gnu-gcc", "-nostdinc", "-isystem", "/usr/include/aarch64-linux-musl"],
    kernel: ["aarch64-linux-gnu-gcc"],
  },
  { id: "darwin-x64", libc: ["gcc", "-nostdinc", "-I", join(root, "test/c")] },
  { id: "darwin-arm64", libc: ["gcc", "-nostdinc", "-I", join(root, "test/c")] },
  { id: "freebsd-x64", libc: ["gcc", "-nostdinc", "-I", join(root, "test/c")] },
  { id: "freebsd-arm64", libc: ["gcc", "-nostdinc", "-I", join(root, "test/c")] },
];

let serial = 0;
/** Runs `compiler -fsyntax-only` on `source`; returns the exit code and diagnostics. */
function check(compiler: readonly string[], source: string): { exitCode: number; diagnostics: string } {
  const file = join(work, `asserts-${serial++}.c`);
  writeFileSync(file, source);
  const argv = [...compiler, "-std=c11", "-fsyntax-only", "-Wall", "-fdiagnostics-color=never", "-fdiagnostics-show-caret", file];
  try {
    const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
    return { exitCode: r.exitCode ?? -1, diagnostics: r.stderr.toString() + r.stdout.toString() };
  } catch (error) {
    return { exitCode: -1, diagnostics: `${argv[0]} could not run (scripts/test-tools.sh installs it): ${String(error)}` };
  }
}

/** A leaf of the table that the generated C checks, its path, and a value that is wrong. */
interface Mutation {
  path: string;
  apply(abi: Abi): void;
}

/** One wrong value for every numeric (or deliberately absent) leaf of the table. */
function mutations(abi: Abi): Mutation[] {
  const list: Mutation[] = [];
  const wrong = (v: number | undefined): number => (v === undefined ? 99 : v + 1);
  list.push({ path: "idBits", apply: (a) => void (a.idBits = a.idBits === 32 ? 64 : 32) });
  for (const key of Object.keys(abi.layouts) as (keyof Abi["layouts"])[]) {
    list.push({
      path: `layouts.${key}`,
      apply: (a) => {
        const L = a.layouts as unknown as Record<string, number>;
        L[key] = key === "timevalUsecBytes" ? (a.layouts.timevalUsecBytes === 8 ? 4 : 8) : wrong(a.layouts[key]);
      },
    });
  }
  for (const group of ["constants", "spawnFlags", "signals", "errnos", "fileFlags", "prctl", "linuxFd", "exitWatch"] as const) {
    for (const key of Object.keys(abi[group] ?? {}).filter((k) => k !== "kind")) {
      list.push({
        path: `${group}.${key}`,
        apply: (a) => {
          const g = a[group] as unknown as Record<string, number | undefined>; // present: keys came from it
          g[key] = wrong(g[key]);
        },
      });
    }
  }
  if (abi.syscalls !== undefined) {
    for (const key of ["pidfd_open", "waitid", "prctl"] as const) {
      list.push({ path: `syscalls.${key}`, apply: (a) => void (a.syscalls![key] += 1) });
    }
  }
  return list;
}

/** Whether `diagnostics` mention `path` as a whole name (`constants.P_PID` is not in `constants.P_PIDFD`). */
function names(diagnostics: string, path: string): boolean {
  return new RegExp(`${path.replace(/[.]/g, "\\.")}(?![A-Za-z0-9_])`).test(diagnostics);
}

function mutatedCopy(id: AbiId, which: readonly Mutation[]): Abi {
  const abi = abiById(id);
  const copy: Abi = {
    ...abi,
    layouts: { ...abi.layouts },
    constants: { ...abi.constants },
    spawnFlags: { ...abi.spawnFlags },
    signals: { ...abi.signals },
    errnos: { ...abi.errnos },
    fileFlags: { ...abi.fileFlags },
    prctl: abi.prctl && { ...abi.prctl },
    linuxFd: abi.linuxFd && { ...abi.linuxFd },
    exitWatch: { ...abi.exitWatch },
    syscalls: abi.syscalls && { ...abi.syscalls },
  };
  for (const m of which) m.apply(copy);
  return copy;
}

/** Table leaves a translation unit does not check: their assertions live in the other one. */
function uncheckable(unit: "libc" | "kernel", path: string): boolean {
  if (unit === "libc") return false;
  // The kernel file checks kernel facts only; libc-level layouts and spawn flags are the other file's.
  if (path.startsWith("spawnFlags.") || path === "idBits" || path === "signals.maxSignal") return true;
  return ["layouts.rusageSize", "layouts.timevalUsecBytes", "layouts.sigsetSize", "layouts.spawnattrSize", "layouts.spawnFileActionsSize", "layouts.sigactionSize"].includes(path);
}

describe.each(TARGETS)("$id", ({ id, libc, kernel }) => {
  test("the table matches the C library's headers", () => {
    expect(check(libc, generateAsserts(abiById(id)))).toEqual({ exitCode: 0, diagnostics: "" });
  });

  test("a wrong value in any table field fails the libc-level compile, naming that field", () => {
    const all = mutations(abiById(id)).filter((m) => !uncheckable("libc", m.path));
    const { exitCode, diagnostics } = check(libc, generateAsserts(mutatedCopy(id, all)));
    expect(exitCode).not.toBe(0);
    const missed = all.map((m) => m.path).filter((path) => !names(diagnostics, path));
    expect(missed).toEqual([]);
  });

  if (kernel !== undefined) {
    test("the table matches the kernel's uapi headers", () => {
      expect(check(kernel, generateKernelAsserts(abiById(id)))).toEqual({ exitCode: 0, diagnostics: "" });
    });

    test("a wrong value in any kernel-level field fails the kernel compile, naming that field", () => {
      const all = mutations(abiById(id)).filter((m) => !uncheckable("kernel", m.path));
      const { exitCode, diagnostics } = check(kernel, generateKernelAsserts(mutatedCopy(id, all)));
      expect(exitCode).not.toBe(0);
      const missed = all.map((m) => m.path).filter((path) => !names(diagnostics, path));
      expect(missed).toEqual([]);
    });
  }
});

describe("the compilers really see different C libraries", () => {
  test("musl's table fails against glibc's headers and glibc's against musl's (struct rusage 272 vs 144)", () => {
    const glibcOnMusl = check(["musl-gcc"], generateAsserts(abiById("linux-x64-glibc")));
    const muslOnGlibc = check(["gcc"], generateAsserts(abiById("linux-x64-musl")));
    expect(glibcOnMusl.diagnostics).toContain("sizeof(struct rusage) == 144 (layouts.rusageSize)");
    expect(muslOnGlibc.diagnostics).toContain("sizeof(struct rusage) == 272 (layouts.rusageSize)");
    // and sizeof(posix_spawnattr_t) agrees (336), so only the rusage and nothing else differs
    expect(glibcOnMusl.diagnostics).not.toContain("layouts.spawnattrSize");
  });

  test("the aarch64 table fails on x86_64 headers: the raw waitid syscall is 95 there, 247 here", () => {
    const { diagnostics } = check(["gcc"], generateAsserts(abiById("linux-arm64-glibc")));
    expect(diagnostics).toContain("SYS_waitid == 95 (syscalls.waitid)");
    expect(diagnostics).not.toContain("syscalls.pidfd_open");
  });

  test("the macOS table fails against the FreeBSD transcription and the other way round", () => {
    const darwinOnFreebsd = check(["gcc", "-nostdinc", "-I", join(root, "test/c"), "-include", "layout_freebsd.h"],
      generateAsserts(abiById("darwin-arm64")).replace('#include "layout_darwin.h"\n', ""));
    const freebsdOnDarwin = check(["gcc", "-nostdinc", "-I", join(root, "test/c"), "-include", "layout_darwin.h"],
      generateAsserts(abiById("freebsd-arm64")).replace('#include "layout_freebsd.h"\n', ""));
    // si_pid is at 12 on both, but tv_usec, sigset_t, WEXITED and P_ALL differ.
    for (const d of [darwinOnFreebsd.diagnostics, freebsdOnDarwin.diagnostics]) {
      expect(d).toContain("layouts.timevalUsecBytes");
      expect(d).toContain("layouts.sigsetSize");
      expect(d).toContain("constants.WEXITED");
      expect(d).toContain("constants.P_ALL");
      expect(d).not.toContain("layouts.si_pid");
    }
  });
});
