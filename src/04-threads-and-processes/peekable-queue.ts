import { AsyncQueue } from "../01-reusable-worker/async-queue.js";
import { Fifo } from "../01-reusable-worker/fifo.js";

/**
 * An {@link 01-reusable-worker!AsyncQueue} that can show its next item without taking it, built
 * on the three storage hooks step 01 left for subclasses. The pool's runner
 * uses it to decide whether the next job may join a batch.
 *
 * @example
 * ```ts
 * const queue = new PeekableQueue<string>();
 * queue.putNowait("a");
 * queue.peek();      // "a", still queued
 * queue.getNowait(); // "a"
 * ```
 */
export class PeekableQueue<T> extends AsyncQueue<T> {
  #items = new Fifo<T>();

  /**
   * The next item, or `undefined` when empty.
   *
   * @example
   * ```ts
   * if (queue.peek() !== undefined) queue.getNowait();
   * ```
   */
  peek(): T | undefined {
    return this.#items.peek();
  }

  protected override storeItem(item: T): void {
    this.#items.push(item);
  }

  protected override takeItem(): T {
    return this.#items.shift() as T;
  }

  protected override itemCount(): number {
    return this.#items.size;
  }
}
