/**
 * Thrown by {@link AsyncQueue.getNowait}, and by a timed `get`, when there is no
 * item to take. Python's `queue.Empty`.
 *
 * @example
 * ```ts
 * try {
 *   new AsyncQueue<number>().getNowait();
 * } catch (error) {
 *   error instanceof QueueEmpty; // true
 * }
 * ```
 */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
  constructor(message = "the queue is empty") {
    super(message);
  }
}

/**
 * Thrown by {@link AsyncQueue.putNowait}, and by a timed `put`, when a bounded
 * queue has no free slot. Python's `queue.Full`.
 *
 * @example
 * ```ts
 * const queue = new AsyncQueue<number>(1);
 * queue.putNowait(1);
 * try {
 *   queue.putNowait(2);
 * } catch (error) {
 *   error instanceof QueueFull; // true
 * }
 * ```
 */
export class QueueFull extends Error {
  override name = "QueueFull";
  constructor(message = "the queue is full") {
    super(message);
  }
}

/**
 * A call made at the wrong moment: one `taskDone()` too many, a pool that is
 * not running, a pool joined while still running. Python raises `ValueError`
 * for these; the kit keeps Python's message and gives the error its own type.
 *
 * @example
 * ```ts
 * try {
 *   new AsyncQueue().taskDone();
 * } catch (error) {
 *   (error as Error).message; // "task_done() called too many times"
 * }
 * ```
 */
export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}
