/**
 * The entry file of every child process of a pool: the same worker loop as a
 * thread's, over the IPC channel that `child_process.fork` opens.
 */
import type { FromWorker, ToWorker } from "./protocol.js";
import { serveJobs } from "./worker-side.js";

serveJobs({
  send: (message: FromWorker) => {
    (process.send as (message: unknown) => boolean)(message);
  },
  onMessage: (listener: (message: ToWorker) => void) => process.on("message", listener as (message: unknown) => void),
});
