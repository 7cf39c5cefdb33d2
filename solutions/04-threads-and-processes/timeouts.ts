/**
 * Exercise 04.3 · a per-task timeout (solution)
 */
import {
  AsyncQueue,
  checkInteger,
  checkTimeout,
  InvalidStateError,
  Pool,
  PoolTerminatedError,
  TaskModule,
  type PoolOptions,
  type PoolState,
} from "pools-by-hand";

/** The tasks module of this exercise's tests. */
export const TIMEOUT_TASKS = new URL("./timeout-tasks.js", import.meta.url);

/** What a task's result rejects with when it ran longer than its timeout. */
export class TaskTimeoutError extends Error {
  override name = "TaskTimeoutError";
  /** The timeout the task exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`the task ran longer than its timeout of ${timeoutMs} ms; its worker is being replaced`);
    this.timeoutMs = timeoutMs;
  }
}

/** Options of a {@link TimeoutPool}: a Pool's, plus the default timeout. */
export interface TimeoutPoolOptions extends PoolOptions {
  /** How long a task may run, from the moment it starts, unless `apply` says otherwise. */
  timeoutMs: number;
}

/**
 * One Pool and the tasks that run on it. After a timeout it is retired: it
 * takes no new task, the tasks still running on it finish, and then it is
 * terminated, which ends the stuck worker with it.
 */
class Generation {
  readonly pool: Pool;
  #running = 0;
  #retired = false;
  #ended: Promise<void> | undefined;

  constructor(size: number, options: PoolOptions) {
    this.pool = new Pool(size, options);
  }

  /** Runs one task, rejecting with TaskTimeoutError (and calling `onTimeout`) if it runs too long. */
  run<R>(fn: (...args: unknown[]) => R, args: unknown[], timeoutMs: number, onTimeout: () => void): Promise<Awaited<R>> {
    const result = this.pool.apply(fn, args);
    this.#running += 1;
    return new Promise<Awaited<R>>((resolve, reject) => {
      let timedOut = false;
      const finish = () => {
        this.#running -= 1;
        this.#endIfDone();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new TaskTimeoutError(timeoutMs));
        onTimeout();
        finish();
      }, timeoutMs);
      result.then(
        (value) => {
          if (timedOut) return;
          clearTimeout(timer);
          resolve(value);
          finish();
        },
        (error: unknown) => {
          if (timedOut) return; // the terminate() that ended the stuck worker
          clearTimeout(timer);
          reject(error);
          finish();
        },
      );
    });
  }

  /** Takes no more tasks; ends once the tasks it runs are done. */
  retire(): void {
    if (this.#retired) return;
    this.#retired = true;
    this.pool.close();
    this.#endIfDone();
  }

  /** Ends now, whatever runs; resolves once every worker has gone. */
  terminate(): Promise<void> {
    this.#retired = true;
    this.#ended ??= this.pool.terminate();
    return this.ended();
  }

  /** Resolves once this generation's pool has ended (call `retire` or `terminate` first). */
  async ended(): Promise<void> {
    await this.#ended;
    await this.pool.join();
  }

  #endIfDone(): void {
    // Only stuck tasks can be left: terminating is how they stop.
    if (this.#retired && this.#running === 0) this.#ended ??= this.pool.terminate();
  }
}

/**
 * A pool whose tasks each have a timeout, counted from when the task starts.
 * A task that runs too long rejects with {@link TaskTimeoutError}; since the
 * kit cannot end one worker of a pool, the whole pool is retired and a fresh
 * one takes the next tasks, while the tasks still running on the old one
 * finish there. Once they have, the old pool is terminated, and the stuck
 * worker with it.
 */
export class TimeoutPool {
  #size: number;
  #options: PoolOptions;
  #timeoutMs: number;
  #tasks: TaskModule;
  #current: Generation;
  #generations: Generation[];
  /** One item per task running: a bounded queue used as a semaphore. */
  #slots: AsyncQueue<true>;
  #abort = new AbortController();
  #pending = new Set<Promise<unknown>>();
  #state: PoolState = "RUN";

