/**
 * selectAbi: which table each platform gets, what it refuses, and a few constants per OS
 * family checked against docs/DESIGN.md §4 (values written here, not read from src). The
 * running platform's table is also checked against CPython's os/resource/signal modules
 * and Node's os.constants.signals.
 */
import { thrown } from "../helpers/thrown.ts";
import { beforeAll, describe, expect, test } from "bun:test";
import { closeSync, openSync, readSync } from "node:fs";
import { constants } from "node:os";
import * as api from "../../src/index.ts";
import { selectAbi, selectPlatformAbi } from "../../src/abi/select.ts";
import { UnsupportedPlatformError } from "../../src/errors/unsupported-platform.ts";
import type { Abi } from "../../src/abi/types.ts";
import { libc as cLibrary, runningAbi } from "../../src/ffi/load.ts";

type Identity = Pick<Abi, "id" | "os" | "arch" | "libc" | "libcPaths" | "errnoSymbol" | "idBits">;
type Combo = [platform: string, arch: string, libc: "glibc" | "musl" | undefined, expected: Identity];

// docs/DESIGN.md §4 "Loading libc"; FreeBSD's libc is /lib/libc.so.7; id_t is 32 bits on Linux and
// macOS, 64 on FreeBSD (sys/sys/_types.h: typedef __int64_t __id_t).
const combos: Combo[] = [
  ["linux", "x64", "glibc", { id: "linux-x64-glibc", os: "linux", arch: "x64", libc: "glibc", libcPaths: ["libc.so.6"], errnoSymbol: "__errno_location", idBits: 32 }],
  ["linux", "arm64", "glibc", { id: "linux-arm64-glibc", os: "linux", arch: "arm64", libc: "glibc", libcPaths: ["libc.so.6"], errnoSymbol: "__errno_location", idBits: 32 }],
  ["linux", "x64", "musl", { id: "linux-x64-musl", os: "linux", arch: "x64", libc: "musl", libcPaths: ["libc.so.6", "/lib/ld-musl-x86_64.so.1"], errnoSymbol: "__errno_location", idBits: 32 }],
  ["linux", "arm64", "musl", { id: "linux-arm64-musl", os: "linux", arch: "arm64", libc: "musl", libcPaths: ["libc.so.6", "/lib/ld-musl-aarch64.so.1"], errnoSymbol: "__errno_location", idBits: 32 }],
  ["darwin", "x64", undefined, { id: "darwin-x64", os: "darwin", arch: "x64", libc: "darwin", libcPaths: ["/usr/lib/libSystem.B.dylib"], errnoSymbol: "__error", idBits: 32 }],
  ["darwin", "arm64", undefined, { id: "darwin-arm64", os: "darwin", arch: "arm64", libc: "darwin", libcPaths: ["/usr/lib/libSystem.B.dylib"], errnoSymbol: "__error", idBits: 32 }],
  ["freebsd", "x64", undefined, { id: "freebsd-x64", os: "freebsd", arch: "x64", libc: "freebsd", libcPaths: ["libc.so.7", "/lib/libc.so.7"], errnoSymbol: "__error", idBits: 64 }],
  ["freebsd", "arm64", undefined, { id: "freebsd-arm64", os: "freebsd", arch: "arm64", libc: "freebsd", libcPaths: ["libc.so.7", "/lib/libc.so.7"], errnoSymbol: "__error", idBits: 64 }],
];

const identity = (abi: Abi): Identity => ({
  id: abi.id,
  os: abi.os,
  arch: abi.arch,
  libc: abi.libc,
  libcPaths: [...abi.libcPaths],
  errnoSymbol: abi.errnoSymbol,
  idBits: abi.idBits,
});

describe("selectAbi picks the table of each supported platform", () => {
  for (const [platform, arch, libc, expected] of combos) {
    test(`${platform} ${arch}${libc ? ` ${libc}` : ""} -> ${expected.id}`, () => {
      expect(identity(selectAbi(platform, arch, libc))).toEqual(expected);
    });
  }

  test("the C library argument is ignored off Linux", () => {
    expect(selectAbi("darwin", "arm64", "musl").id).toBe("darwin-arm64");
    expect(selectAbi("freebsd", "x64", "glibc").id).toBe("freebsd-x64");
  });
});


