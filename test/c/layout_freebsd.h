/*
 * FreeBSD declarations that the generated layout asserts need, transcribed so they can be
 * compiled on Linux: gcc -nostdinc -fsyntax-only -I test/c <generated freebsd-*.c>.
 * Nothing from the host's headers is involved (-nostdinc), so a name missing here is an error,
 * not a silent fallback to glibc's value.
 *
 * Data model: FreeBSD amd64 and arm64 are LP64 (int 4, long 8, pointer 8, little-endian), as
 * the x86_64 Linux host that compiles this; one transcription serves freebsd-x64 and
 * freebsd-arm64 because every type below is the same on both (sys/x86/include/_types.h and
 * sys/arm64/include/_types.h agree on each typedef used here).
 *
 * Sources, all in repository freebsd/freebsd-src (current main unless a commit is named):
 *   [MT] sys/x86/include/_types.h, sys/arm64/include/_types.h (__int32_t ..., __time_t)
 *   [T]  sys/sys/_types.h   (commit a9c219fa3cec18ef9f30edec6fa106bf0e2d423d)
 *   [TV] sys/sys/_timeval.h (struct timeval)
 *   [SS] sys/sys/_sigset.h  (__sigset_t)
 *   [R]  sys/sys/resource.h (struct rusage; RUSAGE_THREAD since FreeBSD 8.1)
 *   [S]  sys/sys/signal.h   (siginfo_t with the _reason union, FreeBSD >= 7; CLD_*; SIG*)
 *   [W]  sys/sys/wait.h     (commit d28066d8954abdb40fd85d92c65b3780b41b7dd8)
 *   [SP] include/spawn.h    (commit b44edb8fa8a83070adf849b79ba4a39fe0c5871c)
 *   [F]  sys/sys/fcntl.h    (O_CLOEXEC, __POSIX_VISIBLE >= 200809)
 *   [E]  sys/sys/errno.h    (EINTR)
 *   [EV] sys/sys/event.h    (struct kevent with ext[4], FreeBSD >= 12; EVFILT_PROC, EV_*, NOTE_EXIT)
 * The copies of [S], [R] and [TV] that could be read while writing this were older
 * revisions (siginfo_t with `long si_band; int __spare__[7];`, no RUSAGE_THREAD, `long tv_sec`);
 * the current shapes above were checked against GDB's fbsd-nat `struct siginfo32`, which
 * "matches the naming and layout of siginfo_t in <sys/signal.h>". Both siginfo shapes are
 * 80 bytes with si_pid at 12 on LP64, so the assertions do not depend on which one is current.
 */
#ifndef LAYOUT_FREEBSD_H
#define LAYOUT_FREEBSD_H

#define offsetof(type, field) __builtin_offsetof(type, field) /* sys/sys/stddef.h: __offsetof */

typedef int                 __int32_t;      /* [MT] typedef int __int32_t; */
typedef unsigned int        __uint32_t;     /* [MT] typedef unsigned int __uint32_t; */
typedef unsigned short      __uint16_t;     /* [MT] typedef unsigned short __uint16_t; */
typedef long                __int64_t;      /* [MT] typedef long __int64_t; (LP64) */
typedef __int64_t           __time_t;       /* [MT] typedef __int64_t __time_t; (amd64, arm64) */

typedef __int64_t           __id_t;         /* [T] typedef __int64_t __id_t; "can hold a gid_t, pid_t, or uid_t" */
typedef __uint16_t          __mode_t;       /* [T] typedef __uint16_t __mode_t; */
typedef __int32_t           __pid_t;        /* [T] typedef __int32_t __pid_t; */
typedef long                __suseconds_t;  /* [T] typedef long __suseconds_t; */
typedef __uint32_t          __uid_t;        /* [T] typedef __uint32_t __uid_t; */

