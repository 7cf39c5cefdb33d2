import { availableParallelism } from "node:os";
import { inspect } from "node:util";
import { checkFunction, checkInteger } from "../01-reusable-worker/checks.js";
import { InvalidStateError } from "../01-reusable-worker/errors.js";
import type { AsyncResult, Outcome, ResultCallbacks } from "./async-result.js";
import { checkChunksize, defaultChunksize, splitIntoChunks } from "./chunks.js";
import { BrokenPoolError, PoolTerminatedError } from "./errors.js";
import { ResultStream } from "./result-stream.js";
import { EventLoopRunner } from "./event-loop-runner.js";
import { ApplyResult, MapResult, PoolJob, type JobConsumer, type ReadyCounter } from "./pool-results.js";
import { createRunner, registerRunner, runnerTraits, type Runner, type RunnerTraits, type TaskFunction } from "./runner.js";

registerRunner("event-loop", (options) => new EventLoopRunner(options));

/**
 * The states of a pool, with Python's names: it accepts work while `RUN`;
 * `close()` moves it to `CLOSE` (queued work still runs), `terminate()` to
 * `TERMINATE` (unfinished work is dropped). There is no way back to `RUN`.
 *
 * @example
 * ```ts
 * pool.state; // "RUN"
 * pool.close();
 * pool.state; // "CLOSE"
 * ```
 */
export type PoolState = "RUN" | "CLOSE" | "TERMINATE";

/**
 * The places a pool can run its tasks. This chapter provides `"event-loop"`;
 * `"threads"` and `"processes"` come with chapter 04 and `"postgres"` with
 * chapter 07, each registered with {@link registerRunner} when its module
 * loads. Later chapters add their own options to {@link PoolOptions} the same
 * way, with TypeScript's declaration merging. Any other registered name works
 * too; the four are listed so editors can suggest them.
 *
 * @example
 * ```ts
 * const runIn: RunIn = "event-loop";
 * ```
 */
export type RunIn = "event-loop" | "threads" | "processes" | "postgres" | (string & {});

/**
 * Options of a {@link Pool}.
 *
 * @example
 * ```ts
 * const options: PoolOptions = { initializer: connect, initargs: ["db://local"], maxTasksPerChild: 100 };
 * ```
 */
export interface PoolOptions {
  /** Runs once in each worker before its first task, replacements included. */
  initializer?: TaskFunction | undefined;
  /** The arguments given to `initializer`. */
  initargs?: readonly unknown[] | undefined;
  /** Replace a worker with a fresh one after it has run this many jobs. */
  maxTasksPerChild?: number | undefined;
  /** Where tasks run; `"event-loop"` by default. */
  runIn?: RunIn | undefined;
}

/**
 * Options of `mapAsync` and `starmapAsync`.
 *
 * @example
 * ```ts
 * pool.mapAsync(square, items, { chunksize: 10, callback: (values) => console.log(values) });
 * ```
 */
export interface MapOptions<R> extends ResultCallbacks<R> {
  /** Items per job; by default about four jobs per worker (Python's formula). */
  chunksize?: number | undefined;
}

/** The callbacks of a result made without any: one shared object, not one per call. */
const NO_CALLBACKS: ResultCallbacks<unknown> = Object.freeze({});

