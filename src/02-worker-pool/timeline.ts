import { AsyncLocalStorage } from "node:async_hooks";
import type { Task } from "../01-reusable-worker/index.js";
import { checkFunction } from "../01-reusable-worker/checks.js";

/**
 * One task's stay on a worker, as a {@link Timeline} recorded it.
 *
 * @example
 * ```ts
 * const span: TimelineSpan = { worker: 1, task: 3, start: 1002.4, end: 2003.1, failed: false };
 * ```
 */
export interface TimelineSpan {
  /** The worker that ran the task, numbered from 1 in the order the pool started them (0: not run by a worker). */
  worker: number;
  /** The task's number, from 0, in the order the tasks were given. */
  task: number;
  /** When the task started, in milliseconds since the timeline was created. */
  start: number;
  /** When it finished (returned, threw or settled its promise), on the same clock. */
  end: number;
  /** Whether it threw or rejected. */
  failed: boolean;
}

/**
 * What the timeline renderers draw: the workers (one row each, even a worker
 * that never got a task) and the spans. A {@link Timeline} is one; so is a
 * plain object, which is how the tests draw made-up runs.
 *
 * @example
 * ```ts
 * const data: TimelineData = {
 *   workers: [1, 2],
 *   spans: [{ worker: 1, task: 0, start: 0, end: 10, failed: false }],
 * };
 * ```
 */
export interface TimelineData {
  /** The workers' numbers, in the order they started. */
  readonly workers: readonly number[];
  /** Every task that has finished. */
  readonly spans: readonly TimelineSpan[];
}

/**
 * Options for {@link Timeline}.
 *
 * @example
 * ```ts
 * let fakeTime = 0;
 * const options: TimelineOptions = { now: () => fakeTime };
 * ```
 */
export interface TimelineOptions {
  /** The clock, in milliseconds; `performance.now` by default. Tests pass a fake one. */
  now?: (() => number) | undefined;
}

/**
 * A recorder of which worker ran which task, from when to when. Give it to a
 * pool (`new SimplePool(3, { timeline })`), run the work, then draw it with
 * {@link drawTimeline} or {@link timelineSvg}.
 *
 * A worker is a loop that calls its tasks without saying who it is, so the
 * timeline runs each worker's loop inside an `AsyncLocalStorage` holding the
 * worker's number: every task that loop calls, and everything the task awaits,
 * sees that number. Async context tracking slows down every promise in the
 * process, which is why a pool records only when it is given a timeline, and
 * why the timeline switches the tracking off once its workers have all exited.
 *
 * @example
 * ```ts
 * const timeline = new Timeline();
 * const pool = new SimplePool(3, { timeline });
 * for (let i = 0; i < 9; i++) pool.applyAsync(() => sleep(100));
 * pool.close();
 * await pool.join();
 * console.log(drawTimeline(timeline));
 * ```
 */
export class Timeline implements TimelineData {
  #now: () => number;
  #origin: number;
  #workers: number[] = [];
  #spans: TimelineSpan[] = [];
  #given = 0;
  #running = 0;
  #currentWorker = new AsyncLocalStorage<number>();

  /**
   * Starts the clock: every time recorded is measured from now.
   *
   * @throws TypeError when `now` is given and is not a function.
   * @example
   * ```ts
   * const timeline = new Timeline();
   * ```
   */
  constructor(options: TimelineOptions = {}) {
    this.#now = options.now === undefined ? () => performance.now() : checkFunction<() => number>("now", options.now);
    this.#origin = this.#now();
  }

  /**
   * The workers seen so far, in the order they started.
   *
   * @example
   * ```ts
   * new SimplePool(3, { timeline }); // timeline.workers is now [1, 2, 3]
   * ```
   */
  get workers(): readonly number[] {
    return [...this.#workers];
  }

  /**
   * Every task that has finished, in the order they finished.
   *
   * @example
   * ```ts
   * const slowest = Math.max(...timeline.spans.map((s) => s.end - s.start));
   * ```
   */
  get spans(): readonly TimelineSpan[] {
    return [...this.#spans];
  }

  /**
   * Runs a worker's loop so that the tasks it calls are recorded under
   * `worker`. A pool calls this once per worker it starts.
   *
   * @returns what `loop` returns.
   * @example
   * ```ts
   * const done = timeline.runWorker(1, () => serve(queue, console.error));
   * ```
   */
  runWorker(worker: number, loop: () => Promise<void>): Promise<void> {
    this.#workers.push(worker);
    this.#running += 1;
    return this.#currentWorker.run(worker, loop).finally(() => {
      // Tracking async context slows every promise in the process; stop it
      // once no recorded worker is left to need it.
      this.#running -= 1;
      if (this.#running === 0) this.#currentWorker.disable();
    });
  }

  /**
   * Wraps a task so that running it records a span: its number is the count
   * of tasks tracked before it. The wrapper returns, throws and rejects as the
   * task does. A pool calls this once per task it accepts.
   *
   * @throws TypeError when `task` is not a function.
   * @example
   * ```ts
   * queue.putNowait(timeline.track(() => sleep(100)));
   * ```
   */
  track(task: Task): Task {
    checkFunction("task", task);
    const number = this.#given++;
    return async () => {
      const worker = this.#currentWorker.getStore() ?? 0;
      const start = this.#now() - this.#origin;
      let failed = true;
      try {
        const value = await task();
        failed = false;
        return value;
      } finally {
        this.#spans.push({ worker, task: number, start, end: this.#now() - this.#origin, failed });
      }
    };
  }
}