typedef __id_t              id_t;           /* sys/sys/types.h */
typedef __mode_t            mode_t;         /* sys/sys/types.h, include/spawn.h */
typedef __pid_t             pid_t;          /* sys/sys/types.h, include/spawn.h */
typedef __suseconds_t       suseconds_t;    /* [TV] */
typedef __time_t            time_t;         /* [TV] */
typedef __uid_t             uid_t;          /* sys/sys/types.h */

#define _SIG_WORDS      4                   /* [SS] */
#define _SIG_MAXSIG     128                 /* [SS] */
typedef struct __sigset {                   /* [SS] */
	__uint32_t __bits[_SIG_WORDS];
} __sigset_t;
typedef __sigset_t          sigset_t;       /* [S], include/spawn.h */

struct timeval {                            /* [TV] */
	time_t		tv_sec;		/* seconds */
	suseconds_t	tv_usec;	/* and microseconds */
};

#define	RUSAGE_SELF	0                       /* [R] */
#define	RUSAGE_CHILDREN	-1                  /* [R] */
#define	RUSAGE_THREAD	1                   /* [R] */

struct rusage {                             /* [R] */
	struct timeval ru_utime;	/* user time used */
	struct timeval ru_stime;	/* system time used */
	long	ru_maxrss;		/* max resident set size */
	long	ru_ixrss;		/* integral shared memory size */
	long	ru_idrss;		/* integral unshared data " */
	long	ru_isrss;		/* integral unshared stack " */
	long	ru_minflt;		/* page reclaims */
	long	ru_majflt;		/* page faults */
	long	ru_nswap;		/* swaps */
	long	ru_inblock;		/* block input operations */
	long	ru_oublock;		/* block output operations */
	long	ru_msgsnd;		/* messages sent */
	long	ru_msgrcv;		/* messages received */
	long	ru_nsignals;		/* signals received */
	long	ru_nvcsw;		/* voluntary context switches */
	long	ru_nivcsw;		/* involuntary " */
};

#define	SIGKILL		9	/* [S] kill (cannot be caught or ignored) */
#define	SIGSTOP		17	/* [S] sendable stop signal not from tty */
#define	SIGCONT		19	/* [S] continue a stopped process */
#define	SIGCHLD		20	/* [S] to parent on child stop or exit */

union sigval {                              /* [S] */
	/* Members as suggested by Annex C of POSIX 1003.1b. */
	int	sival_int;
	void	*sival_ptr;
	/* 6.0 compatibility */
	int     sigval_int;
	void    *sigval_ptr;
};

typedef	struct __siginfo {                  /* [S] */
	int	si_signo;		/* signal number */
	int	si_errno;		/* errno association */
	int	si_code;		/* signal code */
	__pid_t	si_pid;			/* sending process */
	__uid_t	si_uid;			/* sender's ruid */
	int	si_status;		/* exit value */
	void	*si_addr;		/* faulting instruction */
	union sigval si_value;		/* signal value */
	union	{
		struct {
			int	_trapno;/* machine specific trap code */
		} _fault;
		struct {
			int	_timerid;
			int	_overrun;
		} _timer;
		struct {
			int	_mqd;
		} _mesgq;
		struct {
			long	_band;		/* band event for SIGPOLL */
		} _poll;			/* was this ever used ? */
		struct {
			long	__spare1__;
			int	__spare2__[7];
		} __spare__;
	} _reason;
} siginfo_t;

#define CLD_EXITED	1	/* [S] Child has exited */
#define CLD_KILLED	2	/* [S] Child has terminated abnormally (no core file) */
#define CLD_DUMPED	3	/* [S] Child has terminated abnormally (core file) */
#define CLD_TRAPPED	4	/* [S] Child has trapped */
#define CLD_STOPPED	5	/* [S] Child has stopped */
#define CLD_CONTINUED	6	/* [S] Stopped child has continued */

