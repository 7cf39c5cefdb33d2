/**
 * Exercise 01.4 · for await over a queue, with taskDone built in
 *
 * The chapter's worst failure is a forgotten `taskDone()`: `join()` never
 * resolves. Make it impossible to forget. Write `items(queue)`, an async
 * iterator over a queue's items, so that a consumer is just:
 *
 *     for await (const job of items(queue)) await handle(job);
 *
 * - It yields the items in order, waiting for more when the queue is empty,
 *   and ends when it takes `STOP` (which gets its `taskDone()` too).
 * - Each item is marked done (`taskDone()`) once the loop body that received
 *   it has finished, however it finishes: normally, by `break` or `return`,
 *   or by throwing (the error still comes out of the loop). Not earlier: while
 *   the body runs, the item counts as unfinished.
 * - With `{ signal }`, an abort while waiting for the next item ends the loop
 *   by throwing the signal's reason, taking nothing from the queue.
 * - A `signal` that is not an `AbortSignal` is a `TypeError` thrown by the
 *   call `items(...)` itself, not later at the first item.
 *
 * Run `npm run exercise -- 01.4` to test, `npm run hint -- 01.4` if stuck.
 */
import type { AsyncQueue, STOP } from "pools-by-hand";

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
  throw new Error("TODO(01.4): check the signal, then return an async generator over the queue");
}
