/**
 * posix_spawn / posix_spawnp: what a child really receives and how it really starts, as the
 * child itself reports it (python3 or sh writing into a file named on its command line, or
 * /proc/self/* read by the child), plus the kernel's view through /proc/<pid>/stat.
 * Every child is made with posix_spawn(p) and reaped by pid.
 */
import { afterAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  constants as fsConstants,
} from "node:fs";
import { constants as osConstants, tmpdir } from "node:os";
import { join } from "node:path";
import {
  posix_spawn,
  posix_spawnp,
  waitpid,
  POSIX_SPAWN_CLOSE,
  POSIX_SPAWN_DUP2,
  POSIX_SPAWN_OPEN,
  SystemError,
  type SpawnOptions,
} from "../../src/index.ts";
import { libc } from "../../src/ffi/load.ts";
import { underEmulation } from "../helpers/emulation.ts";
import { reap } from "../helpers/live.ts";
import { realPython } from "../helpers/python.ts";
import { thrown } from "../helpers/thrown.ts";
import { childPids, maskFrom, newFds, openFdCount, openFds, pgidOf, reapNewChildren, signalBit, statFields } from "../helpers/procfs.ts";

const { O_WRONLY, O_CREAT, O_TRUNC, O_RDONLY } = fsConstants;
const { SIGUSR1, SIGUSR2, SIGINT, SIGQUIT, SIGPIPE, SIGKILL } = osConstants.signals;

