/**
 * Loads the running process's C library once, at import. Importing never throws: on a
 * platform without a table (Windows, 32-bit, an unknown C library) every call throws a clear
 * `UnsupportedPlatformError` instead.
 */
import { selectAbi, UnsupportedPlatformError } from "../abi/select.ts";
import type { Abi } from "../abi/types.ts";
import { bindLibc, type Libc } from "./libc.ts";
import { ffi } from "./runtime.ts";
import { GLIBC_PROBE_SYMBOL } from "./symbols.ts";

/** glibc exports `gnu_get_libc_version`; musl does not (and answers "libc.so.6" with itself). */
function detectLinuxLibc(): "glibc" | "musl" {
  try {
    ffi.open(["libc.so.6"], GLIBC_PROBE_SYMBOL);
    return "glibc";
  } catch {
    return "musl";
  }
}

/**
 * An object of type `T` whose every property read throws `error`: the stand-in for the C
 * library and the status rules on an unsupported platform. Methods are read before they are
 * called, so `libc.wait4(…)` throws at the read.
 */
function throwingStandIn<T extends object>(error: Error): T {
  return new Proxy({} as T, {
    get: () => {
      throw error;
    },
  });
}

function loadRunning(): { libc: Libc | undefined; abi: Abi | undefined; reason: UnsupportedPlatformError | undefined } {
  try {
    const linuxLibc = process.platform === "linux" ? detectLinuxLibc() : undefined;
    const abi = selectAbi(process.platform, process.arch, linuxLibc);
    return { libc: bindLibc(ffi, abi), abi, reason: undefined };
  } catch (error) {
    const reason =
      error instanceof UnsupportedPlatformError
        ? error
        : new UnsupportedPlatformError(`${process.platform}-${process.arch} (${String(error)})`);
    return { libc: undefined, abi: undefined, reason };
  }
}

const running = loadRunning();

/**
 * `value`, or where the platform is unsupported (value undefined) a stand-in whose every
 * property read throws the `UnsupportedPlatformError` that says why.
 */
export function orUnsupported<T extends object>(value: T | undefined): T {
  if (value !== undefined) return value;
  return throwingStandIn<T>(running.reason ?? new UnsupportedPlatformError(`${process.platform}-${process.arch}`));
}

/** The running process's C library, or a stand-in whose every use throws. */
export const libc: Libc = orUnsupported(running.libc);

/** The running platform's table, or undefined where nothing is supported. */
export const runningAbi: Abi | undefined = running.abi;
