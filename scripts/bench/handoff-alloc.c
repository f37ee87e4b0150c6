/*
 * The "60 MiB program" of the handoff case (scripts/bench/handoff.ts): allocates <MiB> MiB
 * with malloc, writes every byte (so every page is resident), and exits 0. Built by the bench
 * with the system compiler (gcc -O2) into its temporary directory, as ref.c is.
 *
 * usage: handoff-alloc <MiB>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: handoff-alloc <MiB>\n");
    return 2;
  }
  size_t mib = strtoul(argv[1], NULL, 10);
  size_t bytes = mib * 1024 * 1024;
  unsigned char *p = malloc(bytes);
  if (p == NULL) {
    perror("malloc");
    return 2;
  }
  memset(p, 0x5a, bytes);
  /* The writes must happen: the compiler may not drop a buffer it cannot see being used. */
  __asm__ volatile("" : : "r"(p) : "memory");
  free(p);
  return 0;
}
