/** Whether the tests run under qemu-user (scripts/ci-aarch64.sh; docs/DESIGN.md §7). */

let emulated: boolean | undefined;

/**
 * True when Bun runs under qemu-user: there posix_spawn is a fork, so an exec failure shows
 * as exit 127 and the child's setpgid may land after posix_spawnp returns.
 */
export function underEmulation(): boolean {
  if (emulated === undefined) {
    const machine = Bun.spawnSync(["uname", "-m"], { stdout: "pipe" }).stdout.toString().trim();
    const ours = process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch;
    emulated = machine !== "" && machine !== ours;
  }
  return emulated;
}
