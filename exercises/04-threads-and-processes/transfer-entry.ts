/**
 * The entry file of exercise 04.2's worker threads: the kit's worker loop,
 * whose replies move the buffers a task marked with `move()`.
 */
import { parentPort } from "node:worker_threads";
import { serveJobs, type FromWorker, type ToWorker } from "pools-by-hand";

if (!parentPort) throw new Error("transfer-entry.js runs in a worker thread started by MovingThreadHost");
const port = parentPort;

serveJobs({
  // TODO(04.2): this copies every reply; move the buffers a task marked, with
  // transferablesIn(message) from ./transfer.js as the transfer list.
  send: (message: FromWorker) => port.postMessage(message),
  onMessage: (listener: (message: ToWorker) => void) => port.on("message", listener),
});
