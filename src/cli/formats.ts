/**
 * GNU time's three built-in formats (spec §2, "spec" being the GNU time behavioural
 * specification, docs/GNU-TIME.md). None ends in a newline: the interpreter always adds one.
 * @module
 */

/**
 * The built-in default format (spec §2.1; the same text in every GNU version). Like every
 * built-in format it has no final newline: the interpreter always adds one.
 */
export const DEFAULT_FORMAT =
  "%Uuser %Ssystem %Eelapsed %PCPU (%Xavgtext+%Davgdata %Mmaxresident)k\n" +
  "%Iinputs+%Ooutputs (%Fmajor+%Rminor)pagefaults %Wswaps";

/** The POSIX format chosen by `-p` (spec §2.2): one space, no tab. */
export const PORTABLE_FORMAT = "real %e\nuser %U\nsys %S";

/** The 23-line format chosen by `-v` (spec §2.3), each line starting with one TAB. */
export const VERBOSE_FORMAT = [
  'Command being timed: "%C"',
  "User time (seconds): %U",
  "System time (seconds): %S",
  "Percent of CPU this job got: %P",
  "Elapsed (wall clock) time (h:mm:ss or m:ss): %E",
  "Average shared text size (kbytes): %X",
  "Average unshared data size (kbytes): %D",
  "Average stack size (kbytes): %p",
  "Average total size (kbytes): %K",
  "Maximum resident set size (kbytes): %M",
  "Average resident set size (kbytes): %t",
  "Major (requiring I/O) page faults: %F",
  "Minor (reclaiming a frame) page faults: %R",
  "Voluntary context switches: %w",
  "Involuntary context switches: %c",
  "Swaps: %W",
  "File system inputs: %I",
  "File system outputs: %O",
  "Socket messages sent: %s",
  "Socket messages received: %r",
  "Signals delivered: %k",
  "Page size (bytes): %Z",
  "Exit status: %x",
]
  .map((line) => `\t${line}`)
  .join("\n");
