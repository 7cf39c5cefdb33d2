import { Fifo } from "../01-reusable-worker/fifo.js";
import type { Outcome } from "./async-result.js";
import { callWith, type Job, type Runner, type RunnerOptions, type TaskFunction } from "./runner.js";

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";

/** One of the runner's `size` workers: a slot, with the job it is running. */
interface Slot {
  job: Job | undefined;
  jobsRun: number;
}

/**
 * Runs a pool's jobs right here on the event loop, at most `size` at a time.
 *
 * On the event loop a worker needs no thread: it is a slot. An idle slot is
 * woken when work arrives, takes jobs straight from the queue while there are
 * any, and goes back to sleep when the queue is empty. Unlike chapter 02's
 * loops, which await `queue.get()` for every task, a busy slot only awaits
 * the tasks themselves, and a synchronous task costs no await at all — which
 * matters here, because these tasks are often tiny.
 *
 * Slots overlap their waiting (timers, sockets, files) but never their
 * computing, because one thread runs all of this process's JavaScript.
 * Chapter 04 adds runners that compute in parallel.
 *
 * @example
 * ```ts
 * const runner = new EventLoopRunner({ size: 2, initargs: [], extra: {}, broken: console.error });
 * runner.submit({ fn: Math.sqrt, items: [16], star: false, done: console.log }); // later logs { ok: true, value: [4] }
 * runner.close();
 * await runner.ended();
 * ```
 */
export class EventLoopRunner implements Runner {
  #options: RunnerOptions;
  #queue = new Fifo<Job>();
  #slots: Slot[] = [];
  #idle: Slot[] = [];
  #active = 0;
  #state: "running" | "closed" | "terminated" = "running";
  #wakeScheduled = false;
  #ended: { promise: Promise<void>; resolve(): void };

  /**
   * Starts every slot at once, running the initializer in each, as Python
   * starts its workers in the constructor.
   *
   * @example
   * ```ts
   * new EventLoopRunner({ size: 4, initializer: warmUp, initargs: [], extra: {}, broken: console.error });
   * ```
   */
  constructor(options: RunnerOptions) {
    this.#options = options;
    let resolve!: () => void;
    this.#ended = { promise: new Promise<void>((r) => (resolve = r)), resolve };
    for (let i = 0; i < options.size; i++) {
      const slot: Slot = { job: undefined, jobsRun: 0 };
      this.#slots.push(slot);
      void this.#serve(slot, true);
    }
  }

  /** Any function can run on the event loop. */
  check(_fn: TaskFunction): void {}

  /**
   * Queues a job. It starts on a later tick, never inside the call that
   * submitted it, so `applyAsync` always returns before its task runs.
   */
  submit(job: Job): void {
    this.#queue.push(job);
    if (this.#wakeScheduled || this.#idle.length === 0) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      while (this.#idle.length > 0 && this.#queue.size > 0) void this.#serve(this.#idle.pop() as Slot, false);
    });
  }

  /** Queued jobs still run; `ended()` resolves after the last one. */
  close(): void {
    if (this.#state !== "running") return;
    this.#state = "closed";
    this.#checkEnded();
  }

  /**
   * Settles every job not finished with `error`: the queued ones are dropped,
   * and the running ones, which cannot be stopped from outside, finish
   * unobserved while `ended()` waits for them.
   */
  async terminate(error: Error): Promise<void> {
    this.#state = "terminated";
    for (const job of this.#queue.drain()) job.done({ ok: false, error });
    for (const slot of this.#slots) slot.job?.done({ ok: false, error });
    this.#checkEnded();
  }

  /** Resolves once no job is running and none will start. */
  ended(): Promise<void> {
    return this.#ended.promise;
  }

  /**
   * A slot at work: (re)start it if asked, then run queued jobs one after
   * another until the queue is empty, then go idle.
   */
  async #serve(slot: Slot, start: boolean): Promise<void> {
    this.#active += 1;
    try {
      if (start && !(await this.#initialise())) return;
      for (let job = this.#next(); job; job = this.#next()) {
        slot.job = job;
        // The job's calls, in order; a call that returns a plain value costs no await.
        let outcome: Outcome<unknown[]>;
        // Sized up front: a tiny job should not pay for an array that grows.
        const values = new Array<unknown>(job.items.length);
        try {
          for (let i = 0; i < job.items.length; i++) {
            // After terminate() the job is settled; its remaining items never start.
            if (this.#state === "terminated") break;
            let value = callWith(job.fn, job.items[i], job.star);
            if (isThenable(value)) value = await value;
            values[i] = value;
          }
          outcome = { ok: true, value: values };
        } catch (error) {
          outcome = { ok: false, error };
        }
        slot.job = undefined;
        job.done(outcome);
        slot.jobsRun += 1;
        const max = this.#options.maxTasksPerChild;
        if (max !== undefined && slot.jobsRun >= max) {
          // A fresh "worker": the initializer runs again.
          slot.jobsRun = 0;
          if (!(await this.#initialise())) return;
        }
      }
      this.#idle.push(slot);
    } finally {
      this.#active -= 1;
      this.#checkEnded();
    }
  }

  /** The next job to run, unless the runner was terminated. */
  #next(): Job | undefined {
    return this.#state === "terminated" ? undefined : this.#queue.shift();
  }

  /** Runs the initializer, if any; one that fails breaks the pool. */
  async #initialise(): Promise<boolean> {
    const { initializer, initargs } = this.#options;
    if (!initializer) return true;
    // Like a new thread, the initializer runs after the constructor returns.
    await undefined;
    try {
      await initializer(...initargs);
      return true;
    } catch (error) {
      this.#options.broken(error);
      return false;
    }
  }

  #checkEnded(): void {
    const drained = this.#state === "terminated" || (this.#state === "closed" && this.#queue.size === 0);
    if (drained && this.#active === 0) this.#ended.resolve();
  }
}
