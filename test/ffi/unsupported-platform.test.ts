// On a platform without these calls, importing must work and every call must throw a
// clear error. Simulated by overriding process.platform in a fresh Bun process.
import { expect, test } from "bun:test";

function pretend(platform: string) {
  // The timeout turns a process kept alive by a leaked wait into a failure here.
  const result = Bun.spawnSync([process.execPath, `${import.meta.dir}/../fixtures/pretend-platform.ts`, platform], { timeout: 30_000 });
  expect(result.signalCode, "the fixture did not exit on its own").toBeUndefined();
  expect(result.stderr.toString()).toBe("");
  return JSON.parse(result.stdout.toString()) as {
    imported: boolean;
    WNOHANG: number | null;
    WCONTINUED: number | null;
    errors: Record<string, { name: string; code: unknown; message: string } | null>;
  };
}

test("on win32 the module imports, flags are 0 and every call throws UnsupportedPlatformError", () => {
  const report = pretend("win32");
  expect(report.imported).toBe(true);
  // 0, not undefined: waitpid(pid, WNOHANG) must fail with the platform error, not a type error.
  expect(report.WNOHANG).toBe(0);
  for (const [name, error] of Object.entries(report.errors)) {
    expect(error, name).not.toBeNull();
    expect(error!.name, name).toBe("UnsupportedPlatformError");
    expect(error!.code, name).toBe("ERR_BUN_WAIT4_UNSUPPORTED_PLATFORM");
    expect(error!.message, name).toContain("not supported on win32");
  }
});

// A platform with a table whose C library this machine cannot open (macOS's: musl's loader
// would answer FreeBSD's "libc.so.7" with itself): the constants and the status rules are the
// table's, and only what calls C throws — at the call, since nothing is opened at import (the
// library was opened at import before, and then every constant was 0).
test("pretending to be macOS: constants and W* rules are its own, every C call throws UnsupportedPlatformError naming libSystem, each time", () => {
  const report = pretend("darwin");
  expect(report.imported).toBe(true);
  expect(report.WNOHANG).toBe(1);
  expect(report.WCONTINUED).toBe(0x10); // XNU bsd/sys/wait.h (Linux: 8)
  expect(report.errors.WIFEXITED).toBeNull();
  expect(report.errors.decodeStatus).toBeNull();
  const calls = ["wait4", "wait4 again", "waitpid", "waitid", "getrusage", "posix_spawnp", "promises.wait4", "promises.waitpid", "promises.waitid", "run"];
  for (const name of calls) {
    const error = report.errors[name];
    expect(error?.name, name).toBe("UnsupportedPlatformError");
    expect(error?.message, name).toContain(`not supported on darwin-${process.arch}`);
    expect(error?.message, name).toContain("libSystem.B.dylib");
  }
});

test("the same fixture on the real platform calls through (so the check above can fail)", () => {
  const report = pretend(process.platform);
  expect(report.imported).toBe(true);
  expect(report.WNOHANG).toBe(1);
  expect(report.errors.getrusage).toBeNull();
  expect(report.errors.WIFEXITED).toBeNull();
  expect(report.errors.wait4?.code).toBe("ECHILD");
  expect(report.errors["wait4 again"]?.code).toBe("ECHILD");
  expect(report.errors["promises.wait4"]?.code).toBe("ECHILD");
  expect(report.errors.run).toBeNull();
});