  constructor(size: number, options: TimeoutPoolOptions) {
    checkInteger("size", size, 1, "Number of processes must be at least 1");
    const { timeoutMs, ...poolOptions } = options;
    this.#timeoutMs = TimeoutPool.#checkTimeout(timeoutMs);
    if (poolOptions.runIn !== "threads" && poolOptions.runIn !== "processes") {
      throw new RangeError(
        `runIn must be "threads" or "processes", got ${JSON.stringify(poolOptions.runIn)}: a task stuck on the event loop blocks the thread the timer needs, and terminating the pool cannot stop it`,
      );
    }
    this.#size = size;
    this.#options = poolOptions;
    this.#tasks = new TaskModule(poolOptions.tasks);
    this.#current = new Generation(size, poolOptions);
    this.#generations = [this.#current];
    this.#slots = new AsyncQueue<true>(size);
  }

  static #checkTimeout(timeoutMs: unknown): number {
    const checked = checkTimeout("timeoutMs", timeoutMs);
    if (checked === undefined) throw new TypeError("timeoutMs must be a number of milliseconds, got undefined");
    return checked;
  }

  /** How many pools this one has used: 1, and one more after each timeout. */
  get generation(): number {
    return this.#generations.length;
  }

  /** `"RUN"`, `"CLOSE"` or `"TERMINATE"`, as a Pool's. */
  get state(): PoolState {
    return this.#state;
  }

  /**
   * Runs `fn(...args)` on a worker, and rejects with {@link TaskTimeoutError}
   * if it runs longer than `timeoutMs` (the pool's by default). Waiting for a
   * free worker does not count.
   */
  apply<A extends unknown[], R>(fn: (...args: A) => R, args?: A, options: { timeoutMs?: number } = {}): Promise<Awaited<R>> {
    if (this.#state !== "RUN") throw new InvalidStateError("Pool not running");
    this.#tasks.nameOf(fn); // refuse at the call what a worker cannot find
    const timeoutMs = options.timeoutMs === undefined ? this.#timeoutMs : TimeoutPool.#checkTimeout(options.timeoutMs);
    const run = this.#run(fn as (...args: unknown[]) => R, args ?? [], timeoutMs);
    const tracked: Promise<unknown> = run.then(
      () => this.#pending.delete(tracked),
      () => this.#pending.delete(tracked),
    );
    this.#pending.add(tracked);
    return run;
  }

  async #run<R>(fn: (...args: unknown[]) => R, args: unknown[], timeoutMs: number): Promise<Awaited<R>> {
    // At most `size` tasks in the pool at once, so each starts as it is
    // handed over, and its clock measures its run, not its wait.
    await this.#slots.put(true, { signal: this.#abort.signal });
    try {
      if (this.#abort.signal.aborted) throw this.#abort.signal.reason;
      const generation = this.#current;
      return await generation.run(fn, args, timeoutMs, () => this.#replace(generation));
    } finally {
      this.#slots.getNowait();
    }
  }

  /** A task of `generation` timed out: retire that pool, and start a fresh one if it was the current. */
  #replace(generation: Generation): void {
    generation.retire();
    if (generation !== this.#current || this.#state === "TERMINATE") return;
    this.#current = new Generation(this.#size, this.#options);
    this.#generations.push(this.#current);
  }

  /** Takes no new task; the ones given still run. */
  close(): void {
    if (this.#state === "RUN") this.#state = "CLOSE";
  }

  /** Ends every pool now; unfinished tasks reject with PoolTerminatedError. */
  async terminate(): Promise<void> {
    if (this.#state === "TERMINATE") return;
    this.#state = "TERMINATE";
    this.#abort.abort(new PoolTerminatedError());
    await Promise.all(this.#generations.map((generation) => generation.terminate()));
  }

  /** After close() or terminate(): resolves once every task has settled and every worker has gone. */
  join(): Promise<void> {
    if (this.#state === "RUN") throw new InvalidStateError("Pool is still running");
    return this.#joined();
  }

  async #joined(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
    this.#current.retire();
    await Promise.all(this.#generations.map((generation) => generation.ended()));
  }
}