describe("selectPlatformAbi: the table without what the C library decides", () => {
  /** `abi` without the fields the C library decides (types.ts LibcFacts) and rusageSize, written out here. */
  const withoutLibc = (abi: Abi) => {
    const { id: _id, libc: _libc, libcPaths: _paths, realtimeSignals: _rt, status: _status, layouts, ...rest } = abi;
    const { rusageSize: _size, ...otherLayouts } = layouts;
    return { ...rest, layouts: otherLayouts };
  };

  for (const [platform, arch, libc] of combos) {
    test(`${platform} ${arch}${libc ? ` ${libc}` : ""}: selectAbi's table without them`, () => {
      // On Linux both C libraries' tables must give it, or a musl process would read glibc's numbers.
      expect(selectPlatformAbi(platform, arch)).toEqual(withoutLibc(selectAbi(platform, arch, libc)) as never);
    });
  }

  test("holds none of them, so nothing can read glibc's values on musl", () => {
    const table = selectPlatformAbi("linux", "x64") as unknown as Record<string, unknown> & { layouts: Record<string, unknown> };
    for (const key of ["id", "libc", "libcPaths", "realtimeSignals", "status"]) expect(key in table, key).toBe(false);
    expect("rusageSize" in table.layouts).toBe(false);
  });

  test("refuses what selectAbi refuses, with the same error", () => {
    for (const [platform, arch] of [["win32", "x64"], ["linux", "ia32"], ["aix", "arm64"]] as const) {
      const error = thrown(() => selectPlatformAbi(platform, arch));
      expect(error).toBeInstanceOf(UnsupportedPlatformError);
      expect((error as Error).message).toBe((thrown(() => selectAbi(platform, arch, "glibc")) as Error).message);
    }
  });
});

describe("selectAbi refuses what it cannot serve", () => {
  // `mentions` is what the message must name after "not supported on ".
  const refusals: [platform: string, arch: string, libc: "glibc" | "musl" | undefined, mentions: string][] = [
    ["win32", "x64", undefined, "win32"], // docs/DESIGN.md §2: a clear "not supported on win32",
    ["win32", "arm64", undefined, "win32"],
    ["aix", "x64", undefined, "aix"],
    ["openbsd", "x64", undefined, "openbsd"],
    ["sunos", "x64", undefined, "sunos"],
    ["linux", "ia32", "glibc", "linux-ia32"],
    ["linux", "arm", "glibc", "linux-arm"],
    ["linux", "riscv64", "musl", "linux-riscv64"],
    ["linux", "s390x", "glibc", "linux-s390x"],
    ["linux", "ppc64", "glibc", "linux-ppc64"],
    ["darwin", "ia32", undefined, "darwin-ia32"],
    ["freebsd", "ia32", undefined, "freebsd-ia32"],
    ["linux", "x64", undefined, "linux-x64 with an unknown C library"],
    ["linux", "arm64", undefined, "linux-arm64 with an unknown C library"],
  ];
  for (const [platform, arch, libc, mentions] of refusals) {
    test(`${platform} ${arch}${libc ? ` ${libc}` : ""}: UnsupportedPlatformError naming ${mentions}`, () => {
      const e = thrown(() => selectAbi(platform, arch, libc));
      expect(e).toBeInstanceOf(UnsupportedPlatformError);
      expect(e).toBeInstanceOf(api.UnsupportedPlatformError); // the class users can catch
      expect(e).toBeInstanceOf(Error);
      const error = e as Error & { code?: unknown };
      expect(error.name).toBe("UnsupportedPlatformError");
      expect(error.code).toBe("ERR_BUN_WAIT4_UNSUPPORTED_PLATFORM");
      expect(error.message).toContain(`not supported on ${mentions}`);
      // and says what would work
      for (const word of ["Linux", "macOS", "FreeBSD"]) expect(error.message).toContain(word);
    });
  }
});

/** docs/DESIGN.md §4's table, per OS family. `undefined`: the platform lacks the constant. */
const design = {
  linux: {
    WNOHANG: 1, WUNTRACED: 2, WSTOPPED: 2, WEXITED: 4, WCONTINUED: 8, WNOWAIT: 0x1000000,
    P_ALL: 0, P_PID: 1, P_PGID: 2, P_PIDFD: 3,
    SIGCHLD: 17, SIGSTOP: 19, SIGCONT: 18,
  },
  darwin: {
    WNOHANG: 1, WUNTRACED: 2, WSTOPPED: 8, WEXITED: 4, WCONTINUED: 0x10, WNOWAIT: 0x20,
    P_ALL: 0, P_PID: 1, P_PGID: 2, P_PIDFD: undefined,
    SIGCHLD: 20, SIGSTOP: 17, SIGCONT: 19,
  },
  freebsd: {
    WNOHANG: 1, WUNTRACED: 2, WSTOPPED: 2, WEXITED: 16, WCONTINUED: 4, WNOWAIT: 8,
    P_ALL: 7, P_PID: 0, P_PGID: 2, P_PIDFD: undefined,
    SIGCHLD: 20, SIGSTOP: 17, SIGCONT: 19,
  },
} as const;

