/** Bun worker: Bun's built-in `process.resourceUsage()` (getrusage(RUSAGE_SELF) inside). */
import { runWorker } from "./harness.ts";

runWorker({
  batch(n) {
    let sink = 0;
    for (let i = 0; i < n; i++) sink += process.resourceUsage().minorPageFault;
    return sink;
  },
});
