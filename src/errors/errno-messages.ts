/**
 * Error descriptions by errno name, as Node's and Bun's system errors word them
 * (libuv's uv_strerror; glibc's strerror, lower-cased, for names libuv lacks such as
 * ECHILD). A fixed table, so messages are the same on glibc, musl, macOS and FreeBSD.
 */
export const ERRNO_MESSAGES: Readonly<Record<string, string>> = {
  E2BIG: "argument list too long",
  EACCES: "permission denied",
  EAGAIN: "resource temporarily unavailable",
  EBADF: "bad file descriptor",
  ECHILD: "no child processes",
  EFAULT: "bad address in system call argument",
  EINTR: "interrupted system call",
  EINVAL: "invalid argument",
  EIO: "i/o error",
  EISDIR: "illegal operation on a directory",
  ELOOP: "too many symbolic links encountered",
  EMFILE: "too many open files",
  ENAMETOOLONG: "name too long",
  ENFILE: "file table overflow",
  ENOENT: "no such file or directory",
  ENOEXEC: "exec format error",
  ENOMEM: "not enough memory",
  ENOSYS: "function not implemented",
  ENOTDIR: "not a directory",
  EPERM: "operation not permitted",
  ESRCH: "no such process",
  ETXTBSY: "text file is busy",
};
