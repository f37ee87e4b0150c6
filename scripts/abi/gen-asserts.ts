/**
 * Generates C files of `_Static_assert`s from the TypeScript ABI tables in `src/abi/`, so a
 * C compiler checks every struct offset, size and constant we hard-code against a
 * platform's real headers (or, for macOS and FreeBSD, against the cited transcriptions in
 * `test/c/layout_{darwin,freebsd}.h`). A wrong table value makes the compile fail with a
 * message naming the table, the C expression and the value the table claims.
 *
 * Two translation units per Linux table:
 * - `generateAsserts`: what the C library's headers say (glibc or musl);
 * - `generateKernelAsserts`: what the kernel's uapi headers say (`<linux/*.h>`, `<asm/*.h>`).
 *   The two cannot share a file: `<linux/resource.h>` redefines glibc's `struct rusage`.
 *
 * Usage: `bun scripts/abi/gen-asserts.ts <table id> [--kernel]`, e.g. `linux-arm64-musl`,
 * `darwin-x64`, `freebsd-arm64`; writes the C source to stdout.
 */
import type { Abi } from "../../src/abi/types.ts";
import { RUSAGE_ALLOC, SIGINFO_ALLOC } from "../../src/abi/types.ts";
import { linuxAbi } from "../../src/abi/linux.ts";
import { darwinAbi } from "../../src/abi/darwin.ts";
import { freebsdAbi } from "../../src/abi/freebsd.ts";
import { RUSAGE_FIELDS, rusageOffset } from "../../src/abi/rusage.ts";

/** Every table the project ships, by id. */
export const ABI_IDS = [
  "linux-x64-glibc",
  "linux-x64-musl",
  "linux-arm64-glibc",
  "linux-arm64-musl",
  "darwin-x64",
  "darwin-arm64",
  "freebsd-x64",
  "freebsd-arm64",
] as const;
export type AbiId = (typeof ABI_IDS)[number];

/** The table for `id`, built by the same functions `src/abi/select.ts` uses. */
export function abiById(id: AbiId): Abi {
  const [os, arch, libc] = id.split("-") as [string, "x64" | "arm64", string | undefined];
  if (os === "linux") return linuxAbi(arch, libc === "musl" ? "musl" : "glibc");
  if (os === "darwin") return darwinAbi(arch);
  return freebsdAbi(arch);
}

/** Byte offset of each `struct rusage` field as `src/sys/rusage.ts` reads it (src/abi/rusage.ts). */
export function rusageOffsets(): [field: string, offset: number][] {
  return RUSAGE_FIELDS.map((field, i) => [field, rusageOffset(i)]);
}

const SIGNAL_NAMES = ["SIGCHLD", "SIGSTOP", "SIGCONT", "SIGKILL"] as const;

/** The highest signal number as each C library spells it (NSIG "counts 0"). */
const MAX_SIGNAL_EXPR: Record<Abi["os"], string> = { linux: "NSIG - 1", darwin: "NSIG - 1", freebsd: "_SIG_MAXSIG" };

/** The headers each platform's libc-level file includes. */
function prelude(abi: Abi): string {
  if (abi.os === "darwin") return '#include "layout_darwin.h"\n';
  if (abi.os === "freebsd") return '#include "layout_freebsd.h"\n';
  return [
    "#define _GNU_SOURCE 1 /* P_PIDFD, RUSAGE_THREAD */",
    "#include <stddef.h>",
    "#include <sys/types.h>",
    "#include <sys/time.h>",
    "#include <sys/resource.h>",
    "#include <sys/wait.h>",
    "#include <signal.h>",
    "#include <spawn.h>",
    "#include <fcntl.h>",
    "#include <sys/syscall.h>",
    "#include <sys/prctl.h>",
    "#include <sys/epoll.h>",
    "#include <poll.h>",
    "#include <errno.h>",
    "#if defined(__has_include)",
    "#if __has_include(<sys/pidfd.h>) /* glibc >= 2.36; musl has none */",
    "#include <sys/pidfd.h>",
    "#endif",
    "#endif",
    "",
  ].join("\n");
}

