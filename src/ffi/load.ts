/**
 * The running process's C library. Importing opens nothing and never throws: the platform's
 * table comes from `process.platform` and `process.arch` alone, and each group of C functions
 * is opened on its first call (docs/DESIGN.md §4.5). On a platform without a table (Windows,
 * 32-bit) every call throws a clear `UnsupportedPlatformError` instead.
 */
import { selectAbi, selectPlatformAbi } from "../abi/select.ts";
import type { Abi, PlatformAbi } from "../abi/types.ts";
import { UnsupportedPlatformError } from "../errors/unsupported-platform.ts";
import { deferredLibc, type Libc } from "./libc.ts";
import { ffi } from "./runtime.ts";
import { GLIBC_PROBE_SYMBOL } from "./symbols.ts";

/** glibc exports `gnu_get_libc_version`; musl does not (and answers "libc.so.6" with itself). */
function detectLinuxLibc(): "glibc" | "musl" {
  try {
    ffi().open(["libc.so.6"], GLIBC_PROBE_SYMBOL);
    return "glibc";
  } catch {
    return "musl";
  }
}

/** The whole table of the running platform: on Linux this asks the C library which it is. */
function askRunningAbi(): Abi {
  return selectAbi(process.platform, process.arch, process.platform === "linux" ? detectLinuxLibc() : undefined);
}

/**
 * An object of type `T` whose every property read throws `error`: the stand-in for the C
 * library on an unsupported platform. Methods are read before they are called, so
 * `libc.wait4(…)` throws at the read.
 */
function throwingStandIn<T extends object>(error: Error): T {
  return new Proxy({} as T, {
    get: () => {
      throw error;
    },
  });
}

function selectRunning(): { abi: PlatformAbi | undefined; reason: UnsupportedPlatformError | undefined } {
  try {
    return { abi: selectPlatformAbi(process.platform, process.arch), reason: undefined };
  } catch (error) {
    const reason = error instanceof UnsupportedPlatformError ? error : new UnsupportedPlatformError(`${process.platform}-${process.arch} (${String(error)})`);
    return { abi: undefined, reason };
  }
}

const running = selectRunning();

/**
 * The running platform's table as far as the OS and CPU decide it (constants, layouts, signal
 * and errno numbers), or undefined where nothing is supported. What the C library decides
 * (status rules, real-time signals) is in `libc.abi`.
 */
export const runningAbi: PlatformAbi | undefined = running.abi;

/** The running process's C library, opened group by group on first use, or a stand-in whose every use throws. */
export const libc: Libc = running.abi === undefined ? throwingStandIn<Libc>(running.reason!) : deferredLibc(ffi, running.abi, askRunningAbi);
