/**
 * Step 01: a worker you can reuse. An async queue with Python's task accounting
 * (`taskDone`/`join`), and one long-lived worker that takes its tasks from it.
 *
 * @module 01-reusable-worker
 */
export { AsyncQueue, type WaitOptions } from "./async-queue.js";
export { checkFunction, checkInteger, checkSignal, checkTimeout } from "./checks.js";
export { InvalidStateError, QueueEmpty, QueueFull } from "./errors.js";
export { Fifo } from "./fifo.js";
export { ReusableWorker, serve, STOP, type ErrorReporter, type ReusableWorkerOptions, type Task } from "./reusable-worker.js";
