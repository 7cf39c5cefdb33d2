/**
 * The kit's own Pool, on the event loop, on worker threads and on child
 * processes, driven exactly as chapter 03 teaches: `applyAsync(…).get()` for
 * single calls, `map` with Python's default chunk size.
 */
import { Pool } from "../../../src/index.js";
import type { Implementation } from "../implementation.js";
import type { ScenarioId } from "../scenarios.js";
import { TASKS } from "../tasks.js";

// The same URL the import of TASKS above resolves to, so the functions in TASKS
// are the very exports the Pool finds in its task module (sent by reference).
const tasks = new URL("../tasks.js", import.meta.url);

function kit(runIn: "event-loop" | "threads" | "processes", scenarios: readonly ScenarioId[]): Implementation {
  return {
    id: `kit-${runIn}`,
    label: `kit Pool, ${runIn.replace("-", " ")}`,
    family: "kit",
    scenarios,
    async open(workers) {
      const pool = new Pool(workers, { runIn, tasks });
      return {
        // The harness never reuses an argument list, so the pool may keep it.
        call: (fn, args) => pool.applyAsync(TASKS[fn] as (...args: unknown[]) => unknown, args as unknown[]).get(),
        map: (fn, items, chunksize) => pool.map(TASKS[fn] as (item: unknown) => unknown, items, chunksize),
        async close() {
          pool.close();
          await pool.join();
        },
      };
    },
  };
}

const POOLS: ScenarioId[] = ["startup", "burst", "latency", "map", "sum", "pbkdf2", "io", "worker-per-task"];

export const implementations: Implementation[] = [
  kit("event-loop", ["startup", "burst", "latency", "map", "sum", "io", "async-queue"]),
  kit("threads", POOLS),
  // Beside chapter 07's Postgres pool (implementations/postgres.ts) on the same workloads.
  kit("processes", [...POOLS, "pg-map", "pg-map-1", "pg-latency"]),
];
