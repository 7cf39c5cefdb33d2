/**
 * Chapter 03's demo (`npm run demo -- 03`): seed 004's `multiprocessing.Pool`
 * examples reproduced one by one on the kit's {@link Pool}, each followed by a
 * one-line summary of what the article's Python printed; then seed 000's two
 * callback styles; then what results cost per task when tasks are tiny.
 *
 * The article's tasks sleep for a second; here they wait `TICK` ms, so
 * the whole demo takes a few seconds. Tasks run on the event loop (the pool's
 * default `runIn`); threads and processes are chapter 04.
 */
import { isMainThread } from "node:worker_threads";
import { AsyncQueue } from "../01-reusable-worker/index.js";
import { AsyncResult, EventLoopRunner, Pool, defaultChunksize, type Job } from "./index.js";

const STOP = Symbol("stop");

/** The article's one second, scaled down. */
const TICK = 100;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const say = (text: string) => console.log(`   ${text}`);
const python = (first: string, ...more: string[]) => console.log(`   Python: ${[first, ...more].join("\n           ")}\n`);
const heading = (text: string) => console.log(`${text}`);
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
const clock = () => {
  const start = performance.now();
  return () => Math.round(performance.now() - start);
};

/** Seed 004's task: says it runs, waits, says it is done, returns its name. */
async function task(name: number): Promise<number> {
  say(`${name} is running`);
  await sleep(TICK);
  say(`${name} is done`);
  return name;
}

/** The same task, failing for name 2. JavaScript's `1 / 0` is `Infinity`, so the failure is thrown by hand. */
async function failingTask(name: number): Promise<number> {
  say(`${name} is running`);
  await sleep(TICK);
  if (name === 2) throw new RangeError("division by zero");
  say(`${name} is done`);
  return name;
}

/** Seed 004's `func2`: reports which process and thread the callback runs in. */
function whereAmI(value: unknown, more = ""): void {
  say(`callback(${JSON.stringify(value)}) in pid ${process.pid}, ${isMainThread ? "the main thread" : "a worker thread"}${more}`);
}

async function applyAsyncWithCallback(): Promise<void> {
  heading("1. applyAsync with a callback (seed 004, 3-1-1-1)");
  const elapsed = clock();
  const pool = new Pool(5);
  for (let i = 1; i <= 4; i++) {
    const result: AsyncResult<number> = pool.applyAsync(task, [i], {
      callback: (value) => whereAmI(value, `; ready() inside the callback: ${result.ready()}`),
    });
  }
  pool.close();
  await pool.join();
  say(`main: join() returned after ${elapsed()} ms, every callback done`);
  python(`four "is running", four "is done" (in the order 1 2 4 3), then the four callbacks, a second apart, all in`, `MainProcess, then 主 (main).`);
}

async function errorCallback(): Promise<void> {
  heading("2. the error callback receives the division-by-zero error (seed 004, 3-1-3-1)");
  const pool = new Pool(5);
  for (let i = 1; i <= 4; i++) {
    pool.applyAsync(failingTask, [i], {
      callback: (value) => whereAmI(value),
      errorCallback: (error) => say(`errorCallback: ${describe(error)}`),
    });
  }
  pool.close();
  await pool.join();
  say("main");
  python(`1, 3 and 4 "is done"; callbacks for 1 and 3, then "division by zero" from the error callback, then 4; then 主.`);
}

async function mapAsyncWithAndWithoutError(): Promise<void> {
  heading("3. mapAsync: one callback with the whole list; with an error, one error callback (seed 004, 3-1-1-2 and 3-1-3-3)");
  say(`defaultChunksize(4 items, 5 workers) = ${defaultChunksize(4, 5)}: one item per job`);
  const pool = new Pool(5);
  pool.mapAsync(task, [1, 2, 3, 4], { callback: (values) => whereAmI(values) });
  pool.close();
  await pool.join();
  python(`four "is running", four "is done", then one callback with [1, 2, 3, 4] in MainProcess.`);

  const elapsed = clock();
  const failing = new Pool(5);
  let errorAt = 0;
  failing.mapAsync(failingTask, [1, 2, 3, 4], {
    callback: () => say("(never printed: the callback does not run when an item failed)"),
    errorCallback: (error) => {
      errorAt = elapsed();
      say(`errorCallback: ${describe(error)}`);
    },
  });
  failing.close();
  await failing.join();
  say(`the error callback ran once, at ${errorAt} ms, after every item had finished; the callback never ran`);
  python(`1, 3 and 4 "is done", then "division by zero" once; no callback; then 主.`);
}

