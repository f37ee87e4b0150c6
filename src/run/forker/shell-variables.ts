/**
 * Variables a POSIX shell may treat as its own: set, export, refuse, compute or tie to
 * another. The forker's probe (probe.ts) gives each of these a value and sees which the shell
 * passes on exactly; a command whose environment holds one it does not is started through
 * `env -i` instead. Any other name is an ordinary variable to every shell listed.
 *
 * Sources: dash(1) "Variables"; bash(1) "Shell Variables"; mksh(1) "Parameters"; zshparam(1)
 * "Parameters Set By The Shell" and "Parameters Used By The Shell"; yash's manual "Parameters
 * and variables"; busybox ash (shell/ash.c varinit[]).
 */
export const SHELL_VARIABLES: readonly string[] = [
  // POSIX (XCU 2.5.3) and dash
  "ENV", "HOME", "IFS", "LANG", "LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_MESSAGES", "LINENO", "MAIL",
  "MAILCHECK", "MAILPATH", "NLSPATH", "OLDPWD", "OPTARG", "OPTIND", "PATH", "PPID", "PS1", "PS2", "PS4",
  "PWD", "HISTSIZE", "TERM", "CDPATH", "FCEDIT", "HISTFILE",
  // bash
  "BASH", "BASHOPTS", "BASHPID", "BASH_ENV", "BASH_VERSION", "BASH_XTRACEFD", "EPOCHREALTIME", "EPOCHSECONDS",
  "EUID", "FIGNORE", "GLOBIGNORE", "GROUPS", "HISTCMD", "HISTCONTROL", "HISTIGNORE", "HOSTNAME", "INPUTRC",
  "POSIXLY_CORRECT", "PROMPT_COMMAND", "PS0", "PS3", "RANDOM", "SECONDS", "SHELLOPTS", "SHLVL", "SRANDOM",
  "TIMEFORMAT", "TMOUT", "TMPDIR", "UID", "_", "COLUMNS", "LINES", "REPLY", "COMP_WORDS", "FUNCNAME",
  // mksh
  "KSH_VERSION", "PATHSEP", "PGRP", "USER_ID", "VISUAL", "EDITOR", "KSHEGID", "KSHGID", "KSHUID",
  // zsh (upper-case ones; its lower-case arrays are below)
  "ARGC", "HISTCHARS", "KEYTIMEOUT", "LISTMAX", "LOGNAME", "NULLCMD", "READNULLCMD", "SHELL", "STTY",
  "TERMINFO", "TTY", "USERNAME", "WATCH", "ZDOTDIR", "ZSH_NAME", "ZSH_VERSION", "FPATH", "MANPATH",
  "path", "cdpath", "fpath", "manpath", "mailpath", "module_path", "psvar", "argv", "status",
  "pipestatus", "signals", "watch",
  // yash
  "YASH_VERSION", "YASH_AFTER_CD", "YASH_LOADPATH", "COMMAND_NOT_FOUND_HANDLER", "ECHO_STYLE",
  "HISTRMDUP", "POST_PROMPT_COMMAND", "PROMPT_SP", "PS1R", "PS1S", "PS2R", "PS2S",
  // busybox ash
  "HISTFILESIZE", "BB_ASH_VERSION"
];

/** The variables shells export on their own, unset before the user's are exported. */
export const SELF_EXPORTED: readonly string[] = ["PWD", "OLDPWD", "SHLVL", "_", "PATH", "HOME", "LOGNAME", "LC_CTYPE"];

/** A name every POSIX shell can hold as a variable (XBD 3.235 "Name"). */
export const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
