/**
 * Solution 05.3 · A rolling restart of the cluster
 *
 * One worker at a time: start its successor and wait until it listens, and
 * only then retire the old one. The primary's listening socket always has a
 * worker behind it, so no connection is refused; and a successor that cannot
 * start stops the rollout while every old worker still serves.
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
  const onStep = options.onStep ?? (() => {});
  const replaced: number[] = [];
  for (const old of cluster.pids()) {
    let fresh: number;
    try {
      fresh = await cluster.addWorker({ exec: options.exec });
    } catch (error) {
      throw new RolloutError(replaced, error);
    }
    onStep({ type: "started", pid: fresh });
    await cluster.retireWorker(old);
    onStep({ type: "retired", pid: old });
    replaced.push(fresh);
  }
  return replaced;
}
