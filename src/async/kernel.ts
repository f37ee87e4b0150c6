/** The synchronous calls the async waits are built on, as `PidWaits.check` uses them. */
import { libc } from "../ffi/load.ts";
import * as c from "../sys/constants.ts";
import { systemError } from "../sys/errno.ts";
import { decodeStatus } from "../sys/status.ts";
import { wait4 } from "../sys/wait.ts";
import { waitid, type WaitidResult } from "../sys/waitid.ts";
import type { Kernel } from "./pid-waits.ts";

export const kernel: Kernel = {
  wait4,
  waitid,
  kindOf(status) {
    const state = decodeStatus(status);
    return state.kind === "stopped" ? "stop" : state.kind === "continued" ? "cont" : "exit";
  },
  infoOf(status, pid, uid): WaitidResult {
    const state = decodeStatus(status);
    const { SIGCHLD, SIGCONT } = libc.abi.signals;
    const base = { si_pid: pid, si_uid: uid, si_signo: SIGCHLD };
    switch (state.kind) {
      case "exited":
        return { ...base, si_code: c.CLD_EXITED, si_status: state.code };
      case "signaled":
        return { ...base, si_code: state.coreDumped ? c.CLD_DUMPED : c.CLD_KILLED, si_status: state.signal };
      case "stopped":
        return { ...base, si_code: c.CLD_STOPPED, si_status: state.signal };
      case "continued":
        return { ...base, si_code: c.CLD_CONTINUED, si_status: SIGCONT };
    }
  },
  constants: c,
  echild: () => systemError("wait4", libc.abi.errnos.ECHILD),
};

