/*
 * The child of the async case (scripts/bench/async.ts), built static (gcc -O2 -static) so
 * its exec is tiny and costs every contender the same.
 *
 * usage: async-child <deadline_ns> <code> <index> <file>
 * Sleeps until the absolute CLOCK_MONOTONIC instant <deadline_ns>, writes the instant just
 * before _exit (clock_gettime(CLOCK_MONOTONIC), 8 bytes, native order) into slot <index> of
 * <file> (pwrite at index*8), then calls _exit(<code>).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 5) _exit(100);
  long long deadline = atoll(argv[1]);
  int code = atoi(argv[2]);
  long index = atol(argv[3]);
  int fd = open(argv[4], O_WRONLY | O_CLOEXEC);
  struct timespec t = {deadline / 1000000000LL, deadline % 1000000000LL};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) != 0) {
  }
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long ns = now.tv_sec * 1000000000LL + now.tv_nsec;
  if (fd < 0 || pwrite(fd, &ns, 8, index * 8) != 8) _exit(101);
  _exit(code);
}
