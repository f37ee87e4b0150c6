/**
 * Bun worker: the error path. `waitpid(-1, 0)` in a process with no children at all fails
 * with ECHILD, which is caught. The bench starts this worker directly, and the worker
 * starts nothing, so no child (Bun's or ours) can be reaped here.
 */
import { SystemError, waitpid } from "../../src/index.ts";
import { runWorker } from "./harness.ts";

runWorker({
  batch(n) {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      try {
        waitpid(-1, 0);
        throw new Error("waitpid(-1, 0) returned in a process without children");
      } catch (error) {
        if (!(error instanceof SystemError) || error.code !== "ECHILD") throw error;
        sink++;
      }
    }
    return sink;
  },
});
