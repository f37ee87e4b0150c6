/**
 * What each signal means, in the words glibc's strsignal(3) uses (string/siglist.h), keyed by
 * name so the table serves every platform. A fixed table rather than strsignal itself: musl
 * and macOS word several differently, and users match on these. Real-time signals are
 * described as glibc does: "Real-time signal N", N counted from SIGRTMIN.
 */
export const SIGNAL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  SIGHUP: "Hangup",
  SIGINT: "Interrupt",
  SIGQUIT: "Quit",
  SIGILL: "Illegal instruction",
  SIGTRAP: "Trace/breakpoint trap",
  SIGABRT: "Aborted",
  SIGBUS: "Bus error",
  SIGFPE: "Floating point exception",
  SIGKILL: "Killed",
  SIGUSR1: "User defined signal 1",
  SIGSEGV: "Segmentation fault",
  SIGUSR2: "User defined signal 2",
  SIGPIPE: "Broken pipe",
  SIGALRM: "Alarm clock",
  SIGTERM: "Terminated",
  SIGSTKFLT: "Stack fault",
  SIGCHLD: "Child exited",
  SIGCONT: "Continued",
  SIGSTOP: "Stopped (signal)",
  SIGTSTP: "Stopped",
  SIGTTIN: "Stopped (tty input)",
  SIGTTOU: "Stopped (tty output)",
  SIGURG: "Urgent I/O condition",
  SIGXCPU: "CPU time limit exceeded",
  SIGXFSZ: "File size limit exceeded",
  SIGVTALRM: "Virtual timer expired",
  SIGPROF: "Profiling timer expired",
  SIGWINCH: "Window changed",
  SIGIO: "I/O possible",
  SIGPWR: "Power failure",
  SIGSYS: "Bad system call",
  SIGEMT: "EMT trap",
  SIGINFO: "Information request",
};
