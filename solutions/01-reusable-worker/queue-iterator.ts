/**
 * Solution 01.4 · for await over a queue, with taskDone built in
 *
 * The whole trick is `try { yield item } finally { queue.taskDone() }`. The
 * generator stays paused at `yield` while the loop body runs; it resumes, and
 * runs the `finally`, when the loop asks for the next item, and also when the
 * loop is left by `break`, `return` or `throw`, because `for await` then
 * calls the generator's `return()`.
 */
import { STOP, type AsyncQueue } from "pools-by-hand";

/** Options for {@link items}. */
export interface ItemsOptions {
  /** Stop waiting for the next item when this aborts; the loop throws its reason. */
  signal?: AbortSignal | undefined;
}

/**
 * The items of `queue`, in order, until it takes `STOP`. Each item is marked
 * done when the loop body that received it finishes, however it finishes.
 */
export function items<T>(queue: AsyncQueue<T | typeof STOP>, options: ItemsOptions = {}): AsyncGenerator<T, void, undefined> {
  // A generator's body only runs at the first next(): check here, so a bad call fails where it is made.
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal, got ${String(signal)}`);
  }
  return take(queue, signal);
}

async function* take<T>(queue: AsyncQueue<T | typeof STOP>, signal: AbortSignal | undefined): AsyncGenerator<T, void, undefined> {
  for (;;) {
    const item = await queue.get({ signal });
    if (item === STOP) {
      queue.taskDone();
      return;
    }
    try {
      yield item;
    } finally {
      queue.taskDone();
    }
  }
}