/** The checks of `exitWatch`; for the kernel unit, the epoll layout as the uapi header has it. */
function exitWatchAsserts(e: Emitter, w: Abi["exitWatch"], unit: "libc" | "kernel"): void {
  if (w.kind === "epoll") {
    for (const name of ["EPOLL_CLOEXEC", "EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLLIN", "EPOLLONESHOT"] as const) e.equal(name, w[name], `exitWatch.${name}`);
    e.equal("sizeof(struct epoll_event)", w.eventSize, "exitWatch.eventSize");
    e.equal("offsetof(struct epoll_event, data)", w.eventDataOffset, "exitWatch.eventDataOffset");
    return;
  }
  if (unit === "kernel") return;
  for (const name of ["EVFILT_PROC", "EV_ADD", "EV_DELETE", "EV_ONESHOT", "EV_ERROR"] as const) e.equal(name, w[name], `exitWatch.${name}`);
  e.equal("(unsigned)NOTE_EXIT", w.NOTE_EXIT, "exitWatch.NOTE_EXIT");
  e.equal("sizeof(struct kevent)", w.keventSize, "exitWatch.keventSize");
  const fields = [["ident", "identOffset"], ["filter", "filterOffset"], ["flags", "flagsOffset"], ["fflags", "fflagsOffset"], ["data", "dataOffset"]] as const;
  for (const [field, key] of fields) e.equal(`offsetof(struct kevent, ${field})`, w[key], `exitWatch.${key}`);
}

/** Builds the lines of one file; every check carries the table id in its message. */
class Emitter {
  readonly lines: string[] = [];
  constructor(private readonly id: string) {}

  /** `_Static_assert((expr) == (value))`, saying where the expected value came from. */
  equal(expr: string, value: number, source: string): void {
    const message = `${this.id}: ${expr} == ${value} (${source})`;
    this.lines.push(`_Static_assert((${expr}) == (${value}), ${JSON.stringify(message)});`);
  }

  /** `_Static_assert(cond)` for an assumption written in the code rather than a table. */
  holds(cond: string, source: string): void {
    const message = `${this.id}: ${cond} (${source})`;
    this.lines.push(`_Static_assert(${cond}, ${JSON.stringify(message)});`);
  }

  /** A named constant: equal to the table's value, or not a macro when the table says absent. */
  constant(name: string, value: number | undefined, source: string): void {
    if (value === undefined) {
      this.lines.push(
        `#ifdef ${name}`,
        `#error ${JSON.stringify(`${this.id}: the headers define ${name} but ${source} says the platform lacks it`)}`,
        "#endif",
      );
    } else {
      this.equal(name, value, source);
    }
  }

  /** A constant the table has, checked only where these headers define it as a macro. */
  ifDefined(name: string, value: number, source: string): void {
    this.lines.push(`#ifdef ${name}`);
    this.equal(name, value, source);
    this.lines.push("#endif");
  }

  comment(text: string): void {
    this.lines.push("", `/* ${text} */`);
  }
}

function header(abi: Abi, what: string): string {
  return (
    `/* Generated by scripts/abi/gen-asserts.ts from the TypeScript table ${abi.id} (src/abi/${abi.os}.ts):\n` +
    ` * ${what}\n * Do not edit; compile with -fsyntax-only. A failed assertion names the table value that is wrong. */\n`
  );
}

/**
 * The libc-level checks for one table: struct layouts, type widths and every constant, as
 * seen through `<sys/wait.h>`, `<sys/resource.h>`, `<signal.h>`, `<spawn.h>`,
 * `<sys/syscall.h>` and `<fcntl.h>` (or the transcription header for macOS and FreeBSD).
 */
