/**
 * `struct rusage` as every supported platform lays it out (glibc bits/types/struct_rusage.h,
 * musl include/sys/resource.h, XNU bsd/sys/resource.h, FreeBSD sys/sys/resource.h): two
 * `struct timeval`s 16 bytes apart, then 14 `long`s 8 bytes apart. Field names are CPython's
 * `resource.struct_rusage` order, which is C's. The compilers confirm every offset
 * (scripts/abi/gen-asserts.ts).
 */

/** The 16 field names in CPython's (and C's) order. */
export const RUSAGE_FIELDS = [
  "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
  "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
] as const;

/** Byte offset of each field: the two timevals at 0 and 16, the longs from 32, 8 apart. */
export function rusageOffset(index: number): number {
  return index < 2 ? index * 16 : 32 + (index - 2) * 8;
}
