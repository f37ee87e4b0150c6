/*
 * macOS (XNU) declarations that the generated layout asserts need, transcribed so they can be
 * compiled on Linux: gcc -nostdinc -fsyntax-only -I test/c <generated darwin-*.c>.
 * Nothing from the host's headers is involved (-nostdinc), so a name missing here is an error,
 * not a silent fallback to glibc's value.
 *
 * Data model: macOS on x86_64 and arm64 is LP64 (int 4, long 8, pointer 8, little-endian), as
 * the x86_64 Linux host that compiles this; one transcription serves darwin-x64 and darwin-arm64
 * because every type below is the same on both (bsd/i386/_types.h and bsd/arm/_types.h agree
 * on each typedef used here).
 *
 * Sources, all in repository apple-oss-distributions/xnu:
 *   [T]  bsd/sys/_types.h                  (__darwin_* typedefs)
 *   [MT] bsd/i386/_types.h, bsd/arm/_types.h (__int32_t ..., __darwin_time_t)
 *   [TV] bsd/sys/_types/_timeval.h         (struct timeval)
 *   [R]  bsd/sys/resource.h                (commit 1031c584a5e37aff177559b9f69dbd3c8c3fd30a)
 *   [S]  bsd/sys/signal.h                  (commit 1031c584a5e37aff177559b9f69dbd3c8c3fd30a)
 *   [W]  bsd/sys/wait.h                    (commit e3723e1f17661b24996789d8afc084c0c3303b26)
 *   [SP] bsd/sys/spawn.h                   (commit 5c2921b07a2480ab43ec66f5b9e41cb872bc554f)
 *   [SH] libsyscall/wrappers/spawn/spawn.h (commit e7776783b89a353188416a9a346c6cdb4928faad; installed as <spawn.h>)
 *   [F]  bsd/sys/fcntl.h                   (O_CLOEXEC, __DARWIN_C_LEVEL >= 200809L)
 *   [E]  bsd/sys/errno.h                   (EINTR)
 *   [EV] bsd/sys/event.h                   (struct kevent under #pragma pack(4); EVFILT_PROC, EV_*, NOTE_EXIT)
 * Branches taken: those of a normal macOS build (_POSIX_C_SOURCE undefined, so
 * __DARWIN_C_LEVEL == __DARWIN_C_FULL, and __DARWIN_UNIX03 == 1).
 */
#ifndef LAYOUT_DARWIN_H
#define LAYOUT_DARWIN_H

#define offsetof(type, field) __builtin_offsetof(type, field) /* [T] __offsetof; the compiler's <stddef.h> */

typedef int                 __int32_t;            /* [MT] typedef int __int32_t; */
typedef unsigned int        __uint32_t;           /* [MT] typedef unsigned int __uint32_t; */
typedef unsigned short      __uint16_t;           /* [MT] typedef unsigned short __uint16_t; */
typedef long long           __int64_t;            /* [MT] typedef long long __int64_t; */
typedef long                __darwin_time_t;      /* [MT] typedef long __darwin_time_t; */

typedef __uint32_t          __darwin_id_t;        /* [T]  typedef __uint32_t __darwin_id_t; */
typedef __uint16_t          __darwin_mode_t;      /* [T]  typedef __uint16_t __darwin_mode_t; */
typedef __int32_t           __darwin_pid_t;       /* [T]  typedef __int32_t __darwin_pid_t; */
typedef __uint32_t          __darwin_sigset_t;    /* [T]  typedef __uint32_t __darwin_sigset_t; */
typedef __int32_t           __darwin_suseconds_t; /* [T]  typedef __int32_t __darwin_suseconds_t; */
typedef __uint32_t          __darwin_uid_t;       /* [T]  typedef __uint32_t __darwin_uid_t; */

typedef __darwin_id_t       id_t;                 /* bsd/sys/_types/_id_t.h */
typedef __darwin_mode_t     mode_t;               /* bsd/sys/_types/_mode_t.h */
typedef __darwin_pid_t      pid_t;                /* bsd/sys/_types/_pid_t.h */
typedef __darwin_sigset_t   sigset_t;             /* bsd/sys/_types/_sigset_t.h */
typedef __darwin_uid_t      uid_t;                /* bsd/sys/_types/_uid_t.h */

struct timeval {                                  /* [TV] _STRUCT_TIMEVAL */
	__darwin_time_t         tv_sec;               /* [TV] seconds */
	__darwin_suseconds_t    tv_usec;              /* [TV] and microseconds */
};

#define RUSAGE_SELF     0                         /* [R] */
#define RUSAGE_CHILDREN -1                        /* [R] */

struct  rusage {                                  /* [R] (__DARWIN_C_LEVEL >= __DARWIN_C_FULL branch) */
	struct timeval ru_utime;        /* user time used (PL) */
	struct timeval ru_stime;        /* system time used (PL) */
	long    ru_maxrss;              /* max resident set size (PL) */
	long    ru_ixrss;               /* integral shared memory size (NU) */
	long    ru_idrss;               /* integral unshared data (NU)  */
	long    ru_isrss;               /* integral unshared stack (NU) */
	long    ru_minflt;              /* page reclaims (NU) */
	long    ru_majflt;              /* page faults (NU) */
	long    ru_nswap;               /* swaps (NU) */
	long    ru_inblock;             /* block input operations (atomic) */
	long    ru_oublock;             /* block output operations (atomic) */
	long    ru_msgsnd;              /* messages sent (atomic) */
	long    ru_msgrcv;              /* messages received (atomic) */
	long    ru_nsignals;            /* signals received (atomic) */
	long    ru_nvcsw;               /* voluntary context switches (atomic) */
	long    ru_nivcsw;              /* involuntary " */
};

