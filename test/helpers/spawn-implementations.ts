/**
 * The implementations of Bun's spawn interface that the parity suite (test/spawn/parity) runs
 * every case against, so a difference shows up as a failing pair: Bun's own Bun.spawn and
 * Bun.spawnSync, and bun-wait4's spawn and spawnSync. SPAWN_PARITY=Bun or SPAWN_PARITY=bun-wait4
 * in the environment keeps only that one. Imports nothing from bun:test, so a fresh `bun`
 * process can load it too (spawn-probes.ts runs scripts that way).
 */
import { spawn, spawnSync } from "../../src/index.ts";

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

/** bun-wait4's: its signatures are Bun's, so it stands in where Bun's are typed. */
const bunWait4Implementation: SpawnImplementation = {
  name: "bun-wait4",
  spawn: spawn as typeof Bun.spawn,
  spawnSync: spawnSync as typeof Bun.spawnSync,
};

/** Every available implementation, or the one SPAWN_PARITY names (an unknown name is an error). */
function select(wanted: string | undefined): SpawnImplementation[] {
  const available = [bunImplementation, bunWait4Implementation];
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
