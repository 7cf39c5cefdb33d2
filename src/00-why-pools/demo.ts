/**
 * Chapter 00's demo: why pools exist. The same 200 tiny tasks are run twice,
 * once with a new worker thread per task and once with one worker reused for
 * all of them; then it shows what each worker holds while it lives, and why
 * only CPU-bound work needs another thread at all.
 *
 * Run it with `npm run demo -- 00`.
 */
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

const ECHO = new URL("./demo-echo-worker.js", import.meta.url);
const TASKS = 200;
const RUNS = 3;

/** Each task starts a Worker, gets its answer and waits for it to exit, as a thread per task would. */
async function newWorkerPerTask(tasks: number): Promise<number> {
  const started = performance.now();
  for (let task = 0; task < tasks; task++) {
    const worker = new Worker(ECHO, { workerData: task });
    const exited = once(worker, "exit");
    await once(worker, "message");
    await exited;
  }
  return performance.now() - started;
}

/** One Worker, started once, answers every task in turn; starting and stopping it is counted too. */
async function oneWorkerReused(tasks: number): Promise<number> {
  const started = performance.now();
  const worker = new Worker(ECHO);
  for (let task = 0; task < tasks; task++) {
    worker.postMessage(task);
    await once(worker, "message");
  }
  await worker.terminate();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** How many operating-system threads this process runs; Linux tells, other systems may not. */
function osThreads(): number | undefined {
  if (!existsSync("/proc/self/status")) return undefined;
  const count = /^Threads:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  return count === undefined ? undefined : Number(count);
}

/** What `count` idle Workers add to this process: memory (RSS) and operating-system threads. */
async function whatWorkersHold(count: number): Promise<{ mbEach: number; threadsEach: number | undefined }> {
  const rssBefore = process.memoryUsage().rss;
  const threadsBefore = osThreads();
  const workers = Array.from({ length: count }, () => new Worker(ECHO));
  // A worker has loaded its module once it has answered a message.
  const answers = workers.map((worker) => once(worker, "message"));
  for (const worker of workers) worker.postMessage("ready?");
  await Promise.all(answers);
  const mbEach = (process.memoryUsage().rss - rssBefore) / count / 2 ** 20;
  const threadsAfter = osThreads();
  const threadsEach = threadsBefore === undefined || threadsAfter === undefined ? undefined : (threadsAfter - threadsBefore) / count;
  await Promise.all(workers.map((worker) => worker.terminate()));
  return { mbEach, threadsEach };
}

/** Starts `count` copies of `task` together on this thread and times them all. */
async function allAtOnce(count: number, task: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, task));
  return performance.now() - started;
}

const waitFor = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));
const computeFor = (ms: number) => async () => {
  const end = performance.now() + ms;
  while (performance.now() < end); // busy: the thread can do nothing else meanwhile
};

const ms = (value: number) => `${value.toFixed(value < 1 ? 2 : value < 100 ? 1 : 0)} ms`.padStart(9);

// Memory first, while the process holds nothing else that could blur the figure.
const held = await whatWorkersHold(8);

console.log(`${TASKS} tiny tasks (each sends a number to a worker thread and gets it back)`);
console.log(`median of ${RUNS} runs after a warm-up, starting and stopping the workers included`);
console.log(`(the slow row starts ${RUNS * TASKS} Workers one after another: give it a moment)\n`);
await newWorkerPerTask(10); // warm-up: load the worker file, let the JIT settle
await oneWorkerReused(10);
const perTask: number[] = [];
const reused: number[] = [];
for (let run = 0; run < RUNS; run++) {
  perTask.push(await newWorkerPerTask(TASKS));
  reused.push(await oneWorkerReused(TASKS));
}
const [slow, fast] = [median(perTask), median(reused)];
console.log(`  a new Worker per task  ${ms(slow)}  ${ms(slow / TASKS)} a task`);
console.log(`  one Worker, reused     ${ms(fast)}  ${ms(fast / TASKS)} a task`);
console.log(`  reusing one Worker is ${Math.round(slow / fast)}× faster\n`);

const threads = held.threadsEach === undefined ? "" : ` and ${held.threadsEach} OS thread${held.threadsEach === 1 ? "" : "s"}`;
console.log(`each live Worker holds ${held.mbEach.toFixed(1)} MB of memory (RSS)${threads}, measured on 8 idle ones\n`);

const waits = await allAtOnce(4, waitFor(50));
const computes = await allAtOnce(4, computeFor(50));
console.log("4 tasks of 50 ms each, started together on this thread alone:");
console.log(`  waiting (IO-bound, a timer)        ${ms(waits)}  the waits overlap`);
console.log(`  computing (CPU-bound, a busy loop) ${ms(computes)}  one after another`);
