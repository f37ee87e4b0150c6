/**
 * `--help` and `--version` texts. The help is GNU time 1.10's (spec §8.2; "spec" is the GNU
 * time behavioural specification, docs/GNU-TIME.md), every line as GNU prints it,
 * followed by one section for bun-wait4's extensions. The version text has gnulib
 * `version_etc`'s shape (spec §9), with our own name, copyright and licence.
 * @module
 */
import { DEFAULT_FORMAT } from "./formats.ts";

/** GNU time 1.10's help after the `Usage:` line (spec §8.2), kept line for line. */
const GNU_HELP_BODY = `Run COMMAND, then print system resource usage.

  -a, --append              with -o FILE, append instead of overwriting
  -f, --format=FORMAT       use the specified FORMAT instead of the default
  -o, --output=FILE         write to FILE instead of STDERR
  -p, --portability         print POSIX standard 1003.2 conformant string:
                              real %e
                              user %U
                              sys %S
  -q, --quiet               do not print information about abnormal program
                            termination (non-zero exit codes or signals)
  -v, --verbose             print all resource usage information instead of
                            the default format
       --help               display this help and exit
  -V,  --version            output version information and exit

Commonly usaged format sequences for -f/--format:
(see documentation for full list)
  %%   a literal '%'
  %C   command line and arguments
  %c   involuntary context switches
  %E   elapsed real time (wall clock) in [hour:]min:sec
  %e   elapsed real time (wall clock) in seconds
  %F   major page faults
  %M   maximum resident set size in KB
  %P   percent of CPU this job got
  %R   minor page faults
  %S   system (kernel) time in seconds
  %U   user time in seconds
  %w   voluntary context switches
  %x   exit status of command
  %Tt  exit type (normal/signalled)
  %Tx  numeric exit code IF exited normally
  %Tn  numeric signal code IF signalled
  %Ts  signal name IF signalled
  %To  'ok' IF exited normally with code zero

Default output format:
${DEFAULT_FORMAT}

Your shell may have its own version of time, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.

bun-wait4 is a GNU time work-alike, not GNU time: report its bugs to
<https://github.com/bun-wait4/bun-wait4/issues>, not to the GNU project.
`;

/** bun-wait4's own options, after everything GNU prints. */
const EXTENSIONS_HELP = `
bun-wait4 extensions (long options only):
      --json                print the report as JSON instead of FORMAT
      --repeat=N            run COMMAND N times (N >= 1)
      --warmup=N            first run COMMAND N times untimed (N >= 0)
      --peak=MODE           how COMMAND is started, which decides what %M counts:
                              own    from a small process, so %M is COMMAND's own peak
                              plain  directly (%M then includes this tool's own peak)
                              auto   own where the system allows it (the default)
`;

/**
 * The `--help` text, written to stdout with exit status 0 (spec §8.2).
 *
 * @param argv0 the program name as invoked, unchanged (GNU prints argv[0] as given).
 */
export function helpText(argv0: string): string {
  return `Usage: ${argv0} [OPTIONS] COMMAND [ARG]...\n${GNU_HELP_BODY}${EXTENSIONS_HELP}`;
}

/**
 * The `--version` / `-V` text, written to stdout with exit status 0, in gnulib
 * `version_etc`'s shape (spec §9): the last word of line 1 is the version.
 *
 * @param version the package version, e.g. "0.1.0".
 */
export function versionText(version: string): string {
  return `time (bun-wait4) ${version}
Copyright (C) 2026 the bun-wait4 contributors
License MIT: <https://opensource.org/license/mit>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by the bun-wait4 contributors, after GNU time's interface.
`;
}
