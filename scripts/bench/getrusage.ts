/** Bun worker: `getrusage(RUSAGE_SELF)` through the public API. */
import { getrusage, RUSAGE_SELF } from "../../src/index.ts";
import { runWorker } from "./harness.ts";

runWorker({
  batch(n) {
    let sink = 0;
    for (let i = 0; i < n; i++) sink += getrusage(RUSAGE_SELF).ru_minflt;
    return sink;
  },
});
