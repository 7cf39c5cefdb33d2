/**
 * Solution 01.2 · A queue that can be shut down
 *
 * Shutting down is a flag plus a way to wake whoever is parked in `get()` or
 * `put()`. `AsyncQueue` already wakes a parked caller when its signal aborts,
 * so each call that is about to wait gets a signal of its own, and
 * `shutdown()` aborts them all with a `QueueShutDown`.
 */
import { AsyncQueue, type WaitOptions } from "pools-by-hand";

/** Thrown by `put` after a shutdown, and by `get` once a shut-down queue is empty. Python's `queue.ShutDown`. */
export class QueueShutDown extends Error {
  override name = "QueueShutDown";
  constructor(message = "the queue is shut down") {
    super(message);
  }
}

/** How to shut a queue down. */
export interface ShutdownOptions {
  /** Drop the items still stored instead of letting getters drain them. */
  immediate?: boolean | undefined;
}

/** An `AsyncQueue` with Python 3.13's `shutdown()`. */
export class ShutdownQueue<T> extends AsyncQueue<T> {
  #isShutdown = false;
  /** One controller per caller parked in `get()` or `put()`. */
  #parked = new Set<AbortController>();

  /** Whether `shutdown()` has been called. */
  get isShutdown(): boolean {
    return this.#isShutdown;
  }

  /**
   * Refuses new items from now on and wakes every parked caller with a
   * `QueueShutDown`. With `immediate`, also drops the stored items, each one
   * counted as done. Calling it again is harmless.
   */
  shutdown({ immediate = false }: ShutdownOptions = {}): void {
    if (typeof immediate !== "boolean") throw new TypeError(`immediate must be a boolean, got ${String(immediate)}`);
    this.#isShutdown = true;
    // Wake the parked first: a parked putter must not slip into a slot the drain below frees.
    for (const controller of this.#parked) controller.abort(new QueueShutDown());
    this.#parked.clear();
    if (!immediate) return;
    while (!this.empty()) {
      super.getNowait();
      // Never below zero: an item can be stored after its taskDone() came (taskDone needs no get).
      if (this.unfinishedTasks > 0) this.taskDone();
    }
  }

  override putNowait(item: T): void {
    if (this.#isShutdown) throw new QueueShutDown();
    super.putNowait(item);
  }

  override put(item: T, options: WaitOptions = {}): Promise<void> {
    if (this.#isShutdown) return Promise.reject(new QueueShutDown());
    if (!this.full()) return super.put(item, options);
    return this.#wakeable(options, (waitOptions) => super.put(item, waitOptions));
  }

  override getNowait(): T {
    if (this.#isShutdown && this.empty()) throw new QueueShutDown();
    return super.getNowait();
  }

  override get(options: WaitOptions = {}): Promise<T> {
    if (this.#isShutdown && this.empty()) return Promise.reject(new QueueShutDown());
    if (!this.empty()) return super.get(options);
    return this.#wakeable(options, (waitOptions) => super.get(waitOptions));
  }

  /**
   * Makes a call that is about to wait with a signal of its own, aborted by the
   * caller's signal (with the caller's reason) or by `shutdown()`, and unlinked
   * when the call settles. `AbortSignal.any([caller, queueWide])` would be
   * shorter, but on Node 20 it keeps every signal it makes linked to the
   * long-lived one until that one aborts: a leak in a consumer's loop.
   */
  #wakeable<R>(options: WaitOptions, call: (options: WaitOptions) => Promise<R>): Promise<R> {
    const callerSignal = options.signal;
    // AsyncQueue throws for a signal that is not one, and rejects for one already aborted.
    if (callerSignal !== undefined && (!(callerSignal instanceof AbortSignal) || callerSignal.aborted)) return call(options);
    const controller = new AbortController();
    const waiting = call({ timeoutMs: options.timeoutMs, signal: controller.signal }); // a bad timeoutMs throws here
    const forward = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", forward, { once: true });
    this.#parked.add(controller);
    return waiting.finally(() => {
      this.#parked.delete(controller);
      callerSignal?.removeEventListener("abort", forward);
    });
  }
}
