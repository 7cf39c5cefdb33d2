/**
 * The raw baseline's worker: no pool, no library, just `parentPort` and the
 * shared task module. Each message `{ id, fn, args }` is answered with
 * `{ id, value }` or `{ id, error }`.
 */
import { parentPort } from "node:worker_threads";
import runTask, { type TaskCall } from "./tasks.js";

const port = parentPort;
if (!port) throw new Error("worker-entry.js runs inside a worker thread");
port.on("message", async (message: TaskCall & { id: number }) => {
  try {
    port.postMessage({ id: message.id, value: await runTask(message) });
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