const dir = mkdtempSync(join(tmpdir(), "bun-wait4-spawn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
/** A fresh path in the test's temporary directory (the file does not exist yet). */
function tempPath(name = "out"): string {
  return join(dir, `${name}-${fileCounter++}`);
}

/** The raw status of a child that called exit(code) (Linux: code in bits 8-15). */
const exitedWith = (code: number) => code << 8;

type Env = Record<string, string | undefined> | null | undefined;

/**
 * Runs `code` in python3 (the real interpreter, by absolute path). The code writes its answer to the file named
 * by `sys.argv[1]`; `args` follow as `sys.argv[2:]`. Returns the file's text once the child
 * has exited 0.
 */
function python(code: string, args: readonly string[] = [], env: Env = null, options?: SpawnOptions): string {
  const out = tempPath("py");
  const pid = posix_spawn(realPython(), ["python3", "-c", code, out, ...args], env, options);
  expect(reap(pid)).toBe(exitedWith(0));
  return readFileSync(out, "utf8");
}

/** Runs `script` with /bin/sh -c; `$1` is an output file. Returns that file's text after exit 0. */
function shell(script: string, options?: SpawnOptions): string {
  const out = tempPath("sh");
  const pid = posix_spawn("/bin/sh", ["sh", "-c", script, "sh", out], null, options);
  expect(reap(pid)).toBe(exitedWith(0));
  return readFileSync(out, "utf8");
}

/** /proc/self/status as a child sees it: cat alters neither its signal mask nor its ignored set. */
function childStatus(options?: SpawnOptions): string {
  return shell('exec cat /proc/self/status > "$1"', options);
}

/**
 * Runs a spawn that must fail in the child (exec or a file action). Natively posix_spawn
 * reports that failure itself: it throws, and no child is left. Under qemu-user, and only
 * there (docs/DESIGN.md §7), vfork becomes fork and the failure cannot be reported: the call returns
 * a pid whose child exits 127 (glibc's and musl's code for "the spawn failed in the child").
 * Returns the error, or null when the emulated path was taken.
 */
function spawnFailure(spawn: () => number): unknown {
  const before = childPids();
  let pid: number | undefined;
  let error: unknown;
  try {
    pid = spawn();
  } catch (e) {
    error = e;
  }
  if (pid !== undefined) {
    const status = reap(pid);
    expect(underEmulation(), "posix_spawn returned a pid for a spawn that fails in the child").toBe(true);
    expect(status).toBe(exitedWith(127));
    expect(reapNewChildren(before)).toEqual([]);
    return null;
  }
  expect(reapNewChildren(before)).toEqual([]);
  expect(error).toBeInstanceOf(SystemError);
  return error;
}

const PRINT_ARGS = `
import sys, os, json
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump([os.fsencode(a).decode("utf-8") for a in sys.argv[2:]], f)
`;

// The initial environment, as exec gave it: /proc/self/environ is not changed by Python's own
// setenv calls (PEP 538 adds LC_CTYPE to os.environ under the C locale).
const PRINT_ENVIRON = `
import sys, json
with open("/proc/self/environ", "rb") as e:
    raw = e.read()
entries = [x.decode("utf-8") for x in raw.split(b"\\0") if x]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(entries, f)
`;

describe("argv reaches the child exactly", () => {
  test("spaces, quotes, empty strings after argv[0], shell metacharacters and unicode", () => {
    const args = [
      "",
      "two words",
      " leading",
      "trailing ",
      "'single quoted'",
      '"double quoted"',
      "back\\slash",
      "$HOME",
      "*",
      "tab\there\nnewline",
      "ünïcødé ✓ 日本語 😀",
      "",
      "-c",
      "--",
    ];
    expect(JSON.parse(python(PRINT_ARGS, args))).toEqual(args);
  });

  test("1,000 arguments arrive complete and in order", () => {
    const args = Array.from({ length: 1000 }, (_, i) => `arg-${i}-${"x".repeat(i % 37)}`);
    expect(JSON.parse(python(PRINT_ARGS, args))).toEqual(args);
  });

  test("argv[0] is the name the child sees, independent of the path run", () => {
    // /proc/<pid>/cmdline is the argv the kernel gave the shell.
    const out = tempPath();
    const pid = posix_spawn("/bin/sh", ["my-shell-name", "-c", 'tr "\\000" "\\n" < /proc/$$/cmdline > "$1"', "zero", out]);
    expect(reap(pid)).toBe(exitedWith(0));
    expect(readFileSync(out, "utf8").split("\n")[0]).toBe("my-shell-name");
  });
});

describe("env", () => {
  test("a given mapping is the child's whole environment; '=' inside values passes", () => {
    const env = { ALPHA: "1", WITH_SPACES: "a b  c", EQUALS: "a=b==c=", UNICODE: "ünï ✓", EMPTY: "" };
    const seen: string[] = JSON.parse(python(PRINT_ENVIRON, [], env));
    expect(seen.sort()).toEqual(["ALPHA=1", "EMPTY=", "EQUALS=a=b==c=", "UNICODE=ünï ✓", "WITH_SPACES=a b  c"]);
  });

  test("an empty mapping gives an empty environment", () => {
    expect(JSON.parse(python(PRINT_ENVIRON, [], {}))).toEqual([]);
  });

  test("undefined values are left out", () => {
    const seen: string[] = JSON.parse(python(PRINT_ENVIRON, [], { KEPT: "yes", DROPPED: undefined }));
    expect(seen).toEqual(["KEPT=yes"]);
  });

  test("null and omitted env both pass process.env", () => {
    const expected = Object.entries(process.env)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `${name}=${value}`)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const viaNull: string[] = JSON.parse(python(PRINT_ENVIRON, [], null));
    expect(viaNull.sort()).toEqual(expected);
    const out = tempPath();
    const pid = posix_spawn(realPython(), ["python3", "-c", PRINT_ENVIRON, out]);
    expect(reap(pid)).toBe(exitedWith(0));
    expect((JSON.parse(readFileSync(out, "utf8")) as string[]).sort()).toEqual(expected);
  });
});

describe("posix_spawn takes a path, posix_spawnp searches PATH", () => {
  test('posix_spawn("sh") looks for ./sh, not the PATH, and fails ENOENT leaving no child', () => {
    expect(existsSync(join(process.cwd(), "sh"))).toBe(false);
    const error = spawnFailure(() => posix_spawn("sh", ["sh", "-c", "exit 0"], null));
    if (error !== null) expect(error).toMatchObject({ code: "ENOENT", syscall: "posix_spawn", path: "sh" });
  });

  test('posix_spawnp("sh") finds /bin/sh through the PATH', () => {
    const pid = posix_spawnp("sh", ["sh", "-c", "exit 7"], null);
    expect(reap(pid)).toBe(exitedWith(7));
  });

  test("posix_spawnp searches this process's PATH even when the child's env has none", () => {
    // The child gets an empty environment (no PATH at all), yet "sh" is found.
    const pid = posix_spawnp("sh", ["sh", "-c", "exit 5"], {});
    expect(reap(pid)).toBe(exitedWith(5));
  });

  test("a missing absolute path: SystemError ENOENT naming posix_spawn and the path", () => {
    const error = spawnFailure(() => posix_spawn("/no/such", ["such"], null));
    if (error === null) return; // emulated: the child exited 127 (checked above)
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: "ENOENT",
      errno: -osConstants.errno.ENOENT,
      syscall: "posix_spawn",
      path: "/no/such",
      message: "ENOENT: no such file or directory, posix_spawn '/no/such'",
    });
  });

  test("a program missing from the PATH: SystemError ENOENT naming posix_spawnp", () => {
    const error = spawnFailure(() => posix_spawnp("bun-wait4-no-such-program", ["x"], null));
    if (error !== null) {
      expect(error).toMatchObject({ code: "ENOENT", syscall: "posix_spawnp", path: "bun-wait4-no-such-program" });
    }
  });

  test("a file without execute permission: SystemError EACCES", () => {
    const script = tempPath("not-executable");
    writeFileSync(script, "#!/bin/sh\nexit 0\n");
    chmodSync(script, 0o644);
    const error = spawnFailure(() => posix_spawn(script, ["script"], null));
    if (error !== null) {
      expect(error).toMatchObject({ code: "EACCES", errno: -osConstants.errno.EACCES, syscall: "posix_spawn", path: script });
    }
  });
});

