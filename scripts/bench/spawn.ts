/** Bun worker: spawn and reap `/bin/true` with `posix_spawnp` + `wait4`. */
import { posix_spawnp, wait4, WEXITSTATUS } from "../../src/index.ts";
import { runWorker } from "./harness.ts";

const argv = ["true"];

runWorker({
  batch(n) {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const pid = posix_spawnp("/bin/true", argv, process.env);
      const [reaped, status] = wait4(pid, 0);
      if (reaped !== pid) throw new Error(`wait4 reaped ${reaped}, expected ${pid}`);
      sink += WEXITSTATUS(status);
    }
    return sink;
  },
});
