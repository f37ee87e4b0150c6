/**
 * lazyLibc and deferredLibc (src/ffi/libc.ts; the latter sets the former up on its first call,
 * which is what an import gets): nothing is opened when the C library object is made; the first
 * call of a function opens its own group only, once; later calls reach the FFI's function
 * directly; a group that cannot be opened throws UnsupportedPlatformError and is tried again.
 * Driven through a recording FFI binding, so every `open` is seen. The real binding is
 * exercised by every other test; test/ffi/first-use.test.ts checks it with no free descriptor.
 */
import { describe, expect, test } from "bun:test";
import { selectAbi, selectPlatformAbi } from "../../src/abi/select.ts";
import { UnsupportedPlatformError } from "../../src/errors/unsupported-platform.ts";
import type { Abi } from "../../src/abi/types.ts";
import type { CFunction, FfiBinding } from "../../src/ffi/binding.ts";
import { deferredLibc, lazyLibc } from "../../src/ffi/libc.ts";
import { thrown } from "../helpers/thrown.ts";

/** A binding whose functions return their own name; `opened` lists each open's symbols. */
function recordingFfi(refuse: (names: string[]) => boolean = () => false) {
  const opened: string[][] = [];
  const functions = new Map<string, CFunction>();
  const ffi: FfiBinding = {
    open(_paths, symbols) {
      const names = Object.keys(symbols);
      if (refuse(names)) throw new Error(`cannot open ${names.join(", ")}`);
      opened.push(names);
      return Object.fromEntries(
        names.map((name) => {
          const fn = functions.get(name) ?? (() => name);
          functions.set(name, fn);
          return [name, fn];
        }),
      );
    },
    addressOf: () => 4096,
    readI32: () => 10,
  };
  return { ffi, opened, functions };
}

const BUILDERS = [["lazyLibc", lazyLibc], ["deferredLibc", deferredLibc]] as const;

const status = new Int32Array(2);

describe.each(BUILDERS)("%s", (_, build) => {
  function linuxLibc(ffi: FfiBinding) {
    let asked = 0;
    const abi = (): Abi => {
      asked++;
      return selectAbi("linux", "x64", "glibc");
    };
    return { libc: build(() => ffi, selectPlatformAbi("linux", "x64"), abi), asked: () => asked };
  }

  test("opens nothing and asks nothing when it is made", () => {
    const { ffi, opened } = recordingFfi();
    const { asked } = linuxLibc(ffi);
    expect(opened).toEqual([]);
    expect(asked()).toBe(0);
  });

  test("a wait opens the wait group only, once; later calls go straight to the FFI's function", () => {
    const { ffi, opened, functions } = recordingFfi();
    const { libc } = linuxLibc(ffi);
    expect(libc.wait4(1, status, 0, null)).toBe("wait4" as never);
    expect(opened).toEqual([["wait4", "waitid", "getrusage"]]);
    expect(libc.wait4(1, status, 0, null)).toBe("wait4" as never);
    expect(libc.getrusage(0, status)).toBe("getrusage" as never);
    expect(opened).toHaveLength(1);
    // The stand-ins are gone: what is called now is the function the FFI returned.
    expect(libc.wait4).toBe(functions.get("wait4") as never);
    expect(libc.getrusage).toBe(functions.get("getrusage") as never);
  });

  test("each group opens on its own first call: spawn, epoll, errno, the Linux calls", () => {
    const { ffi, opened } = recordingFfi();
    const { libc } = linuxLibc(ffi);
    libc.posix_spawn_file_actions_init(new Uint8Array(8));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toContain("posix_spawnp");
    expect(opened[0]).not.toContain("wait4");
    libc.epoll_create1(0);
    expect(opened[1]).toEqual(["epoll_create1", "epoll_ctl", "epoll_wait"]);
    expect(libc.errno()).toBe(10); // read through the address __errno_location returned
    expect(opened[2]).toEqual(["__errno_location"]);
    libc.pipe2(new Int32Array(2), 0);
    expect(opened[3]).toEqual(["syscall", "pipe2", "socketpair", "poll", "fcntl"]);
    expect(opened[4]).toEqual(["pidfd_open"]); // the optional symbol, tried with its group
    expect(opened).toHaveLength(5);
  });

  test("a call the platform lacks throws without opening anything", () => {
    const { ffi, opened } = recordingFfi();
    const { libc } = linuxLibc(ffi);
    expect((thrown(() => libc.kqueue()) as Error).message).toBe("bun-wait4: kqueue is not available on linux");
    expect(opened).toEqual([]);
  });

  test("the C library is asked which it is on the first open, or the first read of abi, and once", () => {
    const { ffi } = recordingFfi();
    const { libc, asked } = linuxLibc(ffi);
    expect(libc.abi.libc).toBe("glibc");
    expect(asked()).toBe(1);
    libc.wait4(1, status, 0, null);
    libc.sigaction(17, null, null);
    expect(asked()).toBe(1);
  });

  test("a group that cannot be opened throws UnsupportedPlatformError on each call, and opens once it can", () => {
    let refuse = true;
    const { ffi, opened } = recordingFfi((names) => refuse && names.includes("wait4"));
    const { libc } = linuxLibc(ffi);
    for (let i = 0; i < 2; i++) {
      const error = thrown(() => libc.wait4(1, status, 0, null));
      expect(error).toBeInstanceOf(UnsupportedPlatformError);
      expect((error as Error).message).toContain("cannot open wait4, waitid, getrusage");
    }
    expect(libc.sigaction(17, null, null)).toBe("sigaction" as never); // other groups are unaffected
    refuse = false;
    expect(libc.wait4(1, status, 0, null)).toBe("wait4" as never);
    expect(opened).toEqual([["sigaction"], ["wait4", "waitid", "getrusage"]]);
  });
});

test("deferredLibc has every function lazyLibc has, and after a first call holds what lazyLibc holds", () => {
  const platform = selectPlatformAbi("linux", "x64");
  const abi = () => selectAbi("linux", "x64", "glibc");
  const eager = lazyLibc(() => recordingFfi().ffi, platform, abi);
  const deferred = deferredLibc(() => recordingFfi().ffi, platform, abi);
  expect(Object.keys(deferred).sort()).toEqual(Object.keys(eager).sort());
  expect(() => deferred.kqueue()).toThrow("bun-wait4: kqueue is not available on linux");
  // The first call replaced its own stand-ins with lazyLibc's (here: the one that says the call is absent).
  expect(deferred.kqueue.toString()).toBe(eager.kqueue.toString());
});

test("deferredLibc: a stand-in kept from before the first call, called after a group opened, opens nothing again", () => {
  const { ffi, opened } = recordingFfi();
  const libc = deferredLibc(() => ffi, selectPlatformAbi("linux", "x64"), () => selectAbi("linux", "x64", "glibc"));
  const kept = libc.posix_spawn_file_actions_init; // read before any call, as a caller may
  libc.sigaction(17, null, null); // the first call: sets every function up, opens the sigaction group
  libc.wait4(1, status, 0, null);
  kept(new Uint8Array(8)); // opens the spawn group, and resets nothing
  libc.wait4(1, status, 0, null);
  libc.sigaction(17, null, null);
  expect(opened.map((names) => names[0])).toEqual(["sigaction", "wait4", "posix_spawn"]);
});
