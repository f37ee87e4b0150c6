/** Thrown if packing strings for C would write outside its buffer: a bug in bun-wait4, never the caller's fault. */
export class PackingError extends Error {
  constructor(what: string) {
    super(`bun-wait4 internal error: packStrings would write ${what} outside its buffer`);
  }
}
