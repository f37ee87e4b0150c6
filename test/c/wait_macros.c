/*
 * Evaluates the <sys/wait.h> status macros on a list of status words.
 *
 *   wait_macros IN OUT
 *
 * IN is a file of native-endian int32 status words. For each word, OUT receives eight
 * native-endian int32 values, in this order:
 *   WIFEXITED WEXITSTATUS WIFSIGNALED WTERMSIG WCOREDUMP WIFSTOPPED WSTOPSIG WIFCONTINUED
 * Predicates are normalised to 0/1 (C only promises zero/non-zero); the value macros are
 * stored as the macro computes them, whatever the word.
 *
 * Built against the C library's own header (gcc: glibc, musl-gcc: musl), or with
 * `-include wait_macros_darwin.h` / `-include wait_macros_freebsd.h`, which pull in the
 * system header first and then replace its macros with another platform's.
 */
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>

#ifndef WCOREDUMP
#error "this <sys/wait.h> has no WCOREDUMP"
#endif

int main(int argc, char **argv) {
  if (argc != 3) {
    fputs("usage: wait_macros IN OUT\n", stderr);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  FILE *out = fopen(argv[2], "wb");
  if (in == NULL || out == NULL) {
    perror("fopen");
    return 2;
  }
  int32_t word;
  long count = 0;
  while (fread(&word, sizeof word, 1, in) == 1) {
    /* An int lvalue: XNU's _W_INT(w) is *(int *)&(w). */
    int x = word;
    int32_t row[8] = {
        !!WIFEXITED(x),  WEXITSTATUS(x), !!WIFSIGNALED(x), WTERMSIG(x),
        !!WCOREDUMP(x),  !!WIFSTOPPED(x), WSTOPSIG(x),     !!WIFCONTINUED(x),
    };
    if (fwrite(row, sizeof row, 1, out) != 1) {
      perror("fwrite");
      return 2;
    }
    count++;
  }
  if (ferror(in) || fclose(out) != 0) {
    perror("io");
    return 2;
  }
  fclose(in);
  fprintf(stderr, "%ld words\n", count);
  return 0;
}
