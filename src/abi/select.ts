/** Picks the ABI table for a platform. Pure: the caller says which C library it found. */
import { UnsupportedPlatformError } from "../errors/unsupported-platform.ts";
import { darwinAbi } from "./darwin.ts";
import { freebsdAbi } from "./freebsd.ts";
import { linuxAbi } from "./linux.ts";
import type { Abi, PlatformAbi, WaitConstants } from "./types.ts";

/**
 * Returns the table for `platform`/`arch` (as in `process.platform`/`process.arch`).
 * `linuxLibc` matters only on Linux: which C library the running process uses.
 */
export function selectAbi(platform: string, arch: string, linuxLibc?: "glibc" | "musl"): Abi {
  if (arch !== "x64" && arch !== "arm64") throw new UnsupportedPlatformError(`${platform}-${arch}`);
  switch (platform) {
    case "linux":
      if (linuxLibc === undefined) throw new UnsupportedPlatformError(`${platform}-${arch} with an unknown C library`);
      return linuxAbi(arch, linuxLibc);
    case "darwin":
      return darwinAbi(arch);
    case "freebsd":
      return freebsdAbi(arch);
    default:
      throw new UnsupportedPlatformError(platform);
  }
}

/**
 * The part of `platform`/`arch`'s table that the C library does not decide: pure, with no
 * FFI. Linux's glibc and musl tables agree on every field of it (test/abi/select.test.ts), so
 * either gives it. Throws `UnsupportedPlatformError` as `selectAbi` does.
 */
export function selectPlatformAbi(platform: string, arch: string): PlatformAbi {
  const { id, libc, libcPaths, realtimeSignals, status, layouts, ...platformAbi } = selectAbi(platform, arch, "glibc");
  const { rusageSize, ...platformLayouts } = layouts;
  return { ...platformAbi, layouts: platformLayouts };
}

/**
 * The constants exported where no table fits: every one 0, the optional ones absent. Every
 * call throws `UnsupportedPlatformError` there, so the values only have to be numbers.
 */
export const UNSUPPORTED_CONSTANTS: Readonly<WaitConstants> = Object.freeze({
  WNOHANG: 0, WUNTRACED: 0, WCONTINUED: 0, WEXITED: 0, WSTOPPED: 0, WNOWAIT: 0,
  P_ALL: 0, P_PID: 0, P_PGID: 0, P_PIDFD: undefined,
  CLD_EXITED: 0, CLD_KILLED: 0, CLD_DUMPED: 0, CLD_TRAPPED: 0, CLD_STOPPED: 0, CLD_CONTINUED: 0,
  RUSAGE_SELF: 0, RUSAGE_CHILDREN: 0, RUSAGE_THREAD: undefined, PIDFD_NONBLOCK: undefined,
});

/** The `ru_maxrss` unit reported where no table fits (no rusage is ever returned there). */
export const UNSUPPORTED_MAXRSS: Abi["maxrss"] = Object.freeze({ unit: "KiB", bytesPerUnit: 1024 });