function checkIterable(name: string, value: unknown): Iterable<unknown> {
  if (value === null || value === undefined || typeof (value as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${name} must be iterable (an array, a Set, a generator…), got ${inspect(value, { depth: 0 })}`);
  }
  return value as Iterable<unknown>;
}

function checkArgs(name: string, args: unknown): readonly unknown[] {
  if (!Array.isArray(args)) throw new TypeError(`${name} must be an array of arguments, got ${inspect(args, { depth: 0 })}`);
  return args;
}

/** Reads every item now, as Python's `map` does; an iterable that throws midway gives what came before and the error. */
function readAll(iterable: Iterable<unknown>): { items: unknown[]; failure?: { error: unknown } } {
  // An array cannot fail midway; copying it whole is much faster than item by item.
  if (Array.isArray(iterable)) return { items: iterable.slice() };
  const items: unknown[] = [];
  try {
    for (const item of iterable) items.push(item);
    return { items };
  } catch (error) {
    return { items, failure: { error } };
  }
}

/** starmap's items are argument lists; anything else is refused before any work is queued. */
function checkArgLists(items: unknown[]): void {
  items.forEach((item, index) => {
    if (!Array.isArray(item)) {
      throw new TypeError(`starmap needs an array of arguments for each item; item ${index} is ${inspect(item, { depth: 0 })}`);
    }
  });
}

/**
 * A pool of workers that hands results back: Python's `multiprocessing.Pool`
 * and `ThreadPool`, in TypeScript. Submit a function with its arguments and
 * get an {@link AsyncResult}, a promise of all the values of a `map`, or an
 * async iterator over them.
 *
 * Where the tasks run is chosen by `runIn`: on the event loop here; worker
 * threads and child processes in chapter 04; a Postgres job queue in chapter
 * 07. The pool's own rules — its states, its results, callbacks and chunking —
 * are the same everywhere.
 *
 * Where the kit departs from Python, on purpose: a callback that throws fails
 * its own result and nothing else; `mapAsync([])` calls its callback with `[]`;
 * an explicit chunk size below 1 is refused; `terminate()` rejects every
 * unfinished result with {@link PoolTerminatedError}; a worker that cannot
 * start breaks the pool with {@link BrokenPoolError} instead of restarting
 * forever.
 *
 * @example
 * ```ts
 * const pool = new Pool(3);
 * const squares = await pool.map((x: number) => x * x, [1, 2, 3]); // [1, 4, 9]
 * pool.close();
 * await pool.join();
 * ```
 */
export class Pool {
  /** How many tasks run at once. */
  readonly size: number;
  /** Where the tasks run. */
  readonly runIn: string;

  #state: PoolState = "RUN";
  #runner: Runner;
  #pendingResults = 0;
  #allReady: { promise: Promise<void>; resolve(): void } | undefined;
  /** The results are told to count themselves here, so `join()` can wait for them. */
  #counter: ReadyCounter = {
    add: () => {
      this.#pendingResults += 1;
    },
    ready: () => this.#readyOne(),
  };
  #broken: BrokenPoolError | undefined;
  #terminated: Promise<void> | undefined;

  /**
   * Creates the pool and starts all its workers at once, as Python does.
   *
   * @param size - how many tasks run at once; the number of CPUs by default.
   *   A runner may accept 0 (see {@link RunnerTraits}).
   * @param options - initializer, limits, and where tasks run.
   * @throws RangeError `"Number of processes must be at least 1"` for a size
   *   below 1; TypeError `"initializer must be a callable"`; a TypeError or
   *   RangeError naming any other option that is wrong.
   * @example
   * ```ts
   * const pool = new Pool(4, { initializer: (name: string) => console.log("hello", name), initargs: ["worker"] });
   * ```
   */
  constructor(size?: number, options: PoolOptions = {}) {
    const { initializer, initargs = [], maxTasksPerChild, runIn = "event-loop" } = options;
    if (typeof runIn !== "string") throw new TypeError(`runIn must be a string, got ${inspect(runIn, { depth: 0 })}`);
    const { minSize } = runnerTraits(runIn);
    this.size = size === undefined ? availableParallelism() : checkInteger("size", size, minSize, minSize === 1 ? "Number of processes must be at least 1" : undefined);
    if (initializer !== undefined) checkFunction("initializer", initializer, "initializer must be a callable");
    checkArgs("initargs", initargs);
    if (maxTasksPerChild !== undefined) checkInteger("maxTasksPerChild", maxTasksPerChild, 1);
    this.runIn = runIn;
    this.#runner = createRunner(runIn, {
      size: this.size,
      initializer,
      initargs,
      maxTasksPerChild,
      extra: options,
      broken: (error) => this.#break(error),
    });
  }

  /**
   * `"RUN"`, `"CLOSE"` or `"TERMINATE"`.
   *
   * @example
   * ```ts
   * if (pool.state === "RUN") pool.applyAsync(task);
   * ```
   */
  get state(): PoolState {
    return this.#state;
  }

  /**
   * Runs `fn(...args)` on a worker and resolves to its value: Python's `apply`,
   * which blocks; here, await it.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError} `"Pool not running"` after `close()` or
   *   `terminate()`; TypeError for a bad `fn` or `args`.
   * @example
   * ```ts
   * await pool.apply(Math.pow, [2, 10]); // 1024
   * ```
   */
  apply<A extends unknown[], R>(fn: (...args: A) => R, args?: A): Promise<Awaited<R>> {
    return this.applyAsync(fn, args).get();
  }

  /**
   * Queues `fn(...args)` and returns its {@link AsyncResult} at once. The
   * callback (on success) or the error callback (on failure) runs once, before
   * the result becomes ready.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError} `"Pool not running"` after `close()` or
   *   `terminate()`; TypeError for a bad `fn`, `args` or callback. Nothing is
   *   queued when it throws.
   * @example
   * ```ts
   * const result = pool.applyAsync(divide, [1, 0], { errorCallback: (e) => console.error("failed:", e) });
   * await result.wait();
   * result.successful(); // false
   * ```
   */
  applyAsync<A extends unknown[], R>(fn: (...args: A) => R, args?: A, callbacks: ResultCallbacks<Awaited<R>> = NO_CALLBACKS as ResultCallbacks<Awaited<R>>): AsyncResult<Awaited<R>> {
    this.#checkTask(fn);
    const items = [checkArgs("args", args ?? [])];
    const result = new ApplyResult<Awaited<R>>(callbacks, this.#counter);
    this.#runner.submit(new PoolJob(fn, items, true, result, 0));
    return result;
  }

  /**
   * Applies `fn` to every item and resolves to the values in input order,
   * however the jobs finish. Items are sent in chunks (see {@link defaultChunksize}).
   *
   * @throws {@link 01-reusable-worker!InvalidStateError} `"Pool not running"`; TypeError for a bad
   *   `fn` or a value that is not iterable; RangeError for a chunk size below 1.
   * @example
   * ```ts
   * await pool.map((x: number) => x * x, [0, 1, 2, 3]); // [0, 1, 4, 9]
   * ```
   */
  map<T, R>(fn: (item: T) => R, iterable: Iterable<T>, chunksize?: number): Promise<Awaited<R>[]> {
    return this.mapAsync(fn, iterable, { chunksize }).get();
  }

  /**
   * Like {@link Pool.map}, but returns an {@link AsyncResult} of the whole list
   * at once. The callback runs once with the whole list; on failure the error
   * callback runs once with the first error to arrive, after every chunk has
   * finished (Python does not stop early either). An empty input is ready on
   * the next microtask and, unlike Python, still calls the callback, with `[]`.
   *
   * @throws as {@link Pool.map} does.
   * @example
   * ```ts
   * pool.mapAsync(square, [1, 2, 3], { callback: (values) => console.log(values) }); // logs [1, 4, 9]
   * ```
   */
  mapAsync<T, R>(fn: (item: T) => R, iterable: Iterable<T>, options: MapOptions<Awaited<R>[]> = {}): AsyncResult<Awaited<R>[]> {
    this.#checkTask(fn);
    const chunksize = this.#chunksizeOption(options.chunksize);
    const { items, failure } = readAll(checkIterable("iterable", iterable));
    return this.#mapResult(fn, items, false, chunksize, options, failure);
  }

  /**
   * Like {@link Pool.map}, but each item is a list of arguments: `[[1, 2], [3, 4]]`
   * gives `[fn(1, 2), fn(3, 4)]`.
   *
   * @throws as {@link Pool.map} does, and TypeError for an item that is not an array.
   * @example
   * ```ts
   * await pool.starmap(Math.pow, [[2, 3], [3, 2]]); // [8, 9]
   * ```
   */
  starmap<A extends unknown[], R>(fn: (...args: A) => R, iterable: Iterable<A>, chunksize?: number): Promise<Awaited<R>[]> {
    return this.starmapAsync(fn, iterable, { chunksize }).get();
  }

  /**
   * {@link Pool.starmap} returning an {@link AsyncResult}, with the callbacks of
   * {@link Pool.mapAsync}.
   *
   * @throws as {@link Pool.starmap} does.
   * @example
   * ```ts
   * const result = pool.starmapAsync(Math.pow, [[2, 2]]);
   * await result.get(); // [4]
   * ```
   */
  starmapAsync<A extends unknown[], R>(fn: (...args: A) => R, iterable: Iterable<A>, options: MapOptions<Awaited<R>[]> = {}): AsyncResult<Awaited<R>[]> {
    this.#checkTask(fn);
    const chunksize = this.#chunksizeOption(options.chunksize);
    const { items, failure } = readAll(checkIterable("iterable", iterable));
    checkArgLists(items);
    return this.#mapResult(fn, items, true, chunksize, options, failure);
  }

  /**
   * An async iterator over `fn(item)` for every item, in input order: a value
   * is handed out as soon as it and every value before it are ready. Chunks
   * hold one item by default, as in Python.
   *
   * @throws as {@link Pool.map} does.
   * @example
   * ```ts
   * for await (const value of pool.imap(square, [1, 2, 3])) console.log(value); // 1, 4, 9
   * ```
   */
  imap<T, R>(fn: (item: T) => R, iterable: Iterable<T>, chunksize = 1): AsyncIterableIterator<Awaited<R>> {
    return this.#stream(fn, iterable, chunksize, "input order");
  }

  /**
   * Like {@link Pool.imap}, but values come in the order they finish.
   *
   * @throws as {@link Pool.map} does.
   * @example
   * ```ts
   * for await (const value of pool.imapUnordered(fetchPage, urls)) show(value); // fastest first
   * ```
   */
  imapUnordered<T, R>(fn: (item: T) => R, iterable: Iterable<T>, chunksize = 1): AsyncIterableIterator<Awaited<R>> {
    return this.#stream(fn, iterable, chunksize, "completion order");
  }

  /**
   * Stops accepting work. Queued tasks still run; then the workers end.
   * Calling it again, or after `terminate()`, does nothing.
   *
   * @example
   * ```ts
   * pool.close();
   * await pool.join();
   * ```
   */
  close(): void {
    if (this.#state !== "RUN") return;
    this.#state = "CLOSE";
    this.#runner.close();
  }

  /**
   * Stops now: tasks not started are dropped, running workers are stopped
   * where that is possible (a task on the event loop cannot be interrupted and
   * finishes unobserved), and every unfinished result rejects with
   * {@link PoolTerminatedError}. Resolves once the workers have been told to go.
   *
   * @example
   * ```ts
   * const slow = pool.applyAsync(sleepForever);
   * await pool.terminate();
   * await slow.get(); // rejects with PoolTerminatedError
   * ```
   */
  terminate(): Promise<void> {
    if (this.#terminated) return this.#terminated;
    this.#state = "TERMINATE";
    this.#terminated = this.#runner.terminate(new PoolTerminatedError());
    return this.#terminated;
  }

  /**
   * Waits until every result is ready (callbacks included) and every worker has
   * ended. Call `close()` or `terminate()` first.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError} `"Pool is still running"` while the pool is in `RUN`.
   * @example
   * ```ts
   * pool.close();
   * await pool.join(); // every callback has run
   * ```
   */
  join(): Promise<void> {
    if (this.#state === "RUN") throw new InvalidStateError("Pool is still running");
    return this.#waitAllReady().then(() => this.#runner.ended());
  }

  /**
   * What `await using pool = new Pool(…)` calls on leaving its block:
   * `terminate()`, as Python's `with Pool(...)` does. Get your results inside
   * the block, or `close()` and `join()` there.
   *
   * @example
   * ```ts
   * {
   *   await using pool = new Pool(2);
   *   console.log(await pool.map(square, [1, 2]));
   * } // terminated here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  /**
   * Python's `repr`: `<Pool state=RUN pool_size=2>`.
   *
   * @example
   * ```ts
   * String(new Pool(2)); // "<Pool state=RUN pool_size=2 runIn=event-loop>"
   * ```
   */
  toString(): string {
    return `<Pool state=${this.#state} pool_size=${this.size} runIn=${this.runIn}>`;
  }

  /** Shown by `console.log(pool)`. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** Refuses work when the pool cannot take it, and tasks its runner cannot run. */
  #checkTask(fn: unknown): void {
    if (this.#broken) throw this.#broken;
    if (this.#state !== "RUN") throw new InvalidStateError("Pool not running");
    checkFunction("fn", fn);
    this.#runner.check(fn as TaskFunction);
  }

  /** An explicit chunk size is checked before the input is read; undefined means Python's default. */
  #chunksizeOption(chunksize: unknown): number | undefined {
    return chunksize === undefined ? undefined : checkChunksize(chunksize);
  }

  #mapResult<R>(
    fn: TaskFunction,
    items: unknown[],
    star: boolean,
    explicitChunksize: number | undefined,
    callbacks: ResultCallbacks<R[]>,
    failure: { error: unknown } | undefined,
  ): AsyncResult<R[]> {
    // A pool with no local worker (chapter 07's submit-only pool) chunks as if it had one.
    const chunksize = explicitChunksize ?? defaultChunksize(items.length, Math.max(this.size, 1));
    const chunks = failure ? [] : splitIntoChunks(items, chunksize);
    const result = new MapResult<R>(items.length, chunks.length, chunksize, callbacks, this.#counter);
    if (failure) result.settleSoon({ ok: false, error: failure.error });
    else if (chunks.length === 0) result.settleSoon({ ok: true, value: [] });
    chunks.forEach((chunk, index) => this.#runner.submit(new PoolJob(fn, chunk, star, result, index)));
    return result;
  }

  #stream<R>(fn: TaskFunction, iterable: Iterable<unknown>, chunksize: number, order: "input order" | "completion order"): ResultStream<R> {
    this.#checkTask(fn);
    checkChunksize(chunksize);
    const { items, failure } = readAll(checkIterable("iterable", iterable));
    const stream = new ResultStream<R>(order);
    const chunks = splitIntoChunks(items, chunksize);
    // Each chunk counts as a result that join() waits for, until it is delivered.
    const consumer: JobConsumer = {
      jobDone: (index, outcome) => {
        stream.deliver(index, outcome as Outcome<R[]>);
        this.#readyOne();
      },
    };
    this.#pendingResults += chunks.length;
    chunks.forEach((chunk, index) => this.#runner.submit(new PoolJob(fn, chunk, false, consumer, index)));
    stream.expect(chunks.length, failure);
    return stream;
  }

  #readyOne(): void {
    this.#pendingResults -= 1;
    if (this.#pendingResults === 0 && this.#allReady) {
      this.#allReady.resolve();
      this.#allReady = undefined;
    }
  }

  #waitAllReady(): Promise<void> {
    if (this.#pendingResults === 0) return Promise.resolve();
    if (!this.#allReady) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#allReady = { promise, resolve };
    }
    return this.#allReady.promise;
  }

  /** A worker could not start: fail what is pending and refuse what comes. */
  #break(cause: unknown): void {
    if (this.#broken || this.#state === "TERMINATE") return;
    this.#broken = new BrokenPoolError(cause);
    void this.#runner.terminate(this.#broken);
  }
}
