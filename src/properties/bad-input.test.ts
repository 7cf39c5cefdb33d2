/**
 * The bad-input table: wrong calls across the public API — sizes, options,
 * task types, iterables, timeouts, chunk sizes, calls in the wrong state —
 * each with the exact error type and message it must raise, at the call.
 *
 * Every row runs beside work already accepted: a queue holding two items, a
 * ReusableWorker and a SimplePool with tasks queued, a Pool with three
 * results pending, a thread pool with two. After the wrong call, all of it
 * must still come out whole: a refused call loses nothing that came before.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sleep, within } from "../../testkit/index.js";
import { AsyncQueue, AsyncResult, checkInteger, InvalidStateError, Pool, QueueEmpty, QueueFull, ReusableWorker, SimplePool, type RunIn } from "../index.js";
import { init, square } from "../04-threads-and-processes/fixtures/tasks.js";

const TASKS = new URL("../04-threads-and-processes/fixtures/tasks.js", import.meta.url);
const THROWS_ON_IMPORT = new URL("../04-threads-and-processes/fixtures/throws-on-import.js", import.meta.url);
const later = <T>(value: T, ms = 5) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const double = (x: number) => x * 2;

/** Work accepted before the wrong call, which must survive it. */
interface Accepted {
  queue: AsyncQueue<string>;
  worker: ReusableWorker;
  workerRan: number[];
  simplePool: SimplePool;
  simpleRan: number[];
  pool: Pool;
  results: AsyncResult<number>[];
  threadPool: Pool;
  threadResults: Promise<number>[];
}

let threadPool: Pool;
before(() => {
  threadPool = new Pool(2, { runIn: "threads", tasks: TASKS });
});
after(() => threadPool.terminate());

function accept(): Accepted {
  const queue = new AsyncQueue<string>(2);
  queue.putNowait("a");
  queue.putNowait("b");
  const workerRan: number[] = [];
  const worker = new ReusableWorker();
  for (const n of [1, 2]) worker.applyAsync(() => later(n).then((v) => void workerRan.push(v)));
  const simpleRan: number[] = [];
  const simplePool = new SimplePool(2);
  for (const n of [1, 2, 3]) simplePool.applyAsync(() => later(n).then((v) => void simpleRan.push(v)));
  const pool = new Pool(2);
  const results = [10, 20, 30].map((n) => pool.applyAsync(later, [n]));
  const threadResults = [2, 3].map((n) => threadPool.apply(square, [n]));
  return { queue, worker, workerRan, simplePool, simpleRan, pool, results, threadPool, threadResults };
}

/** Everything accepted before the wrong call comes out whole. */
async function nothingLost(work: Accepted): Promise<void> {
  assert.equal(work.queue.unfinishedTasks, 2, "the queue still counts its two items");
  assert.deepEqual([work.queue.getNowait(), work.queue.getNowait()], ["a", "b"], "the queue's items, in order");
  assert.throws(() => work.queue.getNowait(), QueueEmpty, "and nothing more");
  await within(work.worker.join(), "the worker's tasks");
  assert.deepEqual(work.workerRan, [1, 2]);
  work.simplePool.close();
  await within(work.simplePool.join(), "the SimplePool's tasks");
  assert.deepEqual(work.simpleRan, [1, 2, 3]);
  assert.deepEqual(await within(Promise.all(work.results.map((r) => r.get())), "the Pool's results"), [10, 20, 30]);
  work.pool.close();
  await within(work.pool.join(), "the Pool's join()");
  assert.deepEqual(await within(Promise.all(work.threadResults), "the thread pool's results", 5000), [4, 9]);
}

type ErrorClass = new (...args: never[]) => Error;

interface Row {
  /** The wrong call, as a reader would write it. */
  call: string;
  run(work: Accepted): unknown;
  error: ErrorClass;
  message: string | RegExp;
  /** "at the call" (thrown) unless the kit can only know later (the result rejects). */
  when?: "in the result";
}

const anonymous = (x: number) => x;
function setup(): void {}

