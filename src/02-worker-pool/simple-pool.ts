import { AsyncQueue, serve, STOP, type ErrorReporter, type Task } from "../01-reusable-worker/index.js";
import { checkFunction, checkInteger } from "../01-reusable-worker/checks.js";
import { InvalidStateError } from "../01-reusable-worker/errors.js";
import { Timeline } from "./timeline.js";

/**
 * Where a {@link SimplePool} is in its life, named as Python's `Pool` names it:
 * `"RUN"` accepts tasks; `"CLOSE"` accepts no more and finishes the ones it has.
 *
 * @example
 * ```ts
 * const state: SimplePoolState = pool.state; // "RUN" until close()
 * ```
 */
export type SimplePoolState = "RUN" | "CLOSE";

/**
 * Options for {@link SimplePool}.
 *
 * @example
 * ```ts
 * const options: SimplePoolOptions = { onError: (error) => failures.push(error), timeline: new Timeline() };
 * ```
 */
export interface SimplePoolOptions {
  /** Told about each task that throws or rejects. Defaults to `console.error`. */
  onError?: ErrorReporter | undefined;
  /**
   * Records which worker ran which task, from when to when. Without one the
   * pool records nothing and pays nothing.
   */
  timeline?: Timeline | undefined;
}

/**
 * A fixed number of workers taking tasks from one shared queue: the
 * TypeScript twin of seed 002's hand-made `ThreadPool(n)` and of the
 * `Pool(3)` that seed 003 feeds nine tasks.
 *
 * Each worker is a {@link 01-reusable-worker!serve | serve} loop on the same
 * {@link 01-reusable-worker!AsyncQueue | AsyncQueue}: whichever worker is free takes the
 * oldest task, so the load balances itself and tasks start in the order they
 * were given. At most `size` tasks run at once.
 *
 * Python's rules for shutting down: `close()` refuses new tasks and lets the
 * queued ones finish, `join()` waits for the workers to exit, and `join()`
 * before `close()` is an error, because a worker only exits when told to.
 * Workers run on the event loop, so they overlap tasks that wait (timers,
 * sockets, files), not tasks that compute: those need threads (chapter 04).
 *
 * @example
 * ```ts
 * const pool = new SimplePool(3);
 * for (let i = 0; i < 9; i++) pool.applyAsync(() => sleep(1000));
 * pool.close();
 * await pool.join(); // about 3 s: three waves of three
 * ```
 */
export class SimplePool {
  #queue = new AsyncQueue<Task | typeof STOP>();
  #onError: ErrorReporter;
  #timeline: Timeline | undefined;
  #state: SimplePoolState = "RUN";
  #loops: Promise<void>[] = [];
  #size = 0;
  #joined: Promise<void> | undefined;

  /**
   * Starts `size` workers at once, as Python's `Pool` does in its constructor.
   *
   * @param size - how many tasks may run at the same time; a whole number, at least 1.
   * @throws TypeError when `size` is not a number or an option has the wrong
   *   type; RangeError when `size` is not a whole number, and Python's
   *   `"Number of processes must be at least 1"` when it is below 1.
   * @example
   * ```ts
   * const pool = new SimplePool(4, { onError: (error) => console.warn("task failed:", error) });
   * ```
   */
  constructor(size: number, options: SimplePoolOptions = {}) {
    const count = checkInteger("size", size, 1, "Number of processes must be at least 1");
    this.#onError = options.onError === undefined ? console.error : checkFunction<ErrorReporter>("onError", options.onError);
    if (options.timeline !== undefined && !(options.timeline instanceof Timeline)) {
      throw new TypeError("timeline must be a Timeline");
    }
    this.#timeline = options.timeline;
    for (let i = 0; i < count; i++) this.#addWorker();
  }

  /**
   * `"RUN"` while the pool accepts tasks, `"CLOSE"` once {@link SimplePool.close} was called.
   *
   * @example
   * ```ts
   * pool.close();
   * pool.state; // "CLOSE"
   * ```
   */
  get state(): SimplePoolState {
    return this.#state;
  }

