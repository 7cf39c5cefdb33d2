/**
 * Exercise 01.1 · LIFO and priority queues
 *
 * CPython builds `LifoQueue` and `PriorityQueue` by subclassing `Queue` and
 * overriding only where items are kept: `_put`, `_get` and `_qsize`. Everything
 * else — waiting, timeouts, `task_done()` and `join()` — is inherited unchanged.
 * `AsyncQueue` offers the same three hooks: `storeItem`, `takeItem` and
 * `itemCount`.
 *
 * Build:
 * - `LifoQueue<T>`: the newest item comes out first (a stack).
 * - `PriorityQueue<T>`: the smallest item comes out first, as decided by a
 *   `compare(a, b)` function (negative when `a` comes first). The default
 *   compares numbers and strings with `<`. Keep it fast for many items: a
 *   binary heap, not a sort on every put.
 *
 * Putting 111, 333, 222 gives 222, 333, 111 from the LIFO queue and 111, 222,
 * 333 from the priority queue (python-semantics item 5).
 *
 * Run `npm run exercise -- 01.1` to test, `npm run hint -- 01.1` if stuck.
 */
import { AsyncQueue } from "pools-by-hand";

/** A queue whose newest item comes out first. */
export class LifoQueue<T> extends AsyncQueue<T> {
  protected override storeItem(item: T): void {
    throw new Error("TODO(01.1): keep the item on a stack");
  }

  protected override takeItem(): T {
    throw new Error("TODO(01.1): take the newest item");
  }

  protected override itemCount(): number {
    throw new Error("TODO(01.1): count the items on the stack");
  }
}

/** Orders two items: negative when `a` should come out before `b`. */
export type Compare<T> = (a: T, b: T) => number;

/** A queue whose smallest item comes out first. */
export class PriorityQueue<T> extends AsyncQueue<T> {
  constructor(maxsize = 0, compare?: Compare<T>) {
    super(maxsize);
    throw new Error("TODO(01.1): keep `compare` (or a default for numbers and strings)");
  }

  protected override storeItem(item: T): void {
    throw new Error("TODO(01.1): add the item to a binary heap");
  }

  protected override takeItem(): T {
    throw new Error("TODO(01.1): take the smallest item off the heap");
  }

  protected override itemCount(): number {
    throw new Error("TODO(01.1): count the items in the heap");
  }
}
