/**
 * The in-process promise queues: p-queue 9 (the last major for Node 20) and
 * fastq's promise API, both at concurrency 2 on the event loop, and a bare
 * queue of a few lines as the floor. They run only async tasks, so they take
 * part in the async-queue and io scenarios (the bare queue in async-queue only).
 */
import type { Implementation } from "../implementation.js";
import runTask, { type TaskCall } from "../tasks.js";

const run = (call: TaskCall) => Promise.resolve(runTask(call));

/**
 * The least an async queue can do: one promise per task, a growing array with
 * a head index, and `concurrency` loops that await each task. No events, no
 * priorities, no results object, no checks. It is the floor the others are
 * measured against: what a queue costs when it does nothing else.
 */
function bareQueue(concurrency: number) {
  const waiting: { call: TaskCall; resolve(value: unknown): void; reject(error: unknown): void }[] = [];
  let head = 0;
  let running = 0;
  let idle: (() => void) | undefined;
  const drain = async () => {
    running += 1;
    while (head < waiting.length) {
      const task = waiting[head] as (typeof waiting)[number];
      waiting[head++] = undefined as never;
      try {
        task.resolve(await run(task.call));
      } catch (error) {
        task.reject(error);
      }
    }
    running -= 1;
    if (running === 0) idle?.();
  };
  return {
    push: (call: TaskCall) =>
      new Promise<unknown>((resolve, reject) => {
        waiting.push({ call, resolve, reject });
        // Started on a later tick, as the other queues start theirs.
        if (running + (waiting.length - head) <= concurrency) queueMicrotask(drain);
      }),
    onIdle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve))),
  };
}

export const implementations: Implementation[] = [
  {
    id: "bare-queue",
    label: "a bare promise queue (the floor)",
    family: "baseline",
    scenarios: ["async-queue"],
    async open(workers) {
      const queue = bareQueue(workers);
      return { call: (fn, args) => queue.push({ fn, args }), close: () => queue.onIdle() };
    },
  },
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