async function imapOrders(): Promise<void> {
  heading("4. imap vs imapUnordered (seed 004, 3-1-1-4 and 3-1-1-5)");
  // The article's tasks take no time; here each item waits a different time, so the two orders differ visibly.
  const wait: Record<number, number> = { 1: 40, 2: 10, 3: 30, 4: 20 };
  say(`item 1 takes ${wait[1]} ms, 2 takes ${wait[2]}, 3 takes ${wait[3]}, 4 takes ${wait[4]}`);
  const ok = async (name: number) => (await sleep(wait[name] as number), `${name} OK`);
  for (const method of ["imap", "imapUnordered"] as const) {
    const pool = new Pool(5);
    const elapsed = clock();
    const seen: string[] = [];
    for await (const value of pool[method](ok, [1, 2, 3, 4])) seen.push(`${value} (${elapsed()} ms)`);
    say(`${method.padEnd(13)} ${seen.join(" · ")}`);
    pool.close();
    await pool.join();
  }
  python(`imap gave 1 OK, 2 OK, 3 OK, 4 OK; imap_unordered gave 1 OK, 3 OK, 2 OK, 4 OK, in the order they finished.`);
}

async function readyAfterJoin(): Promise<void> {
  heading("5. ready, successful and get after close and join (seed 004, 3-1-4-1 to 3-1-4-3)");
  const okName = async (name: number) => (await sleep(TICK / 10), `${name} OK`);
  const failName = async (name: number) => {
    await sleep(TICK / 10);
    if (name === 2) throw new RangeError("division by zero");
    return `${name} OK`;
  };
  for (const [label, fn, callback] of [
    ["no error", okName, undefined],
    ["task 2 fails", failName, undefined],
    ["a callback that returns value + '<<<'", okName, (value: string) => `${value}<<<`],
  ] as const) {
    const pool = new Pool(5);
    const results = [1, 2, 3, 4].map((i) => pool.applyAsync(fn, [i], { callback }));
    if (label === "no error") {
      try {
        results[0]?.successful();
      } catch (error) {
        say(`before join: successful() throws ${describe(error)}`);
      }
    }
    pool.close();
    await pool.join();
    const lines: string[] = [];
    for (const result of results) {
      const got = await result.get().then(
        (value) => JSON.stringify(value),
        (error: unknown) => `rejects with ${describe(error)}`,
      );
      lines.push(`ready ${result.ready()}, successful ${result.successful()}, get ${got}`);
    }
    say(`${label}:`);
    for (const line of lines) say(`  ${line}`);
  }
  python(
    `no error: True, True, "1 OK" and so on for all four; task 2 failing: True, True, "1 OK", then True, False, and`,
    `get() raised ZeroDivisionError with a RemoteTraceback and the program stopped; a callback's return value`,
    `changed nothing: get() still gave "1 OK" to "4 OK".`,
  );

  const pool = new Pool(1);
  const slow = pool.applyAsync(async () => (await sleep(TICK / 2), "late"));
  const early = await slow.get(5).catch((error: unknown) => describe(error));
  say(`get(5) on a 50 ms task: ${early}; a later get(): ${JSON.stringify(await slow.get())}`);
  pool.close();
  await pool.join();
  python(`the article does not try a timeout; Python's get(timeout) raises multiprocessing.TimeoutError the same way.`);
}

/** Seed 000's task: the sum of start..end, by counting. */
function sum(start: number, end: number): number {
  let total = 0;
  for (let i = start; i <= end; i++) total += i;
  return total;
}

async function twoCallbackStyles(): Promise<void> {
  heading("6. the old threadpool's callback(request, result) vs multiprocessing's callback(result) (seed 000)");
  const ranges = Array.from({ length: 10 }, (_, i): [number, number] => [i * 10 ** 7 + 1, 10 ** 7 * (i + 1)]);

  // The old module hands the callback the request too; multiprocessing hands it only the value,
  // so the kit's callback carries the request by closing over it when you want it.
  let oldStyleTotal = 0;
  const seen: string[] = [];
  const onResultOld = (request: { args: [number, number] }, partial: number) => {
    oldStyleTotal += partial;
    if (seen.length < 1) seen.push(`onResult({ args: [${request.args.join(", ")}] }, ${partial})`);
  };
  let total = 0;
  const onResult = (partial: number) => (total += partial);

  const elapsed = clock();
  const pool = new Pool(10);
  for (const args of ranges) {
    pool.applyAsync(sum, args, { callback: (partial) => onResultOld({ args }, partial) });
    pool.applyAsync(sum, args, { callback: onResult });
  }
  pool.close();
  await pool.join();
  say(`request and result: ${seen.join(", ")}, …  total ${oldStyleTotal}`);
  say(`result only:        onResult(50000005000000), …                          total ${total}`);
  say(`20 sums of 10^7 numbers on 10 event-loop workers took ${elapsed()} ms: one thread computes them one after another`);
  python(`both programs printed 5000000050000000; the threadpool one needed makeRequests and putRequest first.`);
}

