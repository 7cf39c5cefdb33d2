/**
 * The in-process promise queues: p-queue 9 (the last major for Node 20) and
 * fastq's promise API, both at concurrency 2 on the event loop. They run only
 * async tasks, so they take part in the async-queue and io scenarios.
 */
import type { Implementation } from "../implementation.js";
import runTask, { type TaskCall } from "../tasks.js";

const run = (call: TaskCall) => Promise.resolve(runTask(call));

export const implementations: Implementation[] = [
  {
    id: "p-queue",
    label: "p-queue",
    family: "node-queue",
    scenarios: ["io", "async-queue"],
    async open(workers) {
      const { default: PQueue } = await import("p-queue");
      const queue = new PQueue({ concurrency: workers });
      return {
        call: (fn, args) => queue.add(() => run({ fn, args })),
        close: () => queue.onIdle(),
      };
    },
  },
  {
    id: "fastq",
    label: "fastq (promise API)",
    family: "node-queue",
    scenarios: ["io", "async-queue"],
    async open(workers) {
      const { default: fastq } = await import("fastq");
      const queue = fastq.promise(run, workers);
      return {
        call: (fn, args) => queue.push({ fn, args }),
        close: () => queue.drained(),
      };
    },
  },
];
