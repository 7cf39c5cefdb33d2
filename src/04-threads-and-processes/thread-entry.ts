/**
 * The entry file of every worker thread of a pool. The pool passes a
 * `MessagePort` in `workerData`; talking over it, rather than `parentPort`,
 * lets the pool read several replies in one go with `receiveMessageOnPort`.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import type { FromWorker, ToWorker } from "./protocol.js";
import { serveJobs } from "./worker-side.js";

const port = (workerData as { port: MessagePort }).port;
serveJobs({
  send: (message: FromWorker) => port.postMessage(message),
  onMessage: (listener: (message: ToWorker) => void) => port.on("message", listener),
});