#define SIGKILL 9       /* [S] kill (cannot be caught or ignored) */
#define SIGSTOP 17      /* [S] sendable stop signal not from tty */
#define SIGCONT 19      /* [S] continue a stopped process */
#define SIGCHLD 20      /* [S] to parent on child stop or exit */
#define __DARWIN_NSIG   32      /* [S] counting 0; could be 33 (mask is 1-32) */
#define NSIG    __DARWIN_NSIG   /* [S] */

union sigval {                                    /* [S] */
	int     sival_int;
	void    *sival_ptr;
};

typedef struct __siginfo {                        /* [S] */
	int     si_signo;               /* signal number */
	int     si_errno;               /* errno association */
	int     si_code;                /* signal code */
	pid_t   si_pid;                 /* sending process */
	uid_t   si_uid;                 /* sender's ruid */
	int     si_status;              /* exit value */
	void    *si_addr;               /* faulting instruction */
	union sigval si_value;          /* signal value */
	long    si_band;                /* band event for SIGPOLL */
	unsigned long   __pad[7];       /* Reserved for Future Use */
} siginfo_t;

#define CLD_EXITED      1       /* [S] [XSI] child has exited */
#define CLD_KILLED      2       /* [S] [XSI] terminated abnormally, no core file */
#define CLD_DUMPED      3       /* [S] [XSI] terminated abnormally, core file */
#define CLD_TRAPPED     4       /* [S] [XSI] traced child has trapped */
#define CLD_STOPPED     5       /* [S] [XSI] child has stopped */
#define CLD_CONTINUED   6       /* [S] [XSI] stopped child has continued */

typedef enum {                                    /* [W] */
	P_ALL,
	P_PID,
	P_PGID
} idtype_t;

#define WNOHANG         0x00000001  /* [W] [XSI] no hang in wait/no child to reap */
#define WUNTRACED       0x00000002  /* [W] [XSI] notify on stop, untraced child */
#define WEXITED         0x00000004  /* [W] [XSI] Processes which have exitted */
#define WSTOPPED        0x00000008  /* [W] [XSI] Any child stopped by signal (#if __DARWIN_UNIX03) */
#define WCONTINUED      0x00000010  /* [W] [XSI] Any child stopped then continued */
#define WNOWAIT         0x00000020  /* [W] [XSI] Leave process returned waitable */

typedef  void *posix_spawnattr_t;                 /* [SH] */
typedef  void *posix_spawn_file_actions_t;        /* [SH] */

#define POSIX_SPAWN_RESETIDS            0x0001  /* [SP] [SPN] R[UG]ID not E[UG]ID */
#define POSIX_SPAWN_SETPGROUP           0x0002  /* [SP] [SPN] set non-parent PGID */
#define POSIX_SPAWN_SETSIGDEF           0x0004  /* [SP] [SPN] reset sigset default */
#define POSIX_SPAWN_SETSIGMASK          0x0008  /* [SP] [SPN] set signal mask */
#define POSIX_SPAWN_SETSID              0x0400  /* [SP] Darwin-specific (!_POSIX_C_SOURCE || _DARWIN_C_SOURCE) */

#define O_CLOEXEC       0x01000000      /* [F] implicitly set FD_CLOEXEC */

union __sigaction_u {                             /* [S] */
	void    (*__sa_handler)(int);
	void    (*__sa_sigaction)(int, struct __siginfo *, void *);
};
struct  sigaction {                               /* [S] */
	union __sigaction_u __sigaction_u;  /* signal handler */
	sigset_t sa_mask;               /* signal mask to apply */
	int     sa_flags;               /* see signal options below */
};
#define sa_handler      __sigaction_u.__sa_handler  /* [S] */
#define SIG_DFL         (void (*)(int))0            /* [S] */
#define SIG_IGN         (void (*)(int))1            /* [S] */

typedef long intptr_t;                            /* LP64 */
typedef unsigned long uintptr_t;                  /* LP64 */
#pragma pack(4)
struct kevent {                                   /* [EV] */
	uintptr_t       ident;  /* identifier for this event */
	short           filter; /* filter for event (int16_t) */
	unsigned short  flags;  /* general flags (uint16_t) */
	__uint32_t      fflags; /* filter-specific flags */
	intptr_t        data;   /* filter-specific data */
	void            *udata; /* opaque user data identifier */
};
#pragma pack()
#define EVFILT_PROC     (-5)            /* [EV] attached to struct proc */
#define EV_ADD          0x0001          /* [EV] add event to kq (implies enable) */
#define EV_DELETE       0x0002          /* [EV] delete event from kq */
#define EV_ONESHOT      0x0010          /* [EV] only report one occurrence */
#define EV_ERROR        0x4000          /* [EV] error, data contains errno */
#define NOTE_EXIT       0x80000000      /* [EV] process exited */
#define EINTR           4               /* [E] Interrupted system call */
#define ECHILD          10              /* [E] No child processes */
#define EINVAL          22              /* [E] Invalid argument */

/* Not on macOS, so deliberately absent here: P_PIDFD, RUSAGE_THREAD, RUSAGE_BOTH (the [R]
 * header defines only RUSAGE_SELF and RUSAGE_CHILDREN), PIDFD_NONBLOCK, SYS_pidfd_open,
 * SYS_waitid, SYS_prctl, PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER. */

#endif