#define	WNOHANG		1	/* [W] Don't hang in wait. */
#define	WUNTRACED	2	/* [W] Tell about stopped, untraced children. */
#define	WSTOPPED	WUNTRACED   /* [W] SUS compatibility */
#define	WCONTINUED	4	/* [W] Report a job control continued process. */
#define	WNOWAIT		8	/* [W] Poll only. Don't delete the proc entry. */
#define	WEXITED		16	/* [W] Wait for exited processes. */

typedef enum idtype {                       /* [W] */
	P_PID,			/* A process identifier. */
	P_PPID,			/* A parent process identifier.	*/
	P_PGID,			/* A process group identifier. */
	P_SID,			/* A session identifier. */
	P_CID,			/* A scheduling class identifier. */
	P_UID,			/* A user identifier. */
	P_GID,			/* A group identifier. */
	P_ALL,			/* All processes. */
	P_LWPID,		/* An LWP identifier. */
	P_TASKID,		/* A task identifier. */
	P_PROJID,		/* A project identifier. */
	P_POOLID,		/* A pool identifier. */
	P_JAILID,		/* A zone identifier. */
	P_CTID,			/* A (process) contract identifier. */
	P_CPUID,		/* CPU identifier. */
	P_PSETID		/* Processor set identifier. */
} idtype_t;

typedef struct __posix_spawnattr		*posix_spawnattr_t;          /* [SP] */
typedef struct __posix_spawn_file_actions	*posix_spawn_file_actions_t; /* [SP] */

#define POSIX_SPAWN_RESETIDS		0x01   /* [SP] */
#define POSIX_SPAWN_SETPGROUP		0x02   /* [SP] */
#define POSIX_SPAWN_SETSIGDEF		0x10   /* [SP] */
#define POSIX_SPAWN_SETSIGMASK		0x20   /* [SP] */

#define	O_CLOEXEC	0x00100000	/* [F] */

struct sigaction {                          /* [S] */
	union {
		void    (*__sa_handler)(int);
		void    (*__sa_sigaction)(int, struct __siginfo *, void *);
	} __sigaction_u;                    /* signal handler */
	int	sa_flags;                   /* see signal options below */
	sigset_t sa_mask;                   /* signal mask to apply */
};
#define	sa_handler	__sigaction_u.__sa_handler    /* [S] */
#define	SIG_DFL		((void (*)(int))0)            /* [S] (__sighandler_t *)0 */
#define	SIG_IGN		((void (*)(int))1)            /* [S] (__sighandler_t *)1 */

struct kevent {                             /* [EV] */
	unsigned long	ident;		/* identifier for this event (__uintptr_t) */
	short		filter;		/* filter for event */
	unsigned short	flags;		/* action flags for kqueue */
	unsigned int	fflags;		/* filter flag value */
	__int64_t	data;		/* filter data value */
	void		*udata;		/* opaque user data identifier */
	unsigned long long ext[4];	/* extensions (__uint64_t) */
};
#define	EVFILT_PROC	(-5)		/* [EV] attached to struct proc */
#define	EV_ADD		0x0001		/* [EV] add event to kq (implies enable) */
#define	EV_DELETE	0x0002		/* [EV] delete event from kq */
#define	EV_ONESHOT	0x0010		/* [EV] only report one occurrence */
#define	EV_ERROR	0x4000		/* [EV] error, data contains errno */
#define	NOTE_EXIT	0x80000000	/* [EV] process exited */
#define	EINTR		4		/* [E] Interrupted system call */
#define	ECHILD		10		/* [E] No child processes */
#define	EINVAL		22		/* [E] Invalid argument */

/* Not on FreeBSD, so deliberately absent here: P_PIDFD, RUSAGE_BOTH, PIDFD_NONBLOCK,
 * POSIX_SPAWN_SETSID ([SP] has none), SYS_pidfd_open, SYS_waitid,
 * SYS_prctl, PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER (FreeBSD's procctl(2) is another call). */

#endif
