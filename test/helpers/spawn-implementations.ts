/**
 * The implementations of Bun's spawn interface that the parity suite (test/spawn/parity) runs
 * every case against, so a difference shows up as a failing pair: Bun's own Bun.spawn and
 * Bun.spawnSync always, and bun-wait4's spawn and spawnSync once src/index.ts exports a
 * function named `spawn` (issue 14). SPAWN_PARITY=Bun or SPAWN_PARITY=bun-wait4 in the
 * environment keeps only that one. Imports nothing from bun:test, so a fresh `bun` process can
 * load it too (spawn-probes.ts runs scripts that way).
 */
import * as bunWait4 from "../../src/index.ts";

/** One implementation of `Bun.spawn` and `Bun.spawnSync`, named for test titles. */
export interface SpawnImplementation {
  /** "Bun" or "bun-wait4": shown in every test title, and the SPAWN_PARITY value that selects it. */
  readonly name: string;
  readonly spawn: typeof Bun.spawn;
  readonly spawnSync: typeof Bun.spawnSync;
}

/** Bun's own functions: the reference every other implementation is held to. */
export const bunImplementation: SpawnImplementation = {
  name: "Bun",
  spawn: Bun.spawn,
  spawnSync: Bun.spawnSync,
};

/** bun-wait4's, when src/index.ts exports `spawn`; otherwise undefined. */
function bunWait4Implementation(): SpawnImplementation | undefined {
  const exported: Record<string, unknown> = bunWait4;
  const spawn = exported.spawn;
  if (typeof spawn !== "function") return undefined;
  const spawnSync = exported.spawnSync;
  return {
    name: "bun-wait4",
    spawn: spawn as typeof Bun.spawn,
    // A missing spawnSync must fail every spawnSync case of the pair, not skip them.
    spawnSync:
      typeof spawnSync === "function"
        ? (spawnSync as typeof Bun.spawnSync)
        : ((() => {
            throw new Error("src/index.ts exports spawn but no spawnSync");
          }) as unknown as typeof Bun.spawnSync),
  };
}

/** Every available implementation, or the one SPAWN_PARITY names (an unknown name is an error). */
function select(wanted: string | undefined): SpawnImplementation[] {
  const ours = bunWait4Implementation();
  const available = ours ? [bunImplementation, ours] : [bunImplementation];
  if (wanted === undefined || wanted === "") return available;
  const chosen = available.filter((implementation) => implementation.name === wanted);
  if (chosen.length === 0) {
    const known = available.map((implementation) => implementation.name).join(", ");
    throw new Error(`SPAWN_PARITY=${wanted}: no such implementation here (available: ${known})`);
  }
  return chosen;
}

/** The implementations each parity case runs against, Bun's first. */
export const implementations: SpawnImplementation[] = select(process.env.SPAWN_PARITY);
