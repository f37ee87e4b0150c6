/**
 * What every call throws where bun-wait4 has no table for the platform (Windows, 32-bit, an
 * unknown C library) or the C library lacks what the table names: `code`
 * `"ERR_BUN_WAIT4_UNSUPPORTED_PLATFORM"`, and a message naming the platform and what is
 * supported. Importing still works there; only the calls throw.
 */
export class UnsupportedPlatformError extends Error {
  readonly code = "ERR_BUN_WAIT4_UNSUPPORTED_PLATFORM";
  constructor(what: string) {
    super(`bun-wait4: not supported on ${what}; it needs Linux (glibc or musl), macOS or FreeBSD on x64 or arm64`);
    this.name = "UnsupportedPlatformError";
  }
}
