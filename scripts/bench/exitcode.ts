/** Bun worker: `waitstatus_to_exitcode` over exited and signaled status words. */
import { waitstatus_to_exitcode } from "../../src/index.ts";
import { runWorker, STATUSES } from "./harness.ts";

runWorker({
  batch(n) {
    let sink = 0;
    for (let i = 0; i < n; i++) sink += waitstatus_to_exitcode(STATUSES[i & 255]!);
    return sink;
  },
});
