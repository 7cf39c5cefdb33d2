/**
 * The entry file of every child process of a pool: the same worker loop as a
 * thread's, over the IPC channel that `child_process.fork` opens.
 */
import type { FromWorker, ToWorker } from "./protocol.js";
import { sendableError } from "./remote-error.js";
import { serveJobs } from "./worker-side.js";

const send = (process.send as (message: FromWorker, callback?: (error: Error | null) => void) => boolean).bind(process);

// A thread's uncaught error reaches the pool with its 'error' event; a child
// process's would only reach stderr. So tell the pool why, then die as Node
// would have: the error on stderr and exit code 1.
const dieOf = (error: unknown) => {
  console.error(error);
  const exit = () => process.exit(1);
  setTimeout(exit, 1000).unref();
  try {
    send({ kind: "fatal", error: sendableError(error) }, exit);
  } catch {
    exit();
  }
};
process.on("uncaughtException", dieOf);
process.on("unhandledRejection", dieOf);

serveJobs({
  send: (message: FromWorker) => {
    send(message);
  },
  onMessage: (listener: (message: ToWorker) => void) => process.on("message", listener as (message: unknown) => void),
});
