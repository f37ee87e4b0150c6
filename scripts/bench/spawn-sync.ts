/** Bun worker: Bun's built-in `Bun.spawnSync` of `/bin/true` with inherited stdio. */
import { runWorker } from "./harness.ts";

const cmd = ["/bin/true"];
const stdio = ["inherit", "inherit", "inherit"] as const;

runWorker({
  batch(n) {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const result = Bun.spawnSync({ cmd, stdio: [...stdio] });
      if (!result.success) throw new Error(`/bin/true failed: ${result.exitCode}`);
      sink += result.exitCode ?? 0;
    }
    return sink;
  },
});