describe("file_actions", () => {
  test("OPEN creates the file as the child's stdout with the given mode (less the umask)", () => {
    const target = tempPath("opened");
    const umask = process.umask();
    const pid = posix_spawn("/bin/sh", ["sh", "-c", "echo hello from the child"], null, {
      file_actions: [[POSIX_SPAWN_OPEN, 1, target, O_WRONLY | O_CREAT | O_TRUNC, 0o640]],
    });
    expect(reap(pid)).toBe(exitedWith(0));
    expect(readFileSync(target, "utf8")).toBe("hello from the child\n");
    expect(statSync(target).mode & 0o7777).toBe(0o640 & ~umask);
  });

  test("OPEN passes its flags: O_TRUNC empties an existing file", () => {
    const target = tempPath("truncated");
    writeFileSync(target, "x".repeat(1000));
    const pid = posix_spawn("/bin/sh", ["sh", "-c", "printf short"], null, {
      file_actions: [[POSIX_SPAWN_OPEN, 1, target, O_WRONLY | O_TRUNC, 0]],
    });
    expect(reap(pid)).toBe(exitedWith(0));
    expect(readFileSync(target, "utf8")).toBe("short");
  });

  test("OPEN onto a new descriptor number: the child finds the file at that fd", () => {
    const source = tempPath("source");
    writeFileSync(source, "read through fd 7");
    const text = python(
      'import sys, os\nopen(sys.argv[1], "w").write(os.read(7, 100).decode())',
      [],
      null,
      { file_actions: [[POSIX_SPAWN_OPEN, 7, source, O_RDONLY, 0]] },
    );
    expect(text).toBe("read through fd 7");
  });

  const FD0_STATE = `
import sys, os, errno
try:
    os.fstat(0)
    state = "open"
except OSError as e:
    state = errno.errorcode[e.errno]
open(sys.argv[1], "w").write(state)
`;

  test("CLOSE 0: the child starts with stdin closed (fstat(0) fails EBADF)", () => {
    expect(python(FD0_STATE)).toBe("open"); // control: inherited stdin
    expect(python(FD0_STATE, [], null, { file_actions: [[POSIX_SPAWN_CLOSE, 0]] })).toBe("EBADF");
  });

  test("CLOSE 0 as the shell sees it: read fails", () => {
    const text = shell('read x || echo closed > "$1"', { file_actions: [[POSIX_SPAWN_CLOSE, 0]] });
    expect(text).toBe("closed\n");
  });

  test("DUP2 of an open file onto 1 makes it stdout; the close-on-exec original stays closed", () => {
    const target = tempPath("dup2");
    const fd = openSync(target, "w");
    try {
      const code = `
import sys, os, errno
try:
    os.fstat(${fd})
    original = "open"
except OSError as e:
    original = errno.errorcode[e.errno]
sys.stdout.write("via dup2, original fd " + original)
`;
      const pid = posix_spawn(realPython(), ["python3", "-c", code], null, { file_actions: [[POSIX_SPAWN_DUP2, fd, 1]] });
      expect(reap(pid)).toBe(exitedWith(0));
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(target, "utf8")).toBe("via dup2, original fd EBADF");
  });

  test("actions run in the order given", () => {
    // OPEN 1 -> a, DUP2 1 -> 2 (stderr to a), OPEN 1 -> b. Reversed, the files would swap.
    const a = tempPath("first");
    const b = tempPath("second");
    const pid = posix_spawn("/bin/sh", ["sh", "-c", "echo to-stdout; echo to-stderr >&2"], null, {
      file_actions: [
        [POSIX_SPAWN_OPEN, 1, a, O_WRONLY | O_CREAT | O_TRUNC, 0o600],
        [POSIX_SPAWN_DUP2, 1, 2],
        [POSIX_SPAWN_OPEN, 1, b, O_WRONLY | O_CREAT | O_TRUNC, 0o600],
      ],
    });
    expect(reap(pid)).toBe(exitedWith(0));
    expect(readFileSync(a, "utf8")).toBe("to-stderr\n");
    expect(readFileSync(b, "utf8")).toBe("to-stdout\n");
  });

  test("an OPEN that fails in the child fails the spawn with the open's errno and leaves no child", () => {
    const error = spawnFailure(() =>
      posix_spawn("/bin/sh", ["sh", "-c", "exit 0"], null, {
        file_actions: [[POSIX_SPAWN_OPEN, 1, join(dir, "no-such-dir", "file"), O_WRONLY | O_CREAT, 0o644]],
      }),
    );
    if (error !== null) {
      expect(error).toMatchObject({ code: "ENOENT", errno: -osConstants.errno.ENOENT, syscall: "posix_spawn" });
    }
    expect(existsSync(join(dir, "no-such-dir"))).toBe(false);
  });

  test("a DUP2 from a descriptor that is not open fails the spawn with EBADF and leaves no child", () => {
    const unused = 300;
    expect(existsSync(`/proc/self/fd/${unused}`)).toBe(false);
    const error = spawnFailure(() =>
      posix_spawnp("sh", ["sh", "-c", "exit 0"], null, { file_actions: [[POSIX_SPAWN_DUP2, unused, 1]] }),
    );
    if (error !== null) expect(error).toMatchObject({ code: "EBADF", syscall: "posix_spawnp" });
  });
});

