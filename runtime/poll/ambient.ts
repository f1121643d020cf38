/**
 * The ambient spawner: how a poll-mode machine that is awaited like a promise (its `then`) gets a
 * task. executor.ts registers it when it loads. A module of its own, not a variable of
 * poll-machine.ts: importing the executor must not bring the poll-mode machine into a bundle of a
 * program that never calls a poll-mode function.
 */
import type { Future } from "../future";
import type { Task } from "../task";

let spawner: ((future: Future<unknown>) => Task<unknown>) | undefined;

/** Called once, by executor.ts. */
export function setAmbientSpawner(spawn: (future: Future<unknown>) => Task<unknown>): void {
  spawner = spawn;
}

/** Spawns `future` on the ambient executor; throws if no executor module is loaded. */
export function spawnAmbient(future: Future<unknown>): Task<unknown> {
  if (spawner === undefined) throw new Error("[async-machine] no executor loaded");
  return spawner(future);
}
