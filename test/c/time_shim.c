/*
 * LD_PRELOAD library for test/cli/format.test.ts and args.test.ts: makes the real GNU time
 * (/usr/bin/time, release 1.9) report inputs the test chooses, so its own arithmetic and
 * formatting run on them.
 *
 * GNU time 1.9 reads the clock with gettimeofday() before the fork and after the wait, and
 * gets the wait status and the child's struct rusage from one wait3() call. Both are
 * replaced here:
 *
 *   gettimeofday  the first call returns START_US, every later call START_US plus
 *                 $TIME_SHIM_ELAPSED_US (a signed count of microseconds). Without that
 *                 variable the real clock is returned.
 *   wait3         waits for real (wait4), then overwrites what the variables below name:
 *                   TIME_SHIM_UTIME_US, TIME_SHIM_STIME_US   user / system CPU time, µs
 *                   TIME_SHIM_<FIELD> for the 14 long fields (MAXRSS, IXRSS, …, NIVCSW)
 *                   TIME_SHIM_STATUS                          the wait status (a C int)
 *
 * All values are decimal, read with strtoll. Built with -shared -fPIC.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

/* An arbitrary, large starting instant: 10^15 µs after the epoch. */
#define START_US 1000000000000000LL

static int env_value(const char *name, long long *value) {
  const char *text = getenv(name);
  if (text == NULL) return 0;
  *value = strtoll(text, NULL, 10);
  return 1;
}

/* A count of microseconds as a normalised timeval (0 <= tv_usec < 10^6). */
static void to_timeval(long long us, struct timeval *tv) {
  long long sec = us / 1000000, usec = us % 1000000;
  if (usec < 0) {
    usec += 1000000;
    sec -= 1;
  }
  tv->tv_sec = (time_t)sec;
  tv->tv_usec = (suseconds_t)usec;
}

static int clock_reads;

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  (void)tz;
  long long elapsed;
  if (!env_value("TIME_SHIM_ELAPSED_US", &elapsed)) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    tv->tv_sec = now.tv_sec;
    tv->tv_usec = now.tv_nsec / 1000;
    return 0;
  }
  to_timeval(START_US + (clock_reads++ == 0 ? 0 : elapsed), tv);
  return 0;
}

static const struct {
  const char *name;
  size_t offset;
} long_fields[] = {
    {"TIME_SHIM_MAXRSS", offsetof(struct rusage, ru_maxrss)},
    {"TIME_SHIM_IXRSS", offsetof(struct rusage, ru_ixrss)},
    {"TIME_SHIM_IDRSS", offsetof(struct rusage, ru_idrss)},
    {"TIME_SHIM_ISRSS", offsetof(struct rusage, ru_isrss)},
    {"TIME_SHIM_MINFLT", offsetof(struct rusage, ru_minflt)},
    {"TIME_SHIM_MAJFLT", offsetof(struct rusage, ru_majflt)},
    {"TIME_SHIM_NSWAP", offsetof(struct rusage, ru_nswap)},
    {"TIME_SHIM_INBLOCK", offsetof(struct rusage, ru_inblock)},
    {"TIME_SHIM_OUBLOCK", offsetof(struct rusage, ru_oublock)},
    {"TIME_SHIM_MSGSND", offsetof(struct rusage, ru_msgsnd)},
    {"TIME_SHIM_MSGRCV", offsetof(struct rusage, ru_msgrcv)},
    {"TIME_SHIM_NSIGNALS", offsetof(struct rusage, ru_nsignals)},
    {"TIME_SHIM_NVCSW", offsetof(struct rusage, ru_nvcsw)},
    {"TIME_SHIM_NIVCSW", offsetof(struct rusage, ru_nivcsw)},
};

pid_t wait3(int *status, int options, struct rusage *usage) {
  pid_t pid = wait4(-1, status, options, usage);
  if (pid <= 0) return pid;
  long long value;
  if (usage != NULL) {
    if (env_value("TIME_SHIM_UTIME_US", &value)) to_timeval(value, &usage->ru_utime);
    if (env_value("TIME_SHIM_STIME_US", &value)) to_timeval(value, &usage->ru_stime);
    for (size_t i = 0; i < sizeof long_fields / sizeof long_fields[0]; i++) {
      if (env_value(long_fields[i].name, &value)) *(long *)((char *)usage + long_fields[i].offset) = (long)value;
    }
  }
  if (status != NULL && env_value("TIME_SHIM_STATUS", &value)) *status = (int)value;
  return pid;
}