/** Runs every row `rounds` times, interleaved, and prints each row's median; the first round only warms up. */
async function compare(rows: [string, () => Promise<unknown>][], rounds: number, count: number): Promise<void> {
  const times = rows.map((): number[] => []);
  for (let round = 0; round <= rounds; round++) {
    for (const [index, [, body]] of rows.entries()) {
      const start = performance.now();
      await body();
      if (round > 0) times[index]?.push(performance.now() - start);
    }
  }
  for (const [index, [label]] of rows.entries()) {
    const sorted = (times[index] as number[]).sort((a, b) => a - b);
    const ms = sorted[Math.floor(sorted.length / 2)] as number;
    say(`${label.padEnd(58)} ${ms.toFixed(1).padStart(6)} ms  ${((ms * 1000) / count).toFixed(2).padStart(5)} µs/task`);
  }
}

/** Jobs for a runner: `fn(i)` for each i, all reporting to one counter that resolves `all` after the last. */
function makeJobs(fn: (x: number) => unknown, count: number): { jobs: Job[]; all: Promise<void> } {
  let left = count;
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  const done = () => {
    left -= 1;
    if (left === 0) resolve();
  };
  return { jobs: Array.from({ length: count }, (_, i) => ({ fn, items: [i], star: false, done })), all };
}

/** The same jobs run by the event-loop runner, whose woken slots drain the queue. */
async function onRunner(fn: (x: number) => unknown, count: number): Promise<void> {
  const runner = new EventLoopRunner({ size: 2, initargs: [], extra: {}, broken: console.error });
  const { jobs, all } = makeJobs(fn, count);
  for (const job of jobs) runner.submit(job);
  await all;
  runner.close();
  await runner.ended();
}

/** The same jobs run the way of chapters 01-02: two workers, each looping on `await queue.get()`. */
async function onQueueLoops(fn: (x: number) => unknown, count: number): Promise<void> {
  const queue = new AsyncQueue<Job | typeof STOP>();
  const worker = async () => {
    for (let job = await queue.get(); job !== STOP; job = await queue.get()) {
      const values: unknown[] = [];
      try {
        for (const item of job.items) values.push(await job.fn(item));
        job.done({ ok: true, value: values });
      } catch (error) {
        job.done({ ok: false, error });
      }
    }
  };
  const { jobs, all } = makeJobs(fn, count);
  const workers = [worker(), worker()];
  for (const job of jobs) queue.putNowait(job);
  queue.putNowait(STOP);
  queue.putNowait(STOP);
  await Promise.all([all, ...workers]);
}

async function costOfTinyTasks(): Promise<void> {
  const count = 20_000;
  const rounds = 9;
  const inc = (x: number) => x + 1;
  const asyncInc = async (x: number) => x + 1;
  heading(`7. what it costs: ${count.toLocaleString("en")} tiny tasks on 2 workers, median of ${rounds} interleaved rounds`);
  say("dispatch alone: the same jobs, no AsyncResult");
  await compare(
    [
      ["event-loop runner (a slot drains the queue), sync", () => onRunner(inc, count)],
      ["two loops on `await queue.get()`, sync", () => onQueueLoops(inc, count)],
      ["event-loop runner, async", () => onRunner(asyncInc, count)],
      ["two loops on `await queue.get()`, async", () => onQueueLoops(asyncInc, count)],
    ],
    rounds,
    count,
  );
  say("through the Pool, async task");
  const items = Array.from({ length: count }, (_, i) => i);
  const onPool = (body: (pool: Pool) => Promise<unknown>) => async () => {
    const pool = new Pool(2);
    await body(pool);
    pool.close();
    await pool.join();
  };
  await compare(
    [
      ["applyAsync(...).get(), one AsyncResult per task", onPool((pool) => Promise.all(items.map((x) => pool.applyAsync(asyncInc, [x]).get())))],
      ["imapUnordered, chunksize 1", onPool(async (pool) => {
        for await (const _ of pool.imapUnordered(asyncInc, items));
      })],
      ["map, chunksize 1", onPool((pool) => pool.map(asyncInc, items, 1))],
      [`map, default chunksize (${defaultChunksize(count, 2)})`, onPool((pool) => pool.map(asyncInc, items))],
    ],
    rounds,
    count,
  );
}

console.log("Chapter 03 · results, callbacks and error callbacks");
console.log(`Seed 004's examples on the kit's Pool; the article's one-second sleeps are ${TICK} ms here.\n`);
await applyAsyncWithCallback();
await errorCallback();
await mapAsyncWithAndWithoutError();
await imapOrders();
await readyAfterJoin();
await twoCallbackStyles();
await costOfTinyTasks();
