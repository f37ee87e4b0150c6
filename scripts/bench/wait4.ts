/** Bun worker: `wait4(pid, WNOHANG)` on a live child through the public API, status decoded. */
import { posix_spawnp, wait4, waitpid, WIFEXITED, WNOHANG } from "../../src/index.ts";
import { runWorker } from "./harness.ts";

const child = posix_spawnp("sleep", ["sleep", "600"], process.env);

runWorker({
  batch(n) {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const [pid, status] = wait4(child, WNOHANG);
      if (pid !== 0) throw new Error(`the live child ${child} was reported as changed`);
      if (WIFEXITED(status)) sink++;
    }
    return sink;
  },
  teardown() {
    process.kill(child, "SIGKILL");
    waitpid(child, 0);
  },
});
