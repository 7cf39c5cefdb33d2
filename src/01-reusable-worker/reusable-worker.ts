import { AsyncQueue } from "./async-queue.js";
import { checkFunction } from "./checks.js";

/**
 * A unit of work for a worker: a function taking no arguments. It may return a
 * promise; the worker waits for it before taking the next task.
 *
 * @example
 * ```ts
 * const task: Task = async () => console.log("hello from a task");
 * ```
 */
export type Task = () => unknown;

/**
 * Receives the error of a task that threw or rejected.
 *
 * @example
 * ```ts
 * const onError: ErrorReporter = (error) => failures.push(error);
 * ```
 */
export type ErrorReporter = (error: unknown) => void;

/**
 * Put this in a worker's queue to make {@link serve} return: the polite way to
 * stop a loop that otherwise waits forever, as Python's workers stop on a
 * sentinel (`None`) put after the last task.
 *
 * @example
 * ```ts
 * queue.putNowait(STOP); // serve(queue, ...) returns after the tasks before it
 * ```
 */
export const STOP: unique symbol = Symbol("STOP");

/**
 * The loop at the heart of every worker in the kit: take a task, run it, mark it
 * done, repeat. A task that throws is reported and the loop carries on; every
 * task taken gets exactly one `taskDone()`, so `queue.join()` stays truthful.
 * The loop returns when it takes {@link STOP}.
 *
 * @param queue - where the tasks come from; several loops may share one queue.
 * @param onError - told about each task that throws or rejects.
 * @example
 * ```ts
 * const queue = new AsyncQueue<Task | typeof STOP>();
 * const done = serve(queue, console.error);
 * queue.putNowait(() => console.log("one"));
 * queue.putNowait(STOP);
 * await done; // printed "one", then returned
 * ```
 */
export async function serve(queue: AsyncQueue<Task | typeof STOP>, onError: ErrorReporter): Promise<void> {
  for (;;) {
    const task = await queue.get();
    if (task === STOP) {
      queue.taskDone();
      return;
    }
    try {
      await task();
    } catch (error) {
      report(onError, error);
    } finally {
      queue.taskDone();
    }
  }
}

/** Calls the reporter; a reporter that throws must not kill the loop. */
function report(onError: ErrorReporter, error: unknown): void {
  try {
    onError(error);
  } catch (reporterError) {
    console.error("onError threw while reporting", error, reporterError);
  }
}

/**
 * Options for {@link ReusableWorker}.
 *
 * @example
 * ```ts
 * const options: ReusableWorkerOptions = { onError: (error) => errors.push(error) };
 * ```
 */
export interface ReusableWorkerOptions {
  /** Told about each task that throws or rejects. Defaults to `console.error`. */
  onError?: ErrorReporter | undefined;
}

/**
 * One long-lived worker fed by its own queue: the TypeScript twin of seed 002's
 * reusable thread. A Python thread runs once and can never be started again, so
 * the article keeps one thread alive in a loop that takes tasks from a `Queue`.
 * This worker does the same on the event loop: tasks run one at a time, in the
 * order they were given, and `join()` waits for all of them.
 *
 * An idle worker is only a promise waiting on its queue: it holds no timer or
 * socket, so a script whose work is done exits by itself.
 *
 * @example
 * ```ts
 * const worker = new ReusableWorker();
 * worker.applyAsync(() => console.log(1));
 * worker.applyAsync(() => console.log(2));
 * await worker.join(); // printed 1 then 2
 * ```
 */
export class ReusableWorker {
  #queue = new AsyncQueue<Task | typeof STOP>();

  /**
   * Starts the worker's loop at once, as seed 002's thread calls `start()` in
   * its constructor.
   *
   * @throws TypeError when `onError` is given and is not a function.
   * @example
   * ```ts
   * const worker = new ReusableWorker({ onError: (error) => console.warn("task failed:", error) });
   * ```
   */
  constructor(options: ReusableWorkerOptions = {}) {
    const onError =
      options.onError === undefined ? console.error : checkFunction<ErrorReporter>("onError", options.onError);
    void serve(this.#queue, onError);
  }

  /**
   * Queues a task to run after the ones already given. Returns at once.
   *
   * @throws TypeError when `task` is not a function; nothing queued is lost.
   * @example
   * ```ts
   * worker.applyAsync(async () => {
   *   await fetchSomething();
   * });
   * ```
   */
  applyAsync(task: Task): void {
    this.#queue.putNowait(checkFunction<Task>("task", task));
  }

  /**
   * Resolves once every task given so far has finished (thrown ones included).
   * It resolves at once when there is nothing to wait for, and can be called
   * again after more tasks arrive.
   *
   * @example
   * ```ts
   * worker.applyAsync(() => sleep(100));
   * await worker.join(); // about 100 ms later
   * ```
   */
  join(): Promise<void> {
    return this.#queue.join();
  }
}