export function generateAsserts(abi: Abi): string {
  const e = new Emitter(abi.id);
  const L = abi.layouts;
  const C = abi.constants;

  e.comment("Data model the FFI code assumes (src/ffi/memory.ts packStrings, src/sys/rusage.ts, src/sys/waitid.ts)");
  e.equal("sizeof(void *)", 8, "8-byte pointers in packStrings");
  e.equal("sizeof(long)", 8, "LP64: 8-byte longs in struct rusage");
  e.equal("sizeof(int)", 4, "i32 arguments and Int32Array views");
  e.holds("__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__", "64-bit fields read as low then high 32-bit halves");
  e.equal("sizeof(pid_t)", 4, "pid_t passed as i32, read from Int32Array");
  e.equal("sizeof(short)", 2, "posix_spawnattr_setflags takes i16");
  e.holds("sizeof(mode_t) <= 4", "posix_spawn_file_actions_addopen mode passed as u32");
  e.equal("sizeof(id_t) * 8", abi.idBits, "idBits");

  e.comment("struct timeval and struct rusage (src/sys/rusage.ts rusageReader)");
  e.equal("sizeof(struct rusage)", L.rusageSize, "layouts.rusageSize");
  e.holds(`sizeof(struct rusage) <= ${RUSAGE_ALLOC}`, "RUSAGE_ALLOC, the bytes every rusage buffer gets");
  e.equal("sizeof(struct timeval)", 16, "two timevals 16 bytes apart");
  e.equal("offsetof(struct timeval, tv_sec)", 0, "tv_sec read at +0");
  e.equal("sizeof(((struct timeval *)0)->tv_sec)", 8, "tv_sec read as 64 bits");
  e.equal("offsetof(struct timeval, tv_usec)", 8, "tv_usec read at +8");
  e.equal("sizeof(((struct timeval *)0)->tv_usec)", L.timevalUsecBytes, "layouts.timevalUsecBytes");
  for (const [field, offset] of rusageOffsets()) {
    e.equal(`offsetof(struct rusage, ${field})`, offset, "offset src/sys/rusage.ts reads");
    if (offset >= 32) e.equal(`sizeof(((struct rusage *)0)->${field})`, 8, "a long, read as 64 bits");
  }

  e.comment("siginfo_t (src/sys/waitid.ts)");
  e.equal("sizeof(siginfo_t)", L.siginfoSize, "layouts.siginfoSize");
  e.holds(`sizeof(siginfo_t) <= ${SIGINFO_ALLOC}`, "SIGINFO_ALLOC, the bytes every siginfo buffer gets");
  for (const field of ["si_signo", "si_errno", "si_code", "si_pid", "si_uid", "si_status"] as const) {
    e.equal(`offsetof(siginfo_t, ${field})`, L[field], `layouts.${field}`);
    e.equal(`sizeof(((siginfo_t *)0)->${field})`, 4, "read as one 32-bit word");
  }

  e.comment("Opaque objects allocated for posix_spawn (src/sys/spawn.ts)");
  e.equal("sizeof(sigset_t)", L.sigsetSize, "layouts.sigsetSize");
  e.equal("sizeof(posix_spawnattr_t)", L.spawnattrSize, "layouts.spawnattrSize");
  e.equal("sizeof(posix_spawn_file_actions_t)", L.spawnFileActionsSize, "layouts.spawnFileActionsSize");

  e.comment("struct sigaction (src/sys/sigchld.ts reads and resets SIGCHLD's handler)");
  e.equal("sizeof(struct sigaction)", L.sigactionSize, "layouts.sigactionSize");
  e.holds("offsetof(struct sigaction, sa_handler) == 0", "the handler is read at +0");
  e.holds("(long)SIG_DFL == 0 && (long)SIG_IGN == 1", "SIG_DFL and SIG_IGN as src/sys/sigchld.ts compares them");

  e.comment("The exit watch of src/async/ (epoll over pidfds, or kqueue EVFILT_PROC)");
  exitWatchAsserts(e, abi.exitWatch, "libc");

  e.comment("Wait options, id types, si_code values, rusage targets");
  for (const name of Object.keys(C) as (keyof typeof C)[]) {
    if (name === "PIDFD_NONBLOCK") continue; // below: not in every libc's headers
    e.constant(name, C[name], `constants.${name}`);
  }
  if (C.PIDFD_NONBLOCK === undefined) {
    e.constant("PIDFD_NONBLOCK", undefined, "constants.PIDFD_NONBLOCK");
  } else {
    // include/uapi/linux/pidfd.h: #define PIDFD_NONBLOCK O_NONBLOCK
    e.equal("O_NONBLOCK", C.PIDFD_NONBLOCK, "constants.PIDFD_NONBLOCK is O_NONBLOCK");
    e.ifDefined("PIDFD_NONBLOCK", C.PIDFD_NONBLOCK, "constants.PIDFD_NONBLOCK");
  }

  e.comment("posix_spawnattr_setflags bits");
  for (const name of Object.keys(abi.spawnFlags) as (keyof Abi["spawnFlags"])[]) {
    e.constant(name, abi.spawnFlags[name], `spawnFlags.${name}`);
  }

  e.comment("Signals");
  for (const name of SIGNAL_NAMES) e.equal(name, abi.signals[name], `signals.${name}`);
  e.equal(MAX_SIGNAL_EXPR[abi.os], abi.signals.maxSignal, "signals.maxSignal");

  e.comment("errno values, open/pipe2 flags, prctl options");
  for (const name of ["EINTR", "ECHILD", "EINVAL"] as const) e.equal(name, abi.errnos[name], `errnos.${name}`);
  e.equal("O_CLOEXEC", abi.fileFlags.O_CLOEXEC, "fileFlags.O_CLOEXEC");
  if (abi.linuxFd !== undefined) {
    for (const name of ["F_DUPFD_CLOEXEC", "POLLIN"] as const) e.equal(name, abi.linuxFd[name], `linuxFd.${name}`);
  }
  for (const name of ["PR_SET_CHILD_SUBREAPER", "PR_GET_CHILD_SUBREAPER"] as const) {
    e.constant(name, abi.prctl?.[name], `prctl.${name}`);
  }

  e.comment("syscall(2) numbers");
  for (const name of ["pidfd_open", "waitid", "prctl"] as const) {
    if (abi.syscalls === undefined) e.constant(`SYS_${name}`, undefined, "syscalls");
    else e.equal(`SYS_${name}`, abi.syscalls[name], `syscalls.${name}`);
  }

  return header(abi, "libc-level layouts and constants.") + prelude(abi) + e.lines.join("\n") + "\n";
}

