/**
 * Step 04: threads and processes. The same `Pool`, with its tasks run in
 * worker threads (`runIn: "threads"`) or child processes
 * (`runIn: "processes"`), sent by reference to a tasks module; a worker that
 * dies under a task fails that task with `WorkerCrashedError` and is replaced.
 *
 * @module 04-threads-and-processes
 */
import type { ResourceLimits } from "node:worker_threads";
import { registerRunner, type RunnerOptions } from "../03-results/runner.js";
import { LocalRunner, type Host } from "./local-runner.js";
import { ProcessHost } from "./process-host.js";
import { TaskModule } from "./task-module.js";
import { TaskTimings } from "./task-timings.js";
import { ThreadHost } from "./thread-host.js";

declare module "../03-results/pool.js" {
  interface PoolOptions {
    /**
     * With `runIn: "threads"` or `"processes"`: the path or `file:` URL of the
     * module whose exported functions the workers run (chapter 04).
     */
    tasks?: string | URL | undefined;
    /**
     * With `runIn: "threads"`: Node's Worker `resourceLimits`. With
     * `"processes"`, `maxOldGenerationSizeMb` becomes `--max-old-space-size`.
     */
    resourceLimits?: ResourceLimits | undefined;
  }
}

const RESOURCE_LIMITS = ["maxOldGenerationSizeMb", "maxYoungGenerationSizeMb", "codeRangeSizeMb", "stackSizeMb"];

/** Node ignores bad `resourceLimits` without a word, so the pool checks them. */
function checkResourceLimits(limits: unknown): void {
  if (limits === undefined) return;
  if (typeof limits !== "object" || limits === null) throw new TypeError(`resourceLimits must be an object, got ${String(limits)}`);
  for (const [key, value] of Object.entries(limits)) {
    if (!RESOURCE_LIMITS.includes(key)) throw new TypeError(`resourceLimits has no option ${key}; the options are ${RESOURCE_LIMITS.join(", ")}`);
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`resourceLimits.${key} must be a positive number of megabytes, got ${String(value)}`);
    }
  }
}

function workerRunner(options: RunnerOptions, makeHost: (tasks: TaskModule, timings: TaskTimings) => Host): LocalRunner {
  const tasks = new TaskModule(options.extra.tasks);
  checkResourceLimits(options.extra.resourceLimits);
  // The initializer travels by name like any task, so it must be an export too;
  // its arguments travel by copy, so they must be copyable, which is best said here.
  if (options.initializer) tasks.nameOf(options.initializer);
  try {
    structuredClone(options.initargs);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`initargs cannot be sent to a worker: ${reason}`, { cause: error });
  }
  const timings = new TaskTimings();
  return new LocalRunner(options, () => makeHost(tasks, timings), (fn) => void tasks.nameOf(fn), timings);
}

registerRunner("threads", (options) => workerRunner(options, (tasks, timings) => new ThreadHost(tasks, options, timings)));
registerRunner("processes", (options) => workerRunner(options, (tasks, timings) => new ProcessHost(tasks, options, timings)));

export { RemoteTraceback, WorkerCrashedError } from "./errors.js";
export { workerExecArgv } from "./exec-argv.js";
export { LocalRunner, type Host } from "./local-runner.js";
export { ProcessHost } from "./process-host.js";
export { pack, unpack, type Packed } from "./packing.js";
export type { Channel, FromWorker, SentJob, ToWorker } from "./protocol.js";
export { RemoteHost, type Death } from "./remote-host.js";
export { revivedError, sendableError, type SentError } from "./remote-error.js";
export { PeekableQueue } from "./peekable-queue.js";
export { TaskModule } from "./task-module.js";
export { TaskTimings } from "./task-timings.js";
export { startThread } from "./start-thread.js";
export { ThreadHost } from "./thread-host.js";
export { serveJobs } from "./worker-side.js";
