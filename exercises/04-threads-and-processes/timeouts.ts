/**
 * Exercise 04.3 · a per-task timeout
 *
 * A task stuck in a loop never returns, and nothing inside its worker can
 * stop it: only ending the worker does. piscina and tinypool end it when an
 * AbortSignal fires; workerpool has `promise.timeout(ms)`; Python's
 * `AsyncResult.get(timeout)` gives up waiting but leaves the worker stuck for
 * good. Build a timeout on the kit's Pool that does end the stuck worker —
 * and loses no other task.
 *
 * The kit cannot end one worker of a pool; it can end a whole pool
 * (`terminate()`), and let a pool finish its work first (`close()`). So:
 * - keep a current Pool (a "generation") and send every task to it;
 * - when a task runs too long, reject it with `TaskTimeoutError`, *retire*
 *   its pool — `close()` it, so it takes nothing new while the tasks still
 *   running on it finish — and start a fresh pool for the next tasks;
 * - once nothing but stuck tasks is left on a retired pool, `terminate()` it,
 *   which ends the stuck worker.
 *
 * The clock must measure the task's run, not its wait in the queue (piscina's
 * users asked for exactly that: piscina#869). The Pool does not say when a
 * task starts, so never give it more tasks than it has workers: wait for a
 * free slot first — a bounded `AsyncQueue(size)` from "pools-by-hand" makes a
 * semaphore (`await slots.put(true)` to take a slot, `slots.getNowait()` to
 * give it back) — and start the clock when the task is handed over.
 *
 * Build `TimeoutPool`:
 * - `new TimeoutPool(size, { runIn, tasks, timeoutMs, ...other Pool options })`:
 *   `runIn` must be "threads" or "processes" (RangeError otherwise: a task
 *   stuck on the event loop blocks the very thread the timer needs, and no
 *   terminate can stop it); `timeoutMs` is required (TypeError if missing,
 *   RangeError if negative or not finite; use `checkTimeout`). Bad `size`:
 *   the Pool's own error.
 * - `apply(fn, args, { timeoutMs })`: a promise of `fn(...args)` run on a
 *   worker, or a `TaskTimeoutError` if it runs longer than `timeoutMs` (the
 *   pool's by default). A task's own error passes through unchanged. At the
 *   call, throw `InvalidStateError("Pool not running")` after close() or
 *   terminate(), the kit's TypeError for a function the workers cannot find
 *   (`new TaskModule(tasks).nameOf(fn)`), and a RangeError for a bad timeout.
 * - `generation`: 1, plus one for each pool a timeout retired.
 * - `state`, `close()`, `join()` and `terminate()` as a Pool's: after
 *   `close()` the tasks given still run and `join()` resolves once they have
 *   and every pool has ended (the stuck workers' included); `terminate()`
 *   rejects every unfinished task, waiting or running, with
 *   `PoolTerminatedError`; `join()` while running throws "Pool is still running".
 *
 * The trade-offs, which the chapter discusses: every timeout costs a fresh
 * pool's start-up; until the tasks beside a stuck one finish, the old pool's
 * workers and the new pool's run side by side, more threads than cores; and
 * the first tasks on a fresh pool count its start-up in their time.
 *
 * Run `npm run exercise -- 04.3` to test, `npm run hint -- 04.3` if stuck.
 */
import type { PoolOptions, PoolState } from "pools-by-hand";

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
 * A pool whose tasks each have a timeout, counted from when the task starts.
 * A task that runs too long rejects with {@link TaskTimeoutError}; its pool is
 * retired and a fresh one takes the next tasks.
 */
export class TimeoutPool {
  constructor(size: number, options: TimeoutPoolOptions) {
    throw new Error("TODO(04.3): new TimeoutPool(): check the options, start the first generation's Pool");
  }

  /** How many pools this one has used: 1, and one more after each timeout. */
  get generation(): number {
    throw new Error("TODO(04.3): generation");
  }

  /** `"RUN"`, `"CLOSE"` or `"TERMINATE"`, as a Pool's. */
  get state(): PoolState {
    throw new Error("TODO(04.3): state");
  }

  /**
   * Runs `fn(...args)` on a worker, and rejects with {@link TaskTimeoutError}
   * if it runs longer than `timeoutMs` (the pool's by default). Waiting for a
   * free worker does not count.
   */
  apply<A extends unknown[], R>(fn: (...args: A) => R, args?: A, options: { timeoutMs?: number } = {}): Promise<Awaited<R>> {
    throw new Error("TODO(04.3): apply(): wait for a slot, race the task against a timer, retire the pool on a timeout");
  }

  /** Takes no new task; the ones given still run. */
  close(): void {
    throw new Error("TODO(04.3): close()");
  }

  /** Ends every pool now; unfinished tasks reject with PoolTerminatedError. */
  terminate(): Promise<void> {
    throw new Error("TODO(04.3): terminate()");
  }

  /** After close() or terminate(): resolves once every task has settled and every worker has gone. */
  join(): Promise<void> {
    throw new Error("TODO(04.3): join()");
  }
}