// Field order of /proc/self/stat after "(comm) ": state ppid pgrp session ...
const PRINT_IDS = `
import sys, os, json
with open("/proc/self/stat") as f:
    stat = f.read()
fields = stat[stat.rindex(")") + 2:].split()
json.dump({"pid": os.getpid(), "pgrp": int(fields[2]), "session": int(fields[3]),
           "getpgid": os.getpgid(0), "getsid": os.getsid(0)}, open(sys.argv[1], "w"))
`;

interface Ids {
  pid: number;
  pgrp: number;
  session: number;
  getpgid: number;
  getsid: number;
}

describe("attributes", () => {
  test("setpgroup: 0 makes the child lead a new process group", () => {
    const ids: Ids = JSON.parse(python(PRINT_IDS, [], null, { setpgroup: 0 }));
    expect(ids.pgrp).toBe(ids.pid);
    expect(ids.getpgid).toBe(ids.pid);
    expect(ids.pgrp).not.toBe(pgidOf("self"));
  });

  test("setpgroup: our own group keeps the child in it", () => {
    const ours = pgidOf("self");
    const ids: Ids = JSON.parse(python(PRINT_IDS, [], null, { setpgroup: ours }));
    expect(ids.pgrp).toBe(ours);
    expect(ids.getpgid).toBe(ours);
  });

  test("setpgroup: another child's group puts the child in that group", () => {
    const leader = posix_spawnp("sleep", ["sleep", "30"], null, { setpgroup: 0 });
    try {
      // Natively set before posix_spawn returned; under emulation wait for it (bounded).
      expect(pgidOf(leader, leader)).toBe(leader);
      const ids: Ids = JSON.parse(python(PRINT_IDS, [], null, { setpgroup: leader }));
      expect(ids.pgrp).toBe(leader);
      expect(ids.pid).not.toBe(leader);
    } finally {
      process.kill(leader, SIGKILL);
      expect(reap(leader) & 0x7f).toBe(SIGKILL);
    }
  });

  test("without setpgroup or setsid the child shares our group and session", () => {
    const ids: Ids = JSON.parse(python(PRINT_IDS));
    const fields = statFields("self");
    expect(ids.pgrp).toBe(Number(fields[2]));
    expect(ids.session).toBe(Number(fields[3]));
  });

  test("setsid: the child leads a new session and group (field 6 of /proc/self/stat)", () => {
    const ids: Ids = JSON.parse(python(PRINT_IDS, [], null, { setsid: true }));
    expect(ids.session).toBe(ids.pid);
    expect(ids.getsid).toBe(ids.pid);
    expect(ids.pgrp).toBe(ids.pid);
  });

  test("setsigmask: the child starts with exactly those signals blocked", () => {
    const blocked = maskFrom(childStatus({ setsigmask: [SIGUSR1, SIGUSR2] }), "SigBlk");
    expect(blocked).toBe(signalBit(SIGUSR1) | signalBit(SIGUSR2));
    expect(blocked).toBe(0xa00n); // SIGUSR1 = 10, SIGUSR2 = 12 on Linux
  });

  test("setsigmask: spawns one after another each get their own set (a filled set is reused only for the same signals)", () => {
    const sets = [[SIGUSR1], [SIGUSR2], [SIGUSR1, SIGUSR2], [SIGUSR1, SIGUSR2], [SIGUSR1], [], [SIGINT]];
    for (const set of sets) {
      expect(maskFrom(childStatus({ setsigmask: set }), "SigBlk")).toBe(set.reduce((m, s) => m | signalBit(s), 0n));
    }
  });

  test("setsigmask: [] starts the child with nothing blocked", () => {
    expect(maskFrom(childStatus({ setsigmask: [] }), "SigBlk")).toBe(0n);
  });

  test("setsigmask and setsigdef of every signal 1-64 spawn, with the same masks as CPython's posix_spawn", () => {
    // sigaddset refuses the C library's own signals and both CPython and we skip them: glibc's
    // 32 and 33 (internal-signals.h: SIGCANCEL, SIGSETXID), musl's 32-34 (sigaddset.c:
    // sig-32U < 3). The host's CPython is a glibc build, so compare outside both sets.
    const reserved = libc.abi.libc === "musl" ? [32, 33, 34] : [32, 33];
    const outside = ~(signalBit(32) | signalBit(33) | signalBit(34));
    const all = Array.from({ length: 64 }, (_, i) => i + 1);
    const ours = childStatus({ setsigmask: all, setsigdef: all });
    const theirs = python(
      [
        "import os, sys, warnings",
        "warnings.simplefilter('ignore')  # CPython warns about each number sigaddset refuses",
        "r, w = os.pipe()",
        "pid = os.posix_spawn('/bin/cat', ['cat', '/proc/self/status'], os.environ,",
        "    file_actions=[(os.POSIX_SPAWN_DUP2, w, 1)], setsigmask=range(1, 65), setsigdef=range(1, 65))",
        "os.close(w)",
        "text = b''",
        "while chunk := os.read(r, 65536): text += chunk",
        "os.waitpid(pid, 0)",
        "open(sys.argv[1], 'wb').write(text)",
      ].join("\n"),
    );
    // Under qemu-user (only there) the emulator keeps SIGSEGV and SIGBUS unblocked for its own
    // fault handling and maps real-time signals with an offset: compare the other standard ones.
    const kept = underEmulation() ? ((1n << 31n) - 1n) & ~(signalBit(osConstants.signals.SIGSEGV) | signalBit(osConstants.signals.SIGBUS)) : outside;
    for (const field of ["SigBlk", "SigIgn"]) expect(maskFrom(ours, field) & kept, field).toBe(maskFrom(theirs, field) & kept);
    // every signal but the reserved ones (and SIGKILL and SIGSTOP, which cannot be blocked)
    const unblockable = [...reserved, SIGKILL, osConstants.signals.SIGSTOP];
    const expected = all.filter((s) => !unblockable.includes(s)).reduce((m, s) => m | signalBit(s), 0n);
    expect(maskFrom(ours, "SigBlk") & kept).toBe(expected & kept);
  });

  test("setsigmask accepts any iterable (a Set)", () => {
    const blocked = maskFrom(childStatus({ setsigmask: new Set([SIGINT]) }), "SigBlk");
    expect(blocked).toBe(signalBit(SIGINT));
  });

  // glibc's posix_spawn itself leaves its two internal signals (32 and 33) ignored in every
  // child (CPython's os.posix_spawn shows the same SigIgn), so compare the standard signals 1-31.
  const STANDARD = (1n << 31n) - 1n;

  test("setsigdef: signals Bun ignores are inherited as ignored unless reset to default", () => {
    const ours = maskFrom(readFileSync("/proc/self/status", "utf8"), "SigIgn") & STANDARD;
    // Bun ignores SIGPIPE; without an ignored signal in the parent this test would prove nothing.
    expect(ours & signalBit(SIGPIPE)).toBe(signalBit(SIGPIPE));

    const control = maskFrom(childStatus(), "SigIgn") & STANDARD;
    expect(control).toBe(ours);

    const pipeReset = maskFrom(childStatus({ setsigdef: [SIGPIPE] }), "SigIgn") & STANDARD;
    expect(pipeReset).toBe(ours & ~signalBit(SIGPIPE));

    const ignoredByUs: number[] = [];
    for (let signal = 1; signal <= 31; signal++) if (ours & signalBit(signal)) ignoredByUs.push(signal);
    expect(maskFrom(childStatus({ setsigdef: ignoredByUs }), "SigIgn") & STANDARD).toBe(0n);
  });

  test("setsigdef: [SIGINT, SIGQUIT] leaves both at their default action in the child", () => {
    const ours = maskFrom(readFileSync("/proc/self/status", "utf8"), "SigIgn") & STANDARD;
    const text = childStatus({ setsigdef: [SIGINT, SIGQUIT] });
    const ignored = maskFrom(text, "SigIgn") & STANDARD;
    const caught = maskFrom(text, "SigCgt");
    const both = signalBit(SIGINT) | signalBit(SIGQUIT);
    expect(ignored & both).toBe(0n);
    expect(caught & both).toBe(0n);
    expect(ignored).toBe(ours & ~both);
  });

  test("resetids: the child runs with our real and effective ids", () => {
    const ids = JSON.parse(
      python(
        'import sys, os, json\njson.dump([os.getuid(), os.geteuid(), os.getgid(), os.getegid()], open(sys.argv[1], "w"))',
        [],
        null,
        { resetids: true },
      ),
    );
    expect(ids).toEqual([process.getuid!(), process.geteuid!(), process.getgid!(), process.getegid!()]);
  });

  test("an unknown option key throws TypeError ERR_INVALID_ARG_VALUE before any child exists", () => {
    const before = childPids();
    const error = thrown(() => posix_spawnp("sh", ["sh", "-c", "exit 0"], null, { setpgrp: 0 } as never));
    const extra = reapNewChildren(before);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: "ERR_INVALID_ARG_VALUE" });
    expect((error as Error).message).toContain("setpgrp");
    expect(extra).toEqual([]);
  });
});

