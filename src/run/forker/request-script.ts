/**
 * The request script a spare runs with `.`, which ends in the command's exec. Every string
 * the user gave is single-quoted: inside '…' a shell takes every byte literally, newlines
 * included (a sourced script is parsed as a whole, not read line by line), and a ' is written
 * '\'' . Nothing user-given is ever expanded, split, globbed or evaluated.
 */

/** Where a spare gets one of its standard streams from. */
export type SpareStream =
  /** The pipe it opened as a spare (its own 0, 1 or 2 already). */
  | "keep"
  /** The shell's copy at 5, 6 or 7: this process's stream, or the one a one-shot shell was given. */
  | "copy"
  /** /dev/null. */
  | "null";

/** How the command's environment is set. */
export type EnvRoute =
  /** The shell exports exactly the given variables and execs the command (no other process). */
  | "direct"
  /** `env -i NAME=value… command`: exact for every name, at the cost of env's exec. */
  | "env";

/** What a spare is asked to run. */
export interface SpareRequest {
  argv: readonly string[];
  env: { names: readonly string[]; values: readonly string[] };
  /** An absolute directory, or undefined to stay in this process's. */
  cwd: string | undefined;
  stdio: readonly [SpareStream, SpareStream, SpareStream];
  route: EnvRoute;
  /** The variables the shell exports on its own (they are unset first, "direct" route). */
  shellExports: readonly string[];
  /**
   * "direct" route when the environment has no PATH and argv[0] has no slash: the directory
   * the program was found in, set unexported so the shell's lookup finds the same file.
   */
  lookupDirectory: string | undefined;
  /**
   * The file to exec, with argv[0] given by `exec -a` ("direct" route only): for a shell that
   * does not find a bare name by PATH (busybox built with its applets preferred runs its own
   * `ls` for `exec ls`), or an argv[0] that is not the program. Undefined: `exec argv…`.
   */
  execPath?: string;
  /** Where `env` is, for the "env" route. */
  envPath: string;
  /**
   * Probing only: export each variable on its own with `command export`, so that one the
   * shell refuses is reported by its absence rather than ending the script.
   */
  tolerantExports?: boolean;
}

/** `value` as one shell word that stands for exactly `value`. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

const REDIRECT = [
  { copy: "0<&5", null: "0</dev/null" },
  { copy: "1>&6", null: "1>/dev/null" },
  { copy: "2>&7", null: "2>/dev/null" },
] as const;

/** The script for `request`. */
export function requestScript(request: SpareRequest): string {
  const lines: string[] = [];
  const redirects = request.stdio.flatMap((stream, fd) => (stream === "keep" ? [] : [REDIRECT[fd]![stream]]));
  lines.push(`exec ${redirects.join(" ")} 5<&- 6>&- 7>&- 8<&-`);
  // Quiet: a shell that cannot name the directory it reached (removed) says so on the command's stderr.
  if (request.cwd !== undefined) lines.push(`cd -P ${quote(request.cwd)} 2>/dev/null || exit 127`);
  const { names, values } = request.env;
  const assignments = names.map((name, i) => quote(`${name}=${values[i]}`));
  if (request.route === "env") {
    lines.push(`exec ${quote(request.envPath)} -i -- ${[...assignments, ...request.argv.map(quote)].join(" ")}`);
    return `${lines.join("\n")}\n`;
  }
  if (request.shellExports.length > 0) lines.push(`command unset ${request.shellExports.map(quote).join(" ")} 2>/dev/null`);
  if (request.lookupDirectory !== undefined) lines.push(`PATH=${quote(request.lookupDirectory)}`);
  if (request.tolerantExports) {
    for (const assignment of assignments) lines.push(`command export ${assignment} 2>/dev/null`);
  } else if (assignments.length > 0) {
    lines.push(`export ${assignments.join(" ")}`);
  }
  const [argv0, ...args] = request.argv.map(quote);
  lines.push(request.execPath === undefined ? `exec ${argv0} ${args.join(" ")}` : `exec -a ${argv0} ${quote(request.execPath)} ${args.join(" ")}`);
  return `${lines.join("\n")}\n`;
}
