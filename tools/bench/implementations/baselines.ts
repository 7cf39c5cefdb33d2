/**
 * The baselines: the task called inline, with no pool at all; one raw
 * `Worker` reused for every task; and a raw `new Worker` per task, which is
 * what chapter 00 warns against.
 */
import { Worker } from "node:worker_threads";
import { Fifo } from "../../../src/01-reusable-worker/index.js";
import type { Implementation, PoolAdapter } from "../implementation.js";
import runTask, { TASKS, type TaskCall } from "../tasks.js";

const entry = new URL("../worker-entry.js", import.meta.url);

interface Reply {
  id: number;
  value?: unknown;
  error?: string;
}

/** One raw Worker with a table of the calls waiting for its replies. */
function rawWorker(): PoolAdapter {
  const worker = new Worker(entry);
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on("message", ({ id, value, error }: Reply) => {
    const call = waiting.get(id);
    waiting.delete(id);
    if (error === undefined) call?.resolve(value);
    else call?.reject(new Error(error));
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`raw worker exited with code ${code}`)));
  return {
    call(fn, args) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, fn, args } satisfies TaskCall & { id: number });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** A fresh raw Worker for each call, at most `limit` alive at once, as a pool of `limit` would run. */
function workerPerTask(limit: number): PoolAdapter {
  let running = 0;
  const waiting = new Fifo<() => void>();
  const slot = () => (running < limit ? (running++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve)));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    async call(fn, args) {
      await slot();
      const worker = rawWorker();
      try {
        return await worker.call(fn, args);
      } finally {
        await worker.close();
        release();
      }
    },
    close: async () => {},
  };
}

export const implementations: Implementation[] = [
  {
    id: "inline",
    label: "inline, no pool",
    family: "baseline",
    scenarios: ["burst", "latency", "map", "async-queue", "worker-per-task"],
    async open() {
      return {
        call: async (fn, args) => runTask({ fn, args }),
        map: async (fn, items) => items.map((item) => (TASKS[fn] as (x: unknown) => unknown)(item)),
        close: async () => {},
      };
    },
  },
  {
    id: "raw-worker-reused",
    label: "one raw Worker, reused",
    family: "baseline",
    scenarios: ["startup", "latency", "worker-per-task"],
    async open() {
      return rawWorker();
    },
  },
  {
    id: "raw-worker-per-task",
    label: "a new raw Worker per task",
    family: "baseline",
    scenarios: ["worker-per-task"],
    async open(workers) {
      return workerPerTask(workers);
    },
  },
];
