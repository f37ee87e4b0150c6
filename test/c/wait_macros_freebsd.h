/*
 * FreeBSD status macros, transcribed for comparison on Linux. Use with
 *   gcc -include test/c/wait_macros_freebsd.h test/c/wait_macros.c
 *
 * Source: repository freebsd/freebsd-src, file sys/sys/wait.h
 * (commit d28066d8954abdb40fd85d92c65b3780b41b7dd8), with __BSD_VISIBLE (the default).
 * Each macro below is copied unchanged; the comment after it gives its origin.
 *
 * The host's own <sys/wait.h> is included first so its include guard keeps it (and the
 * copies glibc's <stdlib.h> would make) from redefining these names later.
 */
#ifndef WAIT_MACROS_FREEBSD_H
#define WAIT_MACROS_FREEBSD_H

#include <sys/wait.h>

#undef WCOREFLAG
#undef _W_INT
#undef _WSTATUS
#undef _WSTOPPED
#undef WIFSTOPPED
#undef WSTOPSIG
#undef WIFSIGNALED
#undef WTERMSIG
#undef WIFEXITED
#undef WEXITSTATUS
#undef WIFCONTINUED
#undef WCOREDUMP

#define	WCOREFLAG	0200  /* freebsd-src sys/sys/wait.h (#if __BSD_VISIBLE) */
#define	_W_INT(i)	(i)   /* freebsd-src sys/sys/wait.h */

#define	_WSTATUS(x)	(_W_INT(x) & 0177)  /* freebsd-src sys/sys/wait.h */
#define	_WSTOPPED	0177		/* _WSTATUS if process is stopped */  /* freebsd-src sys/sys/wait.h */
#define	WIFSTOPPED(x)	(_WSTATUS(x) == _WSTOPPED)  /* freebsd-src sys/sys/wait.h */
#define	WSTOPSIG(x)	(_W_INT(x) >> 8)  /* freebsd-src sys/sys/wait.h */
#define	WIFSIGNALED(x)	(_WSTATUS(x) != _WSTOPPED && _WSTATUS(x) != 0 && (x) != 0x13)  /* freebsd-src sys/sys/wait.h */
#define	WTERMSIG(x)	(_WSTATUS(x))  /* freebsd-src sys/sys/wait.h */
#define	WIFEXITED(x)	(_WSTATUS(x) == 0)  /* freebsd-src sys/sys/wait.h */
#define	WEXITSTATUS(x)	(_W_INT(x) >> 8)  /* freebsd-src sys/sys/wait.h */
#define	WIFCONTINUED(x)	(x == 0x13)	/* 0x13 == SIGCONT */  /* freebsd-src sys/sys/wait.h */
#define	WCOREDUMP(x)	(_W_INT(x) & WCOREFLAG)  /* freebsd-src sys/sys/wait.h (#if __BSD_VISIBLE) */

#endif