/**
 * The kernel-level checks for a Linux table, against the uapi headers alone: the wait
 * options, id types, si_code values, rusage targets, signal numbers and syscall numbers,
 * and the kernel's own `struct rusage` / `siginfo_t` offsets (what the kernel writes).
 */
export function generateKernelAsserts(abi: Abi): string {
  if (abi.os !== "linux" || abi.syscalls === undefined) {
    throw new Error(`generateKernelAsserts: ${abi.id} is not a Linux table`);
  }
  const e = new Emitter(`${abi.id} (kernel uapi)`);
  const C = abi.constants;
  const kernelNames = [
    "WNOHANG", "WUNTRACED", "WSTOPPED", "WEXITED", "WCONTINUED", "WNOWAIT",
    "P_ALL", "P_PID", "P_PGID", "P_PIDFD",
    "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED",
    "RUSAGE_SELF", "RUSAGE_CHILDREN", "RUSAGE_THREAD", "PIDFD_NONBLOCK",
  ] as const satisfies readonly (keyof typeof C)[];

  e.comment("include/uapi/linux/wait.h, resource.h, pidfd.h; asm-generic/siginfo.h");
  for (const name of kernelNames) e.constant(name, C[name], `constants.${name}`);
  // maxSignal is the libc file's: x86's uapi <asm/signal.h> keeps _NSIG to the kernel.
  e.comment("asm/signal.h");
  for (const name of SIGNAL_NAMES) e.equal(name, abi.signals[name], `signals.${name}`);
  e.comment("asm/unistd.h");
  for (const name of ["pidfd_open", "waitid", "prctl"] as const) {
    e.equal(`__NR_${name}`, abi.syscalls[name], `syscalls.${name}`);
  }
  e.comment("linux/eventpoll.h");
  exitWatchAsserts(e, abi.exitWatch, "kernel");
  e.comment("asm-generic/errno-base.h, asm/fcntl.h, linux/prctl.h");
  for (const name of ["EINTR", "ECHILD", "EINVAL"] as const) e.equal(name, abi.errnos[name], `errnos.${name}`);
  e.equal("O_CLOEXEC", abi.fileFlags.O_CLOEXEC, "fileFlags.O_CLOEXEC");
  if (abi.linuxFd !== undefined) {
    for (const name of ["F_DUPFD_CLOEXEC", "POLLIN"] as const) e.equal(name, abi.linuxFd[name], `linuxFd.${name}`);
  }
  for (const name of ["PR_SET_CHILD_SUBREAPER", "PR_GET_CHILD_SUBREAPER"] as const) {
    e.constant(name, abi.prctl?.[name], `prctl.${name}`);
  }

  e.comment("The layout the kernel writes: its struct rusage and siginfo_t");
  for (const [field, offset] of rusageOffsets()) {
    e.equal(`offsetof(struct rusage, ${field})`, offset, "offset src/sys/rusage.ts reads");
  }
  e.holds(`sizeof(struct rusage) <= ${abi.layouts.rusageSize}`, "layouts.rusageSize covers what the kernel writes");
  e.equal("sizeof(siginfo_t)", abi.layouts.siginfoSize, "layouts.siginfoSize");
  for (const field of ["si_signo", "si_errno", "si_code", "si_pid", "si_uid", "si_status"] as const) {
    e.equal(`offsetof(siginfo_t, ${field})`, abi.layouts[field], `layouts.${field}`);
  }

  const includes = [
    "#include <stddef.h>",
    "#include <linux/wait.h>",
    "#include <linux/resource.h>",
    "#include <linux/pidfd.h>",
    "#include <linux/signal.h>",
    "#include <asm/unistd.h>",
    "#include <linux/errno.h>",
    "#include <linux/fcntl.h>",
    "#include <linux/prctl.h>",
    "#include <linux/eventpoll.h>",
    "#include <linux/poll.h>",
    "",
  ].join("\n");
  return header(abi, "kernel uapi constants and layouts.") + includes + e.lines.join("\n") + "\n";
}

if (import.meta.main) {
  const [id, flag] = process.argv.slice(2);
  if (!ABI_IDS.includes(id as AbiId) || (flag !== undefined && flag !== "--kernel")) {
    console.error(`usage: bun scripts/abi/gen-asserts.ts <${ABI_IDS.join("|")}> [--kernel]`);
    process.exit(2);
  }
  const abi = abiById(id as AbiId);
  process.stdout.write(flag === "--kernel" ? generateKernelAsserts(abi) : generateAsserts(abi));
}
