/**
 * The worker thread behind the demos of chapters 00 and 01. Its task is as
 * small as a task can be: send the value it was given straight back, so that
 * whatever a demo measures is the cost of the worker, not of the work.
 *
 * Started with `workerData`, it answers that one task and then has nothing
 * left to do, so it exits by itself, as a Python thread does when its `run()`
 * returns. Started without, it answers every message until it is terminated.
 */
import { parentPort, workerData } from "node:worker_threads";

if (!parentPort) throw new Error("demo-echo-worker runs inside a worker thread: start it with new Worker(...)");
const port = parentPort;

if (workerData !== undefined) port.postMessage(workerData);
else port.on("message", (task: unknown) => port.postMessage(task));