describe("constants per OS family match docs/DESIGN.md §4", () => {
  for (const [platform, arch, libc, expected] of combos) {
    test(expected.id, () => {
      const abi = selectAbi(platform, arch, libc);
      const want = design[abi.os];
      const { constants: k, signals: s } = abi;
      expect({
        WNOHANG: k.WNOHANG, WUNTRACED: k.WUNTRACED, WSTOPPED: k.WSTOPPED, WEXITED: k.WEXITED,
        WCONTINUED: k.WCONTINUED, WNOWAIT: k.WNOWAIT,
        P_ALL: k.P_ALL, P_PID: k.P_PID, P_PGID: k.P_PGID, P_PIDFD: k.P_PIDFD,
        SIGCHLD: s.SIGCHLD, SIGSTOP: s.SIGSTOP, SIGCONT: s.SIGCONT,
      }).toEqual({ ...want });
      // CLD_EXITED … CLD_CONTINUED are 1 … 6 everywhere; SIGKILL is 9 everywhere (POSIX).
      expect([k.CLD_EXITED, k.CLD_KILLED, k.CLD_DUMPED, k.CLD_TRAPPED, k.CLD_STOPPED, k.CLD_CONTINUED]).toEqual([
        1, 2, 3, 4, 5, 6,
      ]);
      expect(s.SIGKILL).toBe(9);
    });
  }

  test("each table's status rules read docs/DESIGN.md §4's example words the platform's way", () => {
    const linuxGlibc = selectAbi("linux", "x64", "glibc").status;
    const linuxMusl = selectAbi("linux", "arm64", "musl").status;
    const darwin = selectAbi("darwin", "arm64").status;
    const freebsd = selectAbi("freebsd", "x64").status;
    // 0x137f: stopped by SIGSTOP on Linux, continued on macOS.
    for (const r of [linuxGlibc, linuxMusl]) {
      expect([r.WIFSTOPPED(0x137f), r.WSTOPSIG(0x137f), r.WIFCONTINUED(0x137f)]).toEqual([true, 19, false]);
      expect([r.WIFCONTINUED(0xffff), r.WIFSTOPPED(0xffff)]).toEqual([true, false]);
    }
    expect([darwin.WIFCONTINUED(0x137f), darwin.WIFSTOPPED(0x137f)]).toEqual([true, false]);
    // 0xffff: continued on Linux, stopped by signal 255 on macOS.
    expect([darwin.WIFSTOPPED(0xffff), darwin.WSTOPSIG(0xffff), darwin.WIFCONTINUED(0xffff)]).toEqual([true, 255, false]);
    // FreeBSD: continued is the bare word 0x13.
    expect([freebsd.WIFCONTINUED(0x13), freebsd.WIFSIGNALED(0x13)]).toEqual([true, false]);
    // glibc and musl disagree on malformed words: 0x7f is stopped for glibc, signaled for musl.
    expect([linuxGlibc.WIFSTOPPED(0x7f), linuxGlibc.WIFSIGNALED(0x7f)]).toEqual([true, false]);
    expect([linuxMusl.WIFSTOPPED(0x7f), linuxMusl.WIFSIGNALED(0x7f)]).toEqual([false, true]);
  });
});

/**
 * The program interpreter (PT_INTERP) named in an ELF64 little-endian executable's program
 * headers: the C library's loader the kernel started it with (/lib64/ld-linux-x86-64.so.2,
 * /lib/ld-musl-x86_64.so.1, /lib/ld-linux-aarch64.so.1 …).
 */