  /**
   * How many workers take tasks: the size given to the constructor, changed
   * only by {@link SimplePool.addWorker} and {@link SimplePool.retireWorker}.
   *
   * @example
   * ```ts
   * new SimplePool(3).size; // 3
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * Queues a task behind the ones already given; the first free worker runs
   * it. Returns at once. A task that throws or rejects is reported to
   * `onError` and its worker carries on.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError | InvalidStateError} `"Pool not running"`
   *   after `close()`; TypeError when `task` is not a function. Nothing queued is lost.
   * @example
   * ```ts
   * pool.applyAsync(async () => {
   *   await fetch("https://example.com/");
   * });
   * ```
   */
  applyAsync(task: Task): void {
    this.#checkRunning();
    checkFunction("task", task);
    this.#queue.putNowait(this.#timeline ? this.#timeline.track(task) : task);
  }

  /**
   * Refuses new tasks from now on. Tasks already queued still run: one
   * {@link 01-reusable-worker!STOP | STOP} per worker goes in behind them, as
   * Python's task handler puts one `None` per worker after the last task, and
   * each worker exits when it takes one. Calling it again does nothing.
   *
   * @example
   * ```ts
   * pool.applyAsync(job);
   * pool.close(); // job still runs
   * pool.applyAsync(job); // throws InvalidStateError: Pool not running
   * ```
   */
  close(): void {
    if (this.#state !== "RUN") return;
    this.#state = "CLOSE";
    for (let i = 0; i < this.#size; i++) this.#queue.putNowait(STOP);
  }

  /**
   * Resolves once every worker has exited, which is once every task the pool
   * accepted has finished. It can be called again, and then resolves at once.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError | InvalidStateError} `"Pool is still
   *   running"` when `close()` has not been called: the workers would wait
   *   for more tasks forever.
   * @example
   * ```ts
   * pool.close();
   * await pool.join();
   * ```
   */
  join(): Promise<void> {
    if (this.#state === "RUN") throw new InvalidStateError("Pool is still running");
    this.#joined ??= Promise.all(this.#loops).then(() => undefined);
    return this.#joined;
  }

  /**
   * Starts one more worker on the shared queue; it takes tasks at once, queued
   * ones included. For subclasses that change the size of a running pool (the
   * constructor starts the first workers itself).
   *
   * @throws {@link 01-reusable-worker!InvalidStateError | InvalidStateError} `"Pool not running"` after `close()`.
   * @example
   * ```ts
   * class GrowingPool extends SimplePool {
   *   grow() {
   *     this.addWorker();
   *   }
   * }
   * ```
   */
  protected addWorker(): void {
    this.#checkRunning();
    this.#addWorker();
  }

  /**
   * Puts one {@link 01-reusable-worker!STOP | STOP} behind the queued tasks: the
   * first worker to take it exits, so the pool shrinks by one once the tasks
   * before it have started. No task is dropped.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError | InvalidStateError} `"Pool not running"`
   *   after `close()`; RangeError `"Number of processes must be at least 1"`
   *   when it would retire the last worker.
   * @example
   * ```ts
   * class ShrinkingPool extends SimplePool {
   *   shrink() {
   *     this.retireWorker();
   *   }
   * }
   * ```
   */
  protected retireWorker(): void {
    this.#checkRunning();
    if (this.#size <= 1) throw new RangeError("Number of processes must be at least 1");
    this.#size -= 1;
    this.#queue.putNowait(STOP);
  }

  #addWorker(): void {
    const work = () => serve(this.#queue, this.#onError);
    const id = this.#loops.length + 1;
    this.#loops.push(this.#timeline ? this.#timeline.runWorker(id, work) : work());
    this.#size += 1;
  }

  #checkRunning(): void {
    if (this.#state !== "RUN") throw new InvalidStateError("Pool not running");
  }
}
