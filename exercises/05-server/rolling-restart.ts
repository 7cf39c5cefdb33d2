/**
 * Exercise 05.3 · A rolling restart of the cluster
 *
 * Chapter 05's cluster replaces a worker that dies. Deploying a new version
 * means replacing every worker on purpose, and the obvious way — stop them
 * all, start new ones — leaves the port without a single worker for a
 * moment: the primary closes its listening socket, and clients get
 * ECONNREFUSED. The way process managers do it is a rolling restart.
 *
 * Build `rollingRestart(cluster, options)` on the kit's `EchoCluster`
 * (`pids()`, `addWorker({ exec })`, `retireWorker(pid)`):
 * - For each worker alive when it is called, one at a time: start a new
 *   worker (running `options.exec` if given, the cluster's own script
 *   otherwise) and wait until it listens; only then retire the old one, and
 *   wait until it has exited. At no moment are there fewer workers than at
 *   the start.
 * - Tell `options.onStep` about each step as it completes:
 *   `{ type: "started", pid }` for a new worker, `{ type: "retired", pid }`
 *   for an old one.
 * - Resolve to the new workers' pids, in the order they were started.
 * - If a new worker cannot start (`addWorker` rejects: a broken release),
 *   stop at once and reject with `RolloutError`: its `replaced` lists the new
 *   pids started so far, its `cause` is `addWorker`'s error. The old workers
 *   not yet replaced keep serving; nothing is retired for a worker that
 *   failed to start.
 *
 * Run `npm run exercise -- 05.3` to test, `npm run hint -- 05.3` if stuck.
 */
import type { EchoCluster } from "pools-by-hand";

/** One step of a rollout, as `onStep` hears it. */
export type RolloutStep = { type: "started"; pid: number } | { type: "retired"; pid: number };

/** Options of {@link rollingRestart}. */
export interface RolloutOptions {
  /** The script the new workers run; the cluster's own by default. */
  exec?: string | URL;
  /** Told about each worker started and each retired, in order. */
  onStep?: (step: RolloutStep) => void;
}

/** A rollout stopped because a new worker could not start. */
export class RolloutError extends Error {
  override name = "RolloutError";
  constructor(
    /** The workers that had been replaced before it stopped: their new pids. */
    readonly replaced: number[],
    cause: unknown,
  ) {
    super(`the rollout stopped after replacing ${replaced.length} worker(s): a new worker could not start`, { cause });
  }
}

/** Replaces every worker of `cluster`, one at a time; resolves to the new workers' pids. */
export async function rollingRestart(cluster: EchoCluster, options: RolloutOptions = {}): Promise<number[]> {
  throw new Error(`TODO(05.3): replace the workers ${cluster.pids().join(", ")} one at a time${options.exec ? " with the new script" : ""}`);
}
