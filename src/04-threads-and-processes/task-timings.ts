import type { TaskFunction } from "../03-results/runner.js";

/** Jobs shorter than this, on average, count as tiny. */
const TINY_MS = 0.5;

/**
 * How long each task function's jobs have taken, so a pool can send tiny ones
 * to a worker several at a time. Sending costs tens of microseconds per
 * message; for a task that takes microseconds that is most of the work, and a
 * batch pays it once. A slow task is never batched, because a job stuck behind
 * it on one worker would wait while another worker sits idle. A function is
 * slow until it has proved otherwise.
 *
 * @example
 * ```ts
 * const timings = new TaskTimings();
 * timings.isTiny(add);      // false: never seen
 * timings.record(add, 0.02);
 * timings.isTiny(add);      // true
 * ```
 */
export class TaskTimings {
  #averageMs = new Map<TaskFunction, number>();

  /**
   * Adds one measurement, in milliseconds per job (a moving average).
   *
   * @example
   * ```ts
   * timings.record(sumRange, 35);
   * ```
   */
  record(fn: TaskFunction, ms: number): void {
    const before = this.#averageMs.get(fn);
    this.#averageMs.set(fn, before === undefined ? ms : before * 0.7 + ms * 0.3);
  }

  /**
   * Whether `fn`'s jobs have been tiny so far.
   *
   * @example
   * ```ts
   * if (timings.isTiny(job.fn)) batch.push(job);
   * ```
   */
  isTiny(fn: TaskFunction): boolean {
    const average = this.#averageMs.get(fn);
    return average !== undefined && average < TINY_MS;
  }
}
