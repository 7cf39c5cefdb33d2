/**
 * A first-in, first-out list that stays fast when it grows large.
 *
 * `Array.prototype.shift` moves every remaining element, so a queue built on it
 * slows down as it fills up. `Fifo` reads from a head index instead and only
 * compacts the array once the consumed part outweighs the live part, so `push`
 * and `shift` both cost O(1) amortised.
 *
 * @example
 * ```ts
 * const fifo = new Fifo<string>();
 * fifo.push("a");
 * fifo.push("b");
 * fifo.shift(); // "a"
 * fifo.size;    // 1
 * ```
 */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** How many items are waiting. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /**
   * Appends an item at the tail.
   *
   * @example
   * ```ts
   * new Fifo<number>().push(1);
   * ```
   */
  push(item: T): void {
    this.#items.push(item);
  }

  /**
   * Removes and returns the item at the head, or `undefined` when empty.
   *
   * @example
   * ```ts
   * const fifo = new Fifo<number>();
   * fifo.push(1);
   * fifo.shift(); // 1
   * fifo.shift(); // undefined
   * ```
   */
  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined; // let the item be collected
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /**
   * Returns the item at the head without removing it.
   *
   * @example
   * ```ts
   * const fifo = new Fifo<number>();
   * fifo.push(7);
   * fifo.peek(); // 7, still queued
   * ```
   */
  peek(): T | undefined {
    return this.#head === this.#items.length ? undefined : this.#items[this.#head];
  }

  /**
   * Keeps only the items for which `keep` returns true, in order.
   *
   * @example
   * ```ts
   * const fifo = new Fifo<number>();
   * [1, 2, 3].forEach((n) => fifo.push(n));
   * fifo.retain((n) => n !== 2); // fifo now holds 1, 3
   * ```
   */
  retain(keep: (item: T) => boolean): void {
    const kept: T[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as T;
      if (keep(item)) kept.push(item);
    }
    this.#items = kept;
    this.#head = 0;
  }

  /**
   * Removes every item and returns them in order.
   *
   * @example
   * ```ts
   * const fifo = new Fifo<number>();
   * fifo.push(1);
   * fifo.drain(); // [1], and fifo is empty
   * ```
   */
  drain(): T[] {
    const items = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return items;
  }
}