const ROWS: Row[] = [
  // AsyncQueue: sizes, timeouts, signals, state
  { call: 'new AsyncQueue("3")', run: () => new AsyncQueue("3" as unknown as number), error: TypeError, message: 'maxsize must be a number, got the string "3"' },
  { call: "new AsyncQueue(1.5)", run: () => new AsyncQueue(1.5), error: RangeError, message: "maxsize must be a whole number, got 1.5" },
  { call: 'queue.put("c", { timeoutMs: -1 })', run: (w) => w.queue.put("c", { timeoutMs: -1 }), error: RangeError, message: "timeoutMs must be a finite number of milliseconds >= 0, got -1" },
  { call: 'queue.put("c", { timeoutMs: "10" })', run: (w) => w.queue.put("c", { timeoutMs: "10" as unknown as number }), error: TypeError, message: 'timeoutMs must be a number of milliseconds, got the string "10"' },
  { call: "queue.get({ timeoutMs: Infinity })", run: (w) => w.queue.get({ timeoutMs: Infinity }), error: RangeError, message: "timeoutMs must be a finite number of milliseconds >= 0, got Infinity" },
  { call: 'queue.get({ signal: "stop" })', run: (w) => w.queue.get({ signal: "stop" as unknown as AbortSignal }), error: TypeError, message: 'signal must be an AbortSignal, got the string "stop"' },
  { call: 'queue.putNowait("c") on a full queue', run: (w) => w.queue.putNowait("c"), error: QueueFull, message: "the queue is full" },
  { call: "new AsyncQueue().getNowait() (empty)", run: () => new AsyncQueue().getNowait(), error: QueueEmpty, message: "the queue is empty" },
  { call: "new AsyncQueue().taskDone() (nothing unfinished)", run: () => new AsyncQueue().taskDone(), error: InvalidStateError, message: "task_done() called too many times" },
  // ReusableWorker
  { call: "new ReusableWorker({ onError: 42 })", run: () => new ReusableWorker({ onError: 42 as unknown as () => void }), error: TypeError, message: "onError must be a function, got 42" },
  { call: 'worker.applyAsync("task")', run: (w) => w.worker.applyAsync("task" as unknown as () => void), error: TypeError, message: 'task must be a function, got the string "task"' },
  // SimplePool: sizes, options, task types, state
  { call: "new SimplePool(0)", run: () => new SimplePool(0), error: RangeError, message: "Number of processes must be at least 1" },
  { call: "new SimplePool(2.5)", run: () => new SimplePool(2.5), error: RangeError, message: "size must be a whole number, got 2.5" },
  { call: "new SimplePool(2, { timeline: {} })", run: () => new SimplePool(2, { timeline: {} as never }), error: TypeError, message: "timeline must be a Timeline" },
  { call: 'new SimplePool(2, { onError: "log" })', run: () => new SimplePool(2, { onError: "log" as never }), error: TypeError, message: 'onError must be a function, got the string "log"' },
  { call: "simplePool.applyAsync(null)", run: (w) => w.simplePool.applyAsync(null as never), error: TypeError, message: "task must be a function, got null" },
  { call: "simplePool.join() while it runs", run: (w) => w.simplePool.join(), error: InvalidStateError, message: "Pool is still running" },
  { call: "simplePool.applyAsync(task) after close()", run: (w) => (w.simplePool.close(), w.simplePool.applyAsync(() => 1)), error: InvalidStateError, message: "Pool not running" },
  // Pool: sizes and options
  { call: "new Pool(0)", run: () => new Pool(0), error: RangeError, message: "Number of processes must be at least 1" },
  { call: 'new Pool("2")', run: () => new Pool("2" as unknown as number), error: TypeError, message: 'size must be a number, got the string "2"' },
  { call: "new Pool(Infinity)", run: () => new Pool(Infinity), error: RangeError, message: "size must be a whole number, got Infinity" },
  { call: "new Pool(2, { initializer: 5 })", run: () => new Pool(2, { initializer: 5 as never }), error: TypeError, message: "initializer must be a callable" },
  { call: 'new Pool(2, { initargs: "x" })', run: () => new Pool(2, { initargs: "x" as never }), error: TypeError, message: "initargs must be an array of arguments, got 'x'" },
  { call: "new Pool(2, { maxTasksPerChild: 0 })", run: () => new Pool(2, { maxTasksPerChild: 0 }), error: RangeError, message: "maxTasksPerChild must be at least 1, got 0" },
  { call: 'new Pool(2, { runIn: "gpu" })', run: () => new Pool(2, { runIn: "gpu" as RunIn }), error: RangeError, message: /^runIn must be one of "event-loop", "threads", "processes".*, got "gpu"$/ },
  { call: "new Pool(2, { runIn: 5 })", run: () => new Pool(2, { runIn: 5 as never }), error: TypeError, message: "runIn must be a string, got 5" },
  // Pool: task types, arguments, iterables, chunk sizes, callbacks
  { call: "pool.apply(42)", run: (w) => w.pool.apply(42 as never), error: TypeError, message: "fn must be a function, got 42" },
  { call: 'pool.applyAsync(double, "x")', run: (w) => w.pool.applyAsync(double, "x" as never), error: TypeError, message: "args must be an array of arguments, got 'x'" },
  { call: "pool.map(double, 42)", run: (w) => w.pool.map(double, 42 as never), error: TypeError, message: "iterable must be iterable (an array, a Set, a generator…), got 42" },
  { call: "pool.imap(double, { length: 2 })", run: (w) => w.pool.imap(double, { length: 2 } as never), error: TypeError, message: "iterable must be iterable (an array, a Set, a generator…), got { length: 2 }" },
  { call: "pool.map(double, [1], 0)", run: (w) => w.pool.map(double, [1], 0), error: RangeError, message: "Chunksize must be 1+, not 0" },
  { call: "pool.imapUnordered(double, [1], 1.5)", run: (w) => w.pool.imapUnordered(double, [1], 1.5), error: RangeError, message: "chunksize must be a whole number, got 1.5" },
  { call: 'pool.mapAsync(double, [1], { chunksize: "2" })', run: (w) => w.pool.mapAsync(double, [1], { chunksize: "2" as never }), error: TypeError, message: 'chunksize must be a number, got the string "2"' },
  { call: "pool.starmap(Math.max, [[1], 2])", run: (w) => w.pool.starmap(Math.max, [[1], 2] as never), error: TypeError, message: "starmap needs an array of arguments for each item; item 1 is 2" },
  { call: 'pool.applyAsync(double, [1], { callback: "x" })', run: (w) => w.pool.applyAsync(double, [1], { callback: "x" as never }), error: TypeError, message: 'callback must be a function, got the string "x"' },
  { call: "pool.mapAsync(double, [1], { errorCallback: 1 })", run: (w) => w.pool.mapAsync(double, [1], { errorCallback: 1 as never }), error: TypeError, message: "errorCallback must be a function, got 1" },
  {
    call: "pool.map(double, an iterable that throws after one item)",
    run: (w) =>
      w.pool.map(
        double,
        (function* () {
          yield 1;
          throw new RangeError("the input ran dry");
        })(),
      ),
    error: RangeError,
    message: "the input ran dry",
    when: "in the result",
  },
  // AsyncResult: timeouts and state
  { call: "result.get(-5)", run: (w) => w.results[0]?.get(-5), error: RangeError, message: "timeoutMs must be a finite number of milliseconds >= 0, got -5" },
  { call: "result.wait(NaN)", run: (w) => w.results[0]?.wait(Number.NaN), error: RangeError, message: "timeoutMs must be a finite number of milliseconds >= 0, got NaN" },
  { call: "result.successful() before it is ready", run: (w) => w.results[0]?.successful(), error: InvalidStateError, message: "the result is not ready yet" },
  // Pool: calls in the wrong state
  { call: "pool.join() while it runs", run: (w) => w.pool.join(), error: InvalidStateError, message: "Pool is still running" },
  { call: "pool.apply(double, [1]) after close()", run: (w) => (w.pool.close(), w.pool.apply(double, [1])), error: InvalidStateError, message: "Pool not running" },
  { call: "pool.imap(double, [1]) after close()", run: (w) => (w.pool.close(), w.pool.imap(double, [1])), error: InvalidStateError, message: "Pool not running" },
  // Threads and processes: the tasks option and functions that cannot travel
  {
    call: 'new Pool(1, { runIn: "threads" }) without tasks',
    run: () => new Pool(1, { runIn: "threads" }),
    error: TypeError,
    message: "a pool that runs tasks in threads or processes needs the `tasks` option: the path or URL of the module that exports its task functions",
  },
  { call: 'new Pool(1, { runIn: "processes", tasks: 42 })', run: () => new Pool(1, { runIn: "processes", tasks: 42 as never }), error: TypeError, message: "tasks must be a path or a file: URL, got 42" },
  { call: 'new Pool(1, { runIn: "threads", tasks: "/no/such/tasks.js" })', run: () => new Pool(1, { runIn: "threads", tasks: "/no/such/tasks.js" }), error: TypeError, message: "tasks names no file: /no/such/tasks.js" },
  {
    call: 'new Pool(1, { runIn: "threads", tasks: a module that throws on import })',
    run: () => new Pool(1, { runIn: "threads", tasks: THROWS_ON_IMPORT }),
    error: Error,
    message: `the tasks module ${THROWS_ON_IMPORT.href} could not be loaded`,
  },
  {
    call: "new Pool(1, { runIn: \"threads\", tasks, initializer: setup }) (not an export)",
    run: () => new Pool(1, { runIn: "threads", tasks: TASKS, initializer: setup }),
    error: TypeError,
    message: `the function setup cannot be sent to a worker: it is not an export of ${TASKS.href}. Workers find a task by its module and export name, as Python pickles a function by reference (module and name), so lambdas, closures and methods cannot be sent. Export it from the tasks module.`,
  },
  {
    call: 'new Pool(2, { runIn: "processes", tasks, initializer: init, initargs: [() => 1] })',
    run: () => new Pool(2, { runIn: "processes", tasks: TASKS, initializer: init, initargs: [() => 1] }),
    error: TypeError,
    message: "initargs cannot be sent to a worker: () => 1 could not be cloned.",
  },
  {
    call: "threadPool.apply((x) => x, [1]) (a lambda)",
    run: (w) => w.threadPool.apply((x: number) => x, [1]),
    error: TypeError,
    message: /^an anonymous function cannot be sent to a worker: it is not an export of .*fixtures\/tasks\.js\./,
  },
  {
    call: "threadPool.map(anonymous, [1]) (a local function)",
    run: (w) => w.threadPool.map(anonymous, [1]),
    error: TypeError,
    message: /^the function anonymous cannot be sent to a worker/,
  },
  // The argument checks the kit exports
  { call: 'checkInteger("workers", 2, 3)', run: () => checkInteger("workers", 2, 3), error: RangeError, message: "workers must be at least 3, got 2" },
];

describe("bad input: each wrong call is refused with its type and message, and loses nothing accepted before it", () => {
  for (const row of ROWS) {
    const message = typeof row.message === "string" ? row.message : row.message.source;
    test(`${row.call} → ${row.error.name} ${row.when ?? "at the call"}: ${message}`, async () => {
      const work = accept();
      const check = (error: unknown) => {
        assert.equal(Object.getPrototypeOf(error), row.error.prototype, `the error's type: ${String(error)}`);
        if (typeof row.message === "string") assert.equal((error as Error).message, row.message);
        else assert.match((error as Error).message, row.message);
        return true;
      };
      if (row.when === "in the result") {
        let result: unknown;
        assert.doesNotThrow(() => (result = row.run(work)), "the call itself returns");
        await assert.rejects(within(result as Promise<unknown>, `the result of ${row.call}`), check);
      } else {
        assert.throws(() => row.run(work), check);
      }
      await sleep(1);
      await nothingLost(work);
    });
  }
  test(`the table has at least 25 rows (it has ${ROWS.length})`, () => assert.ok(ROWS.length >= 25));
});
