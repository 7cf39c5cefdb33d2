import { Fifo } from "../01-reusable-worker/fifo.js";
import type { Job, Runner, RunnerOptions, TaskFunction } from "./runner.js";

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";

/**
 * One of the runner's `size` workers: only a slot, with the job it is running.
 * Its two promise handlers are made once, so running a job allocates no
 * closures, which matters when tasks are tiny and many.
 */
class Slot {
  job: Job | undefined;
  values: unknown[] = [];
  next = 0;
  jobsRun = 0;
  readonly onValue: (value: unknown) => void;
  readonly onError: (error: unknown) => void;

  constructor(resume: (slot: Slot, value: unknown) => void, fail: (slot: Slot, error: unknown) => void) {
    this.onValue = (value) => resume(this, value);
    this.onError = (error) => fail(this, error);
  }
}

/**
 * Runs a pool's jobs right here on the event loop, at most `size` at a time.
 *
 * On the event loop a worker needs no thread and no loop of its own: it is a
 * slot, taken when a job starts and given back when the job settles, which
 * starts the next queued job. p-queue and fastq work this way too. It costs
 * one promise hop per asynchronous task, where chapter 02's
 * `await queue.get()` loops cost several — worth it here, because these tasks
 * are often tiny.
 *
 * Slots overlap their waiting (timers, sockets, files) but never their
 * computing, because one thread runs all of this process's JavaScript.
 * Chapter 04 adds runners that compute in parallel.
 *
 * @example
 * ```ts
 * const runner = new EventLoopRunner({ size: 2, initargs: [], extra: {}, broken: console.error });
 * runner.submit({ fn: Math.sqrt, calls: [[16]], done: console.log }); // later logs { ok: true, value: [4] }
 * runner.close();
 * await runner.ended();
 * ```
 */
export class EventLoopRunner implements Runner {
  #options: RunnerOptions;
  #queue = new Fifo<Job>();
  #slots: Slot[] = [];
  #idle: Slot[] = [];
  #busy = 0;
  #starting = 0;
  #state: "running" | "closed" | "terminated" = "running";
  #dispatching = false;
  #scheduled = false;
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
    const resume = (slot: Slot, value: unknown) => {
      slot.values.push(value);
      this.#continue(slot);
    };
    const fail = (slot: Slot, error: unknown) => this.#finish(slot, { ok: false, error });
    for (let i = 0; i < options.size; i++) {
      const slot = new Slot(resume, fail);
      this.#slots.push(slot);
      this.#start(slot);
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
    if (this.#scheduled || this.#dispatching) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#dispatch();
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

  /** Runs the initializer for a slot; a slot whose initializer fails breaks the pool. */
  #start(slot: Slot): void {
    const { initializer, initargs } = this.#options;
    const ready = () => {
      this.#starting -= 1;
      this.#idle.push(slot);
      this.#dispatch();
      this.#checkEnded();
    };
    const fail = (error: unknown) => {
      this.#starting -= 1;
      this.#checkEnded();
      this.#options.broken(error);
    };
    this.#starting += 1;
    if (!initializer) return ready();
    // Like a new thread, the initializer runs after the constructor returns.
    queueMicrotask(() => {
      try {
        const started = initializer(...initargs);
        if (isThenable(started)) started.then(ready, fail);
        else ready();
      } catch (error) {
        fail(error);
      }
    });
  }

  /**
   * Starts queued jobs while there are free slots. A job that finishes at once
   * gives its slot back to this same loop instead of calling it again, so a
   * long queue of synchronous tasks does not grow the stack.
   */
  #dispatch(): void {
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      while (this.#idle.length > 0 && this.#queue.size > 0 && this.#state !== "terminated") {
        const slot = this.#idle.pop() as Slot;
        slot.job = this.#queue.shift() as Job;
        slot.values = [];
        slot.next = 0;
        this.#busy += 1;
        this.#continue(slot);
      }
    } finally {
      this.#dispatching = false;
    }
  }

  /** Runs the slot's remaining calls: synchronously while they return plain values. */
  #continue(slot: Slot): void {
    const job = slot.job as Job;
    if (this.#state === "terminated") return this.#finish(slot, { ok: false, error: undefined }); // already settled
    try {
      while (slot.next < job.calls.length) {
        const value = job.fn(...(job.calls[slot.next++] as unknown[]));
        if (isThenable(value)) {
          value.then(slot.onValue, slot.onError);
          return;
        }
        slot.values.push(value);
      }
    } catch (error) {
      return this.#finish(slot, { ok: false, error });
    }
    this.#finish(slot, { ok: true, value: slot.values });
  }

  #finish(slot: Slot, outcome: { ok: true; value: unknown[] } | { ok: false; error: unknown }): void {
    const job = slot.job as Job;
    slot.job = undefined;
    this.#busy -= 1;
    job.done(outcome);
    slot.jobsRun += 1;
    const max = this.#options.maxTasksPerChild;
    if (max !== undefined && slot.jobsRun >= max && this.#state !== "terminated") {
      slot.jobsRun = 0;
      this.#start(slot); // a fresh "worker": the initializer runs again
    } else {
      this.#idle.push(slot);
      this.#dispatch();
    }
    this.#checkEnded();
  }

  #checkEnded(): void {
    const drained = this.#state === "terminated" || (this.#state === "closed" && this.#queue.size === 0);
    if (drained && this.#busy === 0 && this.#starting === 0) this.#ended.resolve();
  }
}