describe("resources", () => {
  test("200 spawns with file actions and attributes, then 50 failing ones, leave no descriptor open", () => {
    Bun.gc(true);
    const before = openFds();
    const count = openFdCount();
    const children = childPids();
    for (let i = 0; i < 200; i++) {
      const pid = posix_spawn("/bin/true", ["true"], null, {
        file_actions: [
          [POSIX_SPAWN_OPEN, 1, "/dev/null", O_WRONLY, 0],
          [POSIX_SPAWN_DUP2, 1, 2],
          [POSIX_SPAWN_CLOSE, 0],
        ],
        setsigmask: [SIGUSR1],
        setpgroup: 0,
      });
      expect(reap(pid)).toBe(exitedWith(0));
    }
    expect(newFds(before)).toEqual([]);
    expect(openFdCount()).toBeLessThanOrEqual(count);
    let failures = 0;
    for (let i = 0; i < 50; i++) {
      // Natively each throws ENOENT; under emulation each child exits 127 (see spawnFailure).
      const error = spawnFailure(() =>
        i % 2 === 0
          ? posix_spawn("/no/such/program", ["x"], null, { file_actions: [[POSIX_SPAWN_OPEN, 1, "/dev/null", O_WRONLY, 0]] })
          : posix_spawn("/bin/true", ["true"], null, {
              file_actions: [[POSIX_SPAWN_OPEN, 1, join(dir, "missing", "f"), O_WRONLY | O_CREAT, 0o600]],
            }),
      );
      if (error !== null && (error as SystemError).code !== "ENOENT") throw error;
      failures++;
    }
    expect(failures).toBe(50);
    expect(newFds(before)).toEqual([]);
    expect(openFdCount()).toBeLessThanOrEqual(count);
    expect(reapNewChildren(children)).toEqual([]);
  });

  test("300 children at once, each reaped by pid with its own exit code", () => {
    const before = childPids();
    const pids: number[] = [];
    for (let i = 0; i < 300; i++) {
      pids.push(posix_spawnp("sh", ["sh", "-c", 'exit "$1"', "sh", String(i % 256)], null));
    }
    expect(new Set(pids).size).toBe(300);
    // Reap in reverse order of creation: each wait must pick its own pid.
    const statuses = new Map<number, number>();
    for (const pid of [...pids].reverse()) statuses.set(pid, reap(pid));
    expect(pids.map((pid) => statuses.get(pid))).toEqual(pids.map((_, i) => exitedWith(i % 256)));
    expect(reapNewChildren(before)).toEqual([]);
  });
});
