/**
 * The thread-pool libraries: piscina 5 and tinypool 2 (a fork of piscina).
 * Both are pinned at 2 threads with a long idle timeout, because their
 * defaults differ and would wreck the comparison on 2 cores (node-pools.md
 * §2.2): piscina 1..3 threads with idle timeout 0, tinypool 1..2.
 */
import type { Implementation } from "../implementation.js";
import type { ScenarioId } from "../scenarios.js";
import type { TaskCall } from "../tasks.js";

const SCENARIOS: readonly ScenarioId[] = ["startup", "burst", "latency", "map", "sum", "pbkdf2", "io", "worker-per-task"];

/** The same options for both: the shared task module, `workers` threads, never idled out. */
const pinned = (workers: number) => ({
  filename: new URL("../tasks.js", import.meta.url).href,
  minThreads: workers,
  maxThreads: workers,
  idleTimeout: 60_000,
});

export const implementations: Implementation[] = [
  {
    id: "piscina",
    label: "piscina",
    family: "node-pool",
    scenarios: SCENARIOS,
    async open(workers) {
      const { Piscina } = await import("piscina");
      const pool = new Piscina(pinned(workers));
      return { call: (fn, args) => pool.run({ fn, args } satisfies TaskCall), close: () => pool.close() };
    },
  },
  {
    id: "tinypool",
    label: "tinypool",
    family: "node-pool",
    scenarios: SCENARIOS,
    async open(workers) {
      const { Tinypool } = await import("tinypool");
      const pool = new Tinypool(pinned(workers));
      return { call: (fn, args) => pool.run({ fn, args } satisfies TaskCall) as Promise<unknown>, close: () => pool.destroy() };
    },
  },
];
