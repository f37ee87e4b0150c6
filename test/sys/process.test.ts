/**
 * src/sys/process.ts: the pipes run() and the hand-off make. A process whose stdin or stdout is
 * closed gets a pipe end at 0 or 1; it is moved above 2 and must stay close-on-exec there, or
 * every child spawned meanwhile (by Bun.spawn too) would inherit it.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { closeSync } from "node:fs";
import { POSIX_SPAWN_CLOSE, POSIX_SPAWN_DUP2, posix_spawn, waitpid } from "../../src/index.ts";
import { pipe } from "../../src/sys/process.ts";

test("pipe(): with 0 and 1 closed, both ends land above 2 and stay close-on-exec", async () => {
  const [read, write] = pipe();
  const fixture = join(import.meta.dir, "../fixtures/pipe-low-fds.ts");
  const pid = posix_spawn(process.execPath, [process.execPath, fixture], process.env, {
    file_actions: [[POSIX_SPAWN_CLOSE, 0], [POSIX_SPAWN_CLOSE, 1], [POSIX_SPAWN_DUP2, write, 2]],
  });
  closeSync(write);
  const text = await new Response(Bun.file(read).stream()).text();
  closeSync(read);
  const [, status] = waitpid(pid, 0);
  expect(status).toBe(0);
  const ends = JSON.parse(text) as { fd: number; cloexec: boolean }[];
  expect(ends).toHaveLength(2);
  for (const end of ends) expect(end.fd).toBeGreaterThan(2);
  expect(ends.map((e) => e.cloexec)).toEqual([true, true]);
});
