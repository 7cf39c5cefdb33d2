/**
 * Where a pool's tasks run sits behind the small interfaces in this file. The
 * {@link Pool} decides *what* to run and keeps the results; a {@link Runner}
 * decides *where*. Chapter 03 runs tasks on the event loop; chapter 04 plugs in
 * worker threads and child processes, chapter 07 a Postgres job queue, each by
 * registering one more runner, without touching the pool's scheduling,
 * results or callbacks.
 */
import type { Outcome } from "./async-result.js";
import type { PoolOptions } from "./pool.js";

/**
 * Any function a pool can run.
 *
 * @example
 * ```ts
 * const square: TaskFunction = (x: number) => x * x;
 * ```
 */
export type TaskFunction = (...args: any[]) => unknown;

/**
 * One unit of work: a function called once per item, one item after another
 * on one worker. `apply` makes a job of one call; `map` makes a job of each
 * chunk of items, as Python does. With `star`, each item is a list of
 * arguments to spread (`apply`, `starmap`: Python's `starmapstar`); without,
 * each item is the one argument (`map`, `imap`: Python's `mapstar`), which
 * spares a million-item `map` a million little argument arrays.
 *
 * @example
 * ```ts
 * const job: Job = { fn: add, items: [[1, 2], [3, 4]], star: true, done: (outcome) => console.log(outcome) };
 * // when it has run: done({ ok: true, value: [3, 7] })
 * ```
 */
export interface Job {
  /** The function to call. */
  readonly fn: TaskFunction;
  /** One item per call: its argument, or with `star` its list of arguments. */
  readonly items: readonly unknown[];
  /** Whether each item is a list of arguments to spread. */
  readonly star: boolean;
  /**
   * Settles the job: an array of values, one per call, or the first error
   * thrown. Runners call it once; a second call is ignored.
   */
  done(outcome: Outcome<unknown[]>): void;
}

/**
 * What every runner is given by the pool that creates it.
 *
 * @example
 * ```ts
 * const options: RunnerOptions = { size: 2, initargs: [], broken: (error) => console.error(error) };
 * ```
 */
export interface RunnerOptions {
  /** How many tasks may run at once. */
  size: number;
  /** Runs once in each worker before its first task (Python's `initializer`). */
  initializer?: TaskFunction | undefined;
  /** The arguments of `initializer`. */
  initargs: readonly unknown[];
  /** Replace a worker after it has run this many jobs (Python's `maxtasksperchild`). */
  maxTasksPerChild?: number | undefined;
  /** Every option the pool was given, for runners that need more (chapter 04's `tasks`). */
  extra: PoolOptions;
  /**
   * The runner calls this when a worker cannot start at all (its initializer
   * threw, its task module failed to load): the pool then fails its pending
   * work instead of starting workers forever.
   */
  broken(error: unknown): void;
}

/**
 * A place where a pool's jobs run.
 *
 * The contract: every job given to `submit` is settled through its own `done`,
 * exactly once — with its outcome, or with the error given to `terminate`.
 * After `close()`, the runner finishes what it was given and then stops its
 * workers; after `terminate(error)`, it settles what has not finished with
 * `error` and stops what it can. `ended()` resolves once no worker is left.
 *
 * @example
 * ```ts
 * const runner = createRunner("event-loop", { size: 2, initargs: [], extra: {}, broken: console.error });
 * runner.submit({ fn: Math.sqrt, items: [9], star: false, done: console.log });
 * runner.close();
 * await runner.ended();
 * ```
 */
export interface Runner {
  /**
   * Throws a `TypeError` that says why if this runner cannot run `fn` (for
   * example a function another thread cannot find by name). The pool calls it
   * before accepting a task, so nothing is queued for a task that cannot run.
   */
  check(fn: TaskFunction): void;
  /** Queues a job. */
  submit(job: Job): void;
  /** No more jobs will come: finish the queued ones, then stop every worker. */
  close(): void;
  /**
   * Settles every unfinished job with `error`, drops what has not started and
   * stops every worker it can; resolves when that is done.
   */
  terminate(error: Error): Promise<void>;
  /** Resolves once every worker has stopped, after `close()` or `terminate()`. */
  ended(): Promise<void>;
}

/**
 * Calls `fn` for one item of a job: spread when the job is `star`.
 *
 * @example
 * ```ts
 * callWith(Math.pow, [2, 10], true); // 1024
 * callWith(Math.sqrt, 16, false);    // 4
 * ```
 */
export function callWith(fn: TaskFunction, item: unknown, star: boolean): unknown {
  return star ? fn(...(item as unknown[])) : fn(item);
}

/**
 * Makes a runner for a pool.
 *
 * @example
 * ```ts
 * const factory: RunnerFactory = (options) => new EventLoopRunner(options);
 * ```
 */
export type RunnerFactory = (options: RunnerOptions) => Runner;

/**
 * What a pool checks about a runner before making it.
 *
 * @example
 * ```ts
 * registerRunner("postgres", (options) => new PostgresRunner(options), { minSize: 0 });
 * ```
 */
export interface RunnerTraits {
  /**
   * The smallest `size` a pool of this kind accepts: 1 unless the runner says
   * otherwise. Chapter 07's Postgres pool takes 0, a pool that only submits
   * work for workers started elsewhere.
   */
  minSize: number;
}

const runners = new Map<string, { factory: RunnerFactory; traits: RunnerTraits }>();

/**
 * Makes `name` a valid `runIn` option of every {@link Pool}. Each step that
 * adds a place for tasks to run registers it once, when its module loads.
 *
 * @example
 * ```ts
 * registerRunner("event-loop", (options) => new EventLoopRunner(options));
 * ```
 */
export function registerRunner(name: string, factory: RunnerFactory, traits: Partial<RunnerTraits> = {}): void {
  runners.set(name, { factory, traits: { minSize: traits.minSize ?? 1 } });
}

/**
 * The traits `name` was registered with; those of an ordinary runner for a
 * name not registered (which {@link createRunner} then refuses).
 *
 * @example
 * ```ts
 * runnerTraits("event-loop").minSize; // 1
 * ```
 */
export function runnerTraits(name: string): RunnerTraits {
  return runners.get(name)?.traits ?? { minSize: 1 };
}

/**
 * Makes the runner registered as `name`.
 *
 * @throws RangeError naming the places that exist when `name` is not one of them.
 * @example
 * ```ts
 * const runner = createRunner("event-loop", options);
 * ```
 */
export function createRunner(name: string, options: RunnerOptions): Runner {
  const factory = runners.get(name)?.factory;
  if (!factory) {
    const known = [...runners.keys()].map((key) => JSON.stringify(key)).join(", ");
    throw new RangeError(`runIn must be one of ${known}, got ${JSON.stringify(name)}`);
  }
  return factory(options);
}
