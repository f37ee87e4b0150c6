/*
 * C reference loops for scripts/bench.ts. Built by the bench with the system compiler
 * (gcc -O2) into a temporary directory; never committed as a binary.
 *
 * usage: ref <case> <warmup> <iterations> <batches>
 * Runs <warmup> iterations untimed, then <batches> timed batches of <iterations>, and
 * prints one JSON line: {"ns":[wall-clock ns per operation of each batch],"cpu":[the calling
 * thread's CPU time (user + system) per operation of each batch],"sink":N}.
 * The loops mirror the Bun and CPython workers operation for operation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile long sink;
static volatile int statuses[256];
static pid_t live_child;

static long long now_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

/* A child that stays alive (and unreaped) for the whole run. */
static void start_live_child(void) {
  char *argv[] = {"sleep", "600", NULL};
  int err = posix_spawnp(&live_child, "sleep", NULL, NULL, argv, environ);
  if (err != 0) {
    errno = err;
    die("posix_spawnp sleep");
  }
}

static void stop_live_child(void) {
  int status;
  kill(live_child, SIGKILL);
  if (waitpid(live_child, &status, 0) != live_child) die("waitpid live child");
}

/* wait4(pid, WNOHANG) on a live child, status decoded with WIFEXITED. */
static void case_wait4(long n) {
  int status = 0;
  struct rusage ru;
  for (long i = 0; i < n; i++) {
    if (wait4(live_child, &status, WNOHANG, &ru) != 0) die("wait4");
    if (WIFEXITED(status)) sink++;
  }
}

static void case_getrusage(long n) {
  struct rusage ru;
  for (long i = 0; i < n; i++) {
    if (getrusage(RUSAGE_SELF, &ru) != 0) die("getrusage");
    sink += ru.ru_minflt;
  }
}

static void case_exitcode(long n) {
  /* What CPython's os.waitstatus_to_exitcode does for these (all valid) words. */
  for (long i = 0; i < n; i++) {
    int s = statuses[i & 255];
    sink += WIFEXITED(s) ? WEXITSTATUS(s) : -WTERMSIG(s);
  }
}

static void case_wmacros(long n) {
  for (long i = 0; i < n; i++) {
    int s = statuses[i & 255];
    sink += WIFEXITED(s) + WEXITSTATUS(s) + WIFSIGNALED(s) + WTERMSIG(s) + WCOREDUMP(s) + WIFSTOPPED(s) +
            WSTOPSIG(s) + WIFCONTINUED(s);
  }
}

/* waitpid(-1, 0) in a process with no children: ECHILD. */
static void case_echild(long n) {
  int status;
  for (long i = 0; i < n; i++) {
    if (waitpid(-1, &status, 0) != -1 || errno != ECHILD) die("waitpid -1 did not fail with ECHILD");
    sink++;
  }
}

static void case_spawn(long n) {
  char *argv[] = {"true", NULL};
  struct rusage ru;
  for (long i = 0; i < n; i++) {
    pid_t pid;
    int status;
    int err = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
    if (err != 0) {
      errno = err;
      die("posix_spawn /bin/true");
    }
    if (wait4(pid, &status, 0, &ru) != pid) die("wait4 /bin/true");
    sink += WEXITSTATUS(status);
  }
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s <case> <warmup> <iterations> <batches>\n", argv[0]);
    return 2;
  }
  const char *name = argv[1];
  long warmup = atol(argv[2]), iterations = atol(argv[3]), batches = atol(argv[4]);
  /* Same status words as the workers: exits 0..127 and terminating signals 1..31 (+core). */
  for (int i = 0; i < 256; i++) statuses[i] = (i & 1) ? ((i >> 1) << 8) : (1 + (i >> 1) % 31) | ((i & 2) << 6);

  void (*run)(long);
  int ops = 1;
  if (strcmp(name, "wait4") == 0) run = case_wait4;
  else if (strcmp(name, "getrusage") == 0) run = case_getrusage;
  else if (strcmp(name, "exitcode") == 0) run = case_exitcode;
  else if (strcmp(name, "wmacros") == 0) run = case_wmacros, ops = 8;
  else if (strcmp(name, "echild") == 0) run = case_echild;
  else if (strcmp(name, "posix_spawn") == 0) run = case_spawn;
  else {
    fprintf(stderr, "unknown case %s\n", name);
    return 2;
  }
  if (run == case_wait4) start_live_child();
  run(warmup);
  double wall[batches > 0 ? batches : 1], cpu[batches > 0 ? batches : 1];
  for (long b = 0; b < batches; b++) {
    long long w0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
    run(iterations);
    long long c1 = now_ns(CLOCK_THREAD_CPUTIME_ID), w1 = now_ns(CLOCK_MONOTONIC);
    wall[b] = (double)(w1 - w0) / ((double)iterations * ops);
    cpu[b] = (double)(c1 - c0) / ((double)iterations * ops);
  }
  printf("{\"ns\":[");
  for (long b = 0; b < batches; b++) printf("%s%.3f", b ? "," : "", wall[b]);
  printf("],\"cpu\":[");
  for (long b = 0; b < batches; b++) printf("%s%.3f", b ? "," : "", cpu[b]);
  printf("],\"sink\":%ld}\n", (long)sink);
  if (run == case_wait4) stop_live_child();
  return 0;
}
