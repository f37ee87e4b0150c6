/**
 * The shell code of the hand-off (docs/DESIGN.md §6). Everything user-given reaches a shell
 * only in a request script, single-quoted (request-script.ts); these scripts see numbers only.
 *
 * Descriptors, in every shell process: 0-2 /dev/null; 3 the forker's request pipe (read);
 * 4 the report pipe (write); 5, 6, 7 the command's "inherit" stdin, stdout and stderr (this
 * process's 0-2 for the forker, the asked-for ones for a one-shot shell); 8 a one-shot spare's
 * request pipe. All below 10, as dash reads one digit as a descriptor in a redirection.
 */

/**
 * `p`: sets `v` to this shell process's own pid (in a subshell `$$` is the parent's), as cheaply
 * as the shell allows. bash and mksh keep it in `BASHPID`. Otherwise it is read from /proc, and
 * most shells' `read` takes a file one byte per system call: from /proc/self/status up to its
 * `Pid:` line (~70 bytes) rather than the ~300 of /proc/self/stat's one line (dash 65 µs
 * against 180, busybox, mksh and zsh alike); yash reads in blocks, and its loop is the slower.
 * Not a glob of /proc/self/task/: that grows dash's heap by ~80 KiB, the floor of every
 * command's peak (docs/DESIGN.md §6.1).
 */
const OWN_PID = `if [ -n "\${BASHPID-}" ]; then
  p() { v=$BASHPID; }
elif [ -n "\${YASH_VERSION-}" ]; then
  p() { read v r </proc/self/stat; }
else
  p() { while read k v; do case $k in Pid:) return;; esac; done </proc/self/status; }
fi`;

/**
 * `s IN OUT ERR CTL INDEX`: one spare, run as a pipeline element so that it is a forked,
 * foreground process of the intermediate shell `i` (every signal at its default; an
 * asynchronous `&` list would get SIGINT and SIGQUIT ignored for good). It opens this
 * process's descriptors IN, OUT, ERR (its pre-made stdio pipes) and CTL (its request pipe)
 * through /proc ("-": keep what it has), reports "G i g INDEX" — or "E i g INDEX" if an open
 * failed — and then runs the request script this process writes into CTL, which ends in the
 * command's `exec`. Its own pid comes from `p`.
 * Its signals stay at their default while it waits: a signal sent to the command's pid between
 * the request and the exec must act as it would on the command (a handler would swallow it).
 * So a ^C at the terminal ends waiting spares too; a dead spare is found and reaped when it is
 * next taken (and by closeHandoff).
 */
const SPARE = `s() {
  p; g=$v
  exec 3<&-
  f=
  case $1 in -) ;; *) command exec 0<"/proc/$P/fd/$1" || f=1;; esac
  case $2 in -) ;; *) command exec 1>"/proc/$P/fd/$2" || f=1;; esac
  case $3 in -) ;; *) command exec 2>"/proc/$P/fd/$3" || f=1;; esac
  case $4 in -) ;; *) command exec 8<"/proc/$P/fd/$4" || f=1;; esac
  if [ -n "$f" ]; then echo "E $i $g $5" >&4; exit 125; fi
  echo "G $i $g $5" >&4
  exec 4>&-
  . /dev/fd/8
  exit 125
}`;

/**
 * `t`: the last element of every batch. A pipeline of one command is not forked at all, and
 * zsh and yash run a pipeline's last element in the shell itself, so the spares come first and
 * `t` last. It reports "T i t" and ends; if it is still there when the intermediate is killed,
 * it is re-parented to us too, and reaped then.
 */
const TRAILER = `t() {
  p; g=$v
  echo "T $i $g" >&4
}`;

/**
 * The intermediate `i`: reads its pid, then runs the batch line (`s … | … | t`, numbers and
 * our function names only). `i` waits for its elements; this process kills it, so they are
 * re-parented to us. It reports "I i" first and "D i" if every element has ended (no spare
 * is left to adopt).
 */
const INTERMEDIATE = `p; i=$v
echo "I $i" >&4
eval "$line"
echo "D $i" >&4`;

/**
 * The forker: `sh -c FORKER sh PID`. One batch line per request on fd 3; each becomes an
 * intermediate subshell, in the foreground. It ends at end-of-file on fd 3: when this process
 * closes the pipe or dies.
 */
export const FORKER_SCRIPT = `trap : INT QUIT HUP TERM
P=$1
${OWN_PID}
${SPARE}
${TRAILER}
while IFS= read -r line <&3; do
  ( trap : INT QUIT HUP TERM
${INTERMEDIATE} )
done`;

/** A one-shot intermediate: `sh -c ONE_SHOT sh PID LINE`; this process kills it once its spare has reported. */
export const ONE_SHOT_SCRIPT = `P=$1
line=$2
${OWN_PID}
${SPARE}
${TRAILER}
${INTERMEDIATE}`;

/** The batch line for spares described by [in, out, err, ctl] descriptor numbers (or "-"). */
export function batchLine(spares: readonly (readonly (number | "-")[])[]): string {
  return `${spares.map((fds, index) => `s ${fds.join(" ")} ${index} | `).join("")}t`;
}
