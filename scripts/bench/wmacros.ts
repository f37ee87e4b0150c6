/** Bun worker: each of the 8 W* functions once per status word (time reported per call). */
import {
  WCOREDUMP,
  WEXITSTATUS,
  WIFCONTINUED,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WSTOPSIG,
  WTERMSIG,
} from "../../src/index.ts";
import { runWorker, STATUSES } from "./harness.ts";

const n = (b: boolean): number => (b ? 1 : 0);

runWorker({
  opsPerIteration: 8,
  batch(count) {
    let sink = 0;
    for (let i = 0; i < count; i++) {
      const s = STATUSES[i & 255]!;
      sink +=
        n(WIFEXITED(s)) + WEXITSTATUS(s) + n(WIFSIGNALED(s)) + WTERMSIG(s) +
        n(WCOREDUMP(s)) + n(WIFSTOPPED(s)) + WSTOPSIG(s) + n(WIFCONTINUED(s));
    }
    return sink;
  },
});
