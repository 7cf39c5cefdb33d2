/**
 * Exercise 01.2 · A queue that can be shut down
 *
 * Python 3.13 gave `queue.Queue` a `shutdown()`: the polite end of a queue,
 * with no sentinel to put. Build it on `AsyncQueue` (python-semantics items
 * 19–22):
 *
 * - `shutdown()` sets `isShutdown`. From then on `put`/`putNowait` are refused
 *   with a `QueueShutDown` (a rejected promise / a throw), adding nothing.
 *   Gets keep draining the stored items, in order; once the queue is empty they
 *   say `QueueShutDown` (not `QueueEmpty`).
 * - Callers already waiting are woken at once with a `QueueShutDown`: getters
 *   parked on an empty queue, putters parked on a full one (their items stay
 *   out), whatever timeout or signal they came with.
 * - `shutdown({ immediate: true })` also drops every stored item and counts
 *   each one as done (`taskDone()`), never taking the count below zero; items
 *   already taken keep `join()` waiting until their own `taskDone()`.
 * - Calling `shutdown()` again, either way, is harmless. A non-boolean
 *   `immediate` is a `TypeError` that shuts nothing down.
 *
 * `AsyncQueue` already wakes a parked caller whose `signal` aborts: that is
 * the door in. Everything else (order, timeouts, `taskDone`, `join`) is
 * inherited; do not rewrite it.
 *
 * Run `npm run exercise -- 01.2` to test, `npm run hint -- 01.2` if stuck.
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
  /** Whether `shutdown()` has been called. */
  get isShutdown(): boolean {
    throw new Error("TODO(01.2): report whether shutdown() was called");
  }

  /** Refuses new items, wakes every parked caller; with `immediate`, drops the stored items. */
  shutdown(options: ShutdownOptions = {}): void {
    throw new Error("TODO(01.2): shut the queue down");
  }

  override putNowait(item: T): void {
    throw new Error("TODO(01.2): refuse items after a shutdown, else add it as AsyncQueue does");
  }

  override put(item: T, options: WaitOptions = {}): Promise<void> {
    throw new Error("TODO(01.2): refuse items after a shutdown; a putter that waits must be wakeable by shutdown()");
  }

  override getNowait(): T {
    throw new Error("TODO(01.2): QueueShutDown once a shut-down queue is empty, else take as AsyncQueue does");
  }

  override get(options: WaitOptions = {}): Promise<T> {
    throw new Error("TODO(01.2): QueueShutDown once a shut-down queue is empty; a getter that waits must be wakeable by shutdown()");
  }
}