function elfInterpreter(path: string): string {
  const fd = openSync(path, "r");
  try {
    const read = (offset: number, length: number): Buffer => {
      const buf = Buffer.alloc(length);
      expect(readSync(fd, buf, 0, length, offset)).toBe(length);
      return buf;
    };
    const header = read(0, 64);
    expect(header.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect([header[4], header[5]]).toEqual([2, 1]); // ELFCLASS64, ELFDATA2LSB
    const phoff = Number(header.readBigUInt64LE(0x20));
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);
    for (let i = 0; i < phnum; i++) {
      const ph = read(phoff + i * phentsize, 56);
      if (ph.readUInt32LE(0) !== 3) continue; // PT_INTERP
      const text = read(Number(ph.readBigUInt64LE(8)), Number(ph.readBigUInt64LE(0x20))).toString("latin1");
      return text.replace(/\0+$/, "");
    }
    throw new Error(`${path} has no PT_INTERP`);
  } finally {
    closeSync(fd);
  }
}

describe("the running platform's table", () => {
  const script = `
import json, os, platform, resource, signal
names = ["WNOHANG", "WUNTRACED", "WCONTINUED", "WEXITED", "WSTOPPED", "WNOWAIT", "P_ALL", "P_PID", "P_PGID",
         "P_PIDFD", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED",
         "PIDFD_NONBLOCK", "POSIX_SPAWN_OPEN", "POSIX_SPAWN_CLOSE", "POSIX_SPAWN_DUP2"]
out = {n: getattr(os, n, None) for n in names}
for n in ["RUSAGE_SELF", "RUSAGE_CHILDREN", "RUSAGE_THREAD", "RUSAGE_BOTH"]:
    out[n] = getattr(resource, n, None)
for n in ["SIGCHLD", "SIGSTOP", "SIGCONT", "SIGKILL"]:
    out[n] = int(getattr(signal, n))
out["maxSignal"] = max(int(s) for s in signal.valid_signals())
out["libc"] = platform.libc_ver()[0]
print(json.dumps(out))
`;
  let py: Record<string, number | string | null>;

  beforeAll(() => {
    const run = Bun.spawnSync(["python3", "-c", script], { stdout: "pipe", stderr: "pipe" });
    if (run.exitCode !== 0) throw new Error(`python3 failed: ${run.stderr.toString()}`);
    py = JSON.parse(run.stdout.toString()) as Record<string, number | string | null>;
  });

  test("is the one selectAbi gives for this OS, CPU and C library (libc from this Bun's ELF interpreter)", () => {
    expect(process.platform).toBe("linux"); // the only platform CI runs this file on
    // Which C library runs this Bun is a property of the Bun binary, not of the host's
    // python3 (a glibc build even when Bun is the musl build): its loader says it.
    const interp = elfInterpreter(process.execPath);
    const libc = /\/ld-musl-[^/]+\.so\.1$/.test(interp) ? "musl" : /\/ld-linux-[^/]+\.so\.\d+$/.test(interp) ? "glibc" : undefined;
    expect(libc, `ELF interpreter ${interp}`).toBeDefined();
    // The host's CPython is the glibc build on every machine CI uses: when Bun is glibc
    // too, CPython's own answer must agree.
    if (libc === "glibc") expect(py.libc).toBe("glibc");
    expect(cLibrary.abi.id).toBe(`linux-${process.arch}-${libc}`);
    expect(cLibrary.abi).toEqual(selectAbi(process.platform, process.arch, libc));
    expect(runningAbi).toEqual(selectPlatformAbi(process.platform, process.arch));
  });

  test("every exported constant CPython also has equals CPython's", () => {
    const exported = api as unknown as Record<string, unknown>;
    const compared: string[] = [];
    for (const [name, value] of Object.entries(py)) {
      if (name === "libc" || name === "maxSignal" || name.startsWith("SIG") || value === null) continue;
      expect(exported[name], name).toBe(value);
      compared.push(name);
    }
    expect(compared.length).toBeGreaterThanOrEqual(20);
  });

  test("signal numbers equal CPython's signal module and Node's os.constants.signals", () => {
    const s = runningAbi!.signals;
    const node = constants.signals;
    expect(s).toEqual({ SIGCHLD: py.SIGCHLD, SIGSTOP: py.SIGSTOP, SIGCONT: py.SIGCONT, SIGKILL: py.SIGKILL, maxSignal: py.maxSignal } as never);
    const { maxSignal: _, ...named } = s;
    expect(named).toEqual({ SIGCHLD: node.SIGCHLD, SIGSTOP: node.SIGSTOP, SIGCONT: node.SIGCONT, SIGKILL: node.SIGKILL });
  });
});
