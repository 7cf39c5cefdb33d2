/**
 * Chapter 01's demo. First seed 002's reusable thread: three tasks fed to one
 * long-lived worker, printed as they run, then `join()`. Then the other half of
 * the story: a Node `Worker`, like a Python thread, runs once; after it exits
 * nothing can make it run again.
 *
 * Run it with `npm run demo -- 01`.
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { ReusableWorker } from "./index.js";

const started = performance.now();
const log = (text: string) => console.log(`  ${`+${Math.round(performance.now() - started)} ms`.padStart(8)}  ${text}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

console.log("One ReusableWorker, three tasks (seed 002 runs fn1, fn2, fn1 on one thread):\n");
const worker = new ReusableWorker();
const fn1 = () => log("fn1 prints 1");
const fn2 = async () => {
  log("fn2 starts, then waits 100 ms");
  await sleep(100);
  log("fn2 prints 2");
};
worker.applyAsync(fn1);
worker.applyAsync(fn2);
worker.applyAsync(fn1);
log("three tasks queued: applyAsync() returned at once");
await worker.join();
log("join() resolved: the last task called taskDone()");

console.log("\nA Node Worker runs once, like a Python thread:\n");
const ECHO = new URL("../00-why-pools/demo-echo-worker.js", import.meta.url);
const row = (call: string, what: string) => console.log(`  ${call.padEnd(42)} ${what}`);

const thread = new Worker(ECHO, { workerData: "hello" });
const exited = once(thread, "exit");
const [answer] = (await once(thread, "message")) as [string];
const [code] = (await exited) as [number];
row(`new Worker(echo, { workerData: "hello" })`, `answered "${answer}", then exited with code ${code}`);
row("worker.start", `${String((thread as unknown as Record<string, unknown>).start)}: there is no start() to call again`);
row("worker.threadId", `${thread.threadId} now that it has exited`);

let late = false;
thread.on("message", () => (late = true));
const returned = thread.postMessage("again");
await sleep(200);
row(`worker.postMessage("again")`, `returned ${String(returned)}, threw nothing, ${late ? "and was answered" : "and was dropped"}`);
row("worker.terminate()", `resolved ${String(await thread.terminate())}: nothing left to stop`);

const fresh = new Worker(ECHO, { workerData: "again" });
const [again] = (await once(fresh, "message")) as [string];
row(`new Worker(echo, { workerData: "again" })`, `answered "${again}": to run again, make a new Worker`);
