/**
 * The far end of the demo's crossing-cost measurements, with no pool in the
 * way: a worker thread or a child process that sends back whatever it is sent.
 *
 * In a thread, a message `{ mode: "transfer", data }` is sent back with the
 * data's buffer in the transfer list, so it moves back as it came; a
 * `{ mode: "shared", data }` message holds a SharedArrayBuffer, and only a
 * word written into it comes back.
 */
import { parentPort } from "node:worker_threads";

type Message = { mode: "copy" | "transfer" | "shared"; data: Float64Array | unknown };

if (parentPort) {
  const port = parentPort;
  port.on("message", (message: Message) => {
    if (message.mode === "transfer") {
      const data = message.data as Float64Array<ArrayBuffer>;
      port.postMessage(message, [data.buffer]);
    } else if (message.mode === "shared") {
      const data = message.data as Float64Array;
      data[0] = data.length; // written into memory both threads see
      port.postMessage("written");
    } else {
      port.postMessage(message);
    }
  });
} else {
  process.on("message", (message) => (process.send as (message: unknown) => boolean)(message));
}
