/*
 * macOS status macros, transcribed for comparison on Linux. Use with
 *   gcc -include test/c/wait_macros_darwin.h test/c/wait_macros.c
 *
 * Source: repository apple-oss-distributions/xnu, file bsd/sys/wait.h
 * (commit e3723e1f17661b24996789d8afc084c0c3303b26), the branch a normal macOS build
 * takes: _POSIX_C_SOURCE not defined (or _DARWIN_C_SOURCE defined), __DARWIN_UNIX03 = 1.
 * Each macro below is copied unchanged; the comment after it gives its origin.
 *
 * The host's own <sys/wait.h> is included first so its include guard keeps it (and the
 * copies glibc's <stdlib.h> would make) from redefining these names later.
 */
#ifndef WAIT_MACROS_DARWIN_H
#define WAIT_MACROS_DARWIN_H

#include <sys/wait.h>

#undef _W_INT
#undef WCOREFLAG
#undef _WSTATUS
#undef _WSTOPPED
#undef WEXITSTATUS
#undef WSTOPSIG
#undef WIFCONTINUED
#undef WIFSTOPPED
#undef WIFEXITED
#undef WIFSIGNALED
#undef WTERMSIG
#undef WCOREDUMP

#define _W_INT(w)       (*(int *)&(w))  /* xnu bsd/sys/wait.h: "convert union wait to int" (#else of _POSIX_C_SOURCE && !_DARWIN_C_SOURCE) */
#define WCOREFLAG       0200            /* xnu bsd/sys/wait.h (same #else branch) */

#define _WSTATUS(x)     (_W_INT(x) & 0177)  /* xnu bsd/sys/wait.h */
#define _WSTOPPED       0177                /* xnu bsd/sys/wait.h: "_WSTATUS if process is stopped" */

#define WEXITSTATUS(x)  ((_W_INT(x) >> 8) & 0x000000ff)  /* xnu bsd/sys/wait.h (#if __DARWIN_UNIX03 branch) */
/* 0x13 == SIGCONT */
#define WSTOPSIG(x)     (_W_INT(x) >> 8)                                        /* xnu bsd/sys/wait.h */
#define WIFCONTINUED(x) (_WSTATUS(x) == _WSTOPPED && WSTOPSIG(x) == 0x13)       /* xnu bsd/sys/wait.h */
#define WIFSTOPPED(x)   (_WSTATUS(x) == _WSTOPPED && WSTOPSIG(x) != 0x13)       /* xnu bsd/sys/wait.h */
#define WIFEXITED(x)    (_WSTATUS(x) == 0)                                      /* xnu bsd/sys/wait.h */
#define WIFSIGNALED(x)  (_WSTATUS(x) != _WSTOPPED && _WSTATUS(x) != 0)          /* xnu bsd/sys/wait.h */
#define WTERMSIG(x)     (_WSTATUS(x))                                           /* xnu bsd/sys/wait.h */
#define WCOREDUMP(x)    (_W_INT(x) & WCOREFLAG)  /* xnu bsd/sys/wait.h (#if !_POSIX_C_SOURCE || _DARWIN_C_SOURCE) */

#endif
