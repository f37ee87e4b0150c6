/*
 * The C floor of the async case (scripts/bench/async.ts): the same children and phases as
 * scripts/bench/async-worker.ts, reaped by a blocking wait4(-1, &status, 0, &rusage).
 *
 * usage: async-ref <N> <gap_ns> <child> <file> <warm_passes>
 * Runs <warm_passes> untimed passes of 100 children, then the timed pass: posix_spawn N
 * children of <child> that exit at deadline + i * gap_ns with code i % 7, then wait4(-1)
 * until all N are reaped, timestamping each reap (CLOCK_MONOTONIC). Every exit code is
 * checked; at the end wait4(-1, WNOHANG) must fail with ECHILD (no child, no zombie left).
 * Prints one JSON line with the same fields as the Bun worker.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

struct usage {
  long long cpu;
  long nvcsw, nivcsw;
};

static struct usage self_usage(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  struct usage u = {(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000000LL + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1000LL,
                    r.ru_nvcsw, r.ru_nivcsw};
  return u;
}

static int cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

static const char *child, *file;
static char *envp[] = {NULL};

static void die(const char *what) {
  perror(what);
  exit(2);
}

static void pass(int n, long long gap, double *per_spawn, int print) {
  int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ftruncate(fd, n * 8) != 0) die("shm");
  close(fd);
  long long deadline = mono() + (long long)(n * *per_spawn * 1.6) + 40000000LL;
  pid_t *pids = calloc(n, sizeof(pid_t));
  long long *reaped_at = calloc(n, sizeof(long long));
  char a1[32], a2[16], a3[16];
  long long t0 = mono();
  for (int i = 0; i < n; i++) {
    snprintf(a1, sizeof a1, "%lld", deadline + i * gap);
    snprintf(a2, sizeof a2, "%d", i % 7);
    snprintf(a3, sizeof a3, "%d", i);
    char *argv[] = {(char *)child, a1, a2, a3, (char *)file, NULL};
    int rc = posix_spawn(&pids[i], child, NULL, NULL, argv, envp);
    if (rc != 0) {
      errno = rc;
      die("posix_spawn");
    }
  }
  long long t1 = mono();
  struct usage u1 = self_usage();
  int left = n, bad = 0;
  while (left > 0) {
    int status;
    struct rusage ru;
    pid_t p = wait4(-1, &status, 0, &ru);
    long long now = mono();
    if (p <= 0) die("wait4");
    int found = 0;
    for (int i = 0; i < n; i++)
      if (pids[i] == p) {
        reaped_at[i] = now;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != i % 7) bad++;
        found = 1;
        break;
      }
    if (!found) bad++;
    left--;
  }
  struct usage u3 = self_usage();
  int status;
  int leftover = !(wait4(-1, &status, WNOHANG, NULL) == -1 && errno == ECHILD);
  *per_spawn = (double)(t1 - t0) / n;
  if (print) {
    long long *exited_at = calloc(n, sizeof(long long)), *lat = calloc(n, sizeof(long long));
    fd = open(file, O_RDONLY);
    if (fd < 0 || read(fd, exited_at, n * 8) != n * 8) die("read");
    close(fd);
    int m = 0;
    for (int i = 0; i < n; i++)
      if (exited_at[i] != 0) lat[m++] = reaped_at[i] - exited_at[i];
      else bad++;
    if (m == 0) {
      fprintf(stderr, "no exit instant recorded\n");
      exit(2);
    }
    qsort(lat, m, sizeof(long long), cmp);
#define Q(f) lat[(int)((f) * m) < m ? (int)((f) * m) : m - 1]
    printf("{\"contender\":\"c\",\"n\":%d,\"gap\":%lld,\"k\":0,\"perSpawnNs\":%.0f,\"late\":%s,\"bad\":%d,\"leftover\":%d,"
           "\"p50\":%lld,\"p95\":%lld,\"p99\":%lld,\"max\":%lld,"
           "\"cpuRegister\":0,\"cpuWait\":%lld,\"cpuMain\":%lld,\"nvcswWait\":%ld,\"nivcswWait\":%ld,\"watch\":\"c\"}\n",
           n, gap, *per_spawn, t1 > deadline ? "true" : "false", bad, leftover, Q(0.5), Q(0.95), Q(0.99), lat[m - 1],
           u3.cpu - u1.cpu, u3.cpu - u1.cpu, u3.nvcsw - u1.nvcsw, u3.nivcsw - u1.nivcsw);
    free(exited_at);
    free(lat);
  }
  if (bad || leftover) {
    fprintf(stderr, "async-ref: %d bad exit codes, leftover children: %d\n", bad, leftover);
    exit(3);
  }
  free(pids);
  free(reaped_at);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: async-ref <N> <gap_ns> <child> <file> <warm_passes>\n");
    return 2;
  }
  int n = atoi(argv[1]);
  long long gap = atoll(argv[2]);
  child = argv[3];
  file = argv[4];
  int warm = atoi(argv[5]);
  double per_spawn = 300000;
  for (int w = 0; w < warm; w++) pass(100, 200000, &per_spawn, 0);
  pass(n, gap, &per_spawn, 1);
  unlink(file);
  return 0;
}
