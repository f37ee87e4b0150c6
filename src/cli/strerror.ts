/**
 * Error texts as GNU time prints them (glibc's strerror, C locale: "No such file or
 * directory"), for the errors its messages can carry: opening `-o FILE`, running the command.
 */
const GLIBC_STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
  EEXIST: "File exists",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  ENOEXEC: "Exec format error",
  E2BIG: "Argument list too long",
  ETXTBSY: "Text file busy",
  ENXIO: "No such device or address",
  EPERM: "Operation not permitted",
  ENOMEM: "Cannot allocate memory",
};

/** glibc's words for `error`'s errno code ("Permission denied"), else its message. */
export function errorText(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && GLIBC_STRERROR[code] !== undefined) return GLIBC_STRERROR[code]!;
  return error instanceof Error ? error.message : String(error);
}
