/**
 * What an implementation must provide to join the benchmark. Every Node
 * implementation is one file in tools/bench/implementations/ exporting
 * `implementations: Implementation[]`; the runner finds the files by itself.
 * Python's pools are described in python.ts and run by python/bench.py.
 */
import { defaultChunksize, splitIntoChunks } from "../../src/03-results/chunks.js";
import type { ScenarioId } from "./scenarios.js";
import type { TaskName } from "./tasks.js";

/** A pool that has been opened, as the scenarios drive it. */
export interface PoolAdapter {
  /**
   * Submits one call of a task from tools/bench/tasks.ts and resolves to its
   * result. Many calls may be in flight at once (the burst scenarios submit
   * them all before awaiting any).
   */
  call(task: TaskName, args: readonly unknown[]): Promise<unknown>;
  /**
   * The pool's own `map`, if it has one. `chunksize` undefined means the
   * pool's default (Python's formula). Without it, the harness cuts the items
   * into chunks by Python's formula and sends each with `call("mapChunk", …)`.
   */
  map?(task: TaskName, items: readonly unknown[], chunksize: number | undefined): Promise<unknown[]>;
  /**
   * SIGKILLs one worker while it runs a task, and resolves once it is dead
   * (the `recovery` scenario). Only implementations whose tasks survive a
   * worker's death have it.
   */
  crash?(): Promise<void>;
  /** Lets every queued call finish, then ends every worker. */
  close(): Promise<void>;
}

/** Where an implementation sits in the tables and charts, in this order. */
export const FAMILIES = ["kit", "node-pool", "node-queue", "node-builtin", "baseline", "python"] as const;

/** An implementation's family. */
export type Family = (typeof FAMILIES)[number];

/** One implementation, measured in a child process of its own. */
export interface Implementation {
  /** A stable id, used on the command line and in the JSON (`piscina`, `kit-threads`). */
  id: string;
  /** How tables and charts name it. */
  label: string;
  family: Family;
  /** The scenarios it takes part in. */
  scenarios: readonly ScenarioId[];
  /** Extra environment for its child process (read at process start, as `UV_THREADPOOL_SIZE` is). */
  env?: Readonly<Record<string, string>>;
  /** Starts the implementation with `workers` workers (always 2 here: pinned, node-pools.md §2.2). */
  open(workers: number): Promise<PoolAdapter>;
  /** Starts the server it needs (the `server-start` scenario) and resolves once it is ready. */
  startServer?(): Promise<{ stop(): Promise<void> }>;
}

/**
 * `map` for a pool without one: chunks by Python's formula, every chunk
 * submitted at once as `mapChunk(task, chunk)`, results flattened in order.
 */
export async function mapByChunks(
  adapter: PoolAdapter,
  task: TaskName,
  items: readonly unknown[],
  chunksize: number | undefined,
  workers: number,
): Promise<unknown[]> {
  const size = chunksize ?? defaultChunksize(items.length, workers);
  if (size === 0) return [];
  const parts = await Promise.all(splitIntoChunks(items, size).map((part) => adapter.call("mapChunk", [task, part])));
  return (parts as unknown[][]).flat();
}
