/** A fresh ring's slots; always a power of two, so a slot index wraps with a mask. */
const FIRST_CAPACITY = 16;
/** A ring grown past this many slots starts small again once it empties. */
const KEEP_AT_MOST = 1024;

/**
 * A first-in, first-out list that stays fast when it grows large.
 *
 * `Array.prototype.shift` moves every remaining element, so a queue built on it
 * slows down as it fills up. `Fifo` is a ring buffer instead: the items sit in
 * a fixed array of slots, the head index walks forward and wraps around, and
 * only a full ring is copied, into one twice its size. `push` and `shift` both
 * cost O(1), amortised over the doublings.
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
  #ring: (T | undefined)[] = new Array<T | undefined>(FIRST_CAPACITY);
  #head = 0;
  #size = 0;

  /** How many items are waiting. */
  get size(): number {
    return this.#size;
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
    if (this.#size === this.#ring.length) this.#resize(this.#ring.length * 2);
    this.#ring[(this.#head + this.#size) & (this.#ring.length - 1)] = item;
    this.#size += 1;
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
    if (this.#size === 0) return undefined;
    const item = this.#ring[this.#head];
    this.#ring[this.#head] = undefined; // let the item be collected
    this.#head = (this.#head + 1) & (this.#ring.length - 1);
    this.#size -= 1;
    // After a burst, an empty queue should not keep a burst's worth of slots.
    if (this.#size === 0 && this.#ring.length > KEEP_AT_MOST) this.#resize(FIRST_CAPACITY);
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
    return this.#size === 0 ? undefined : this.#ring[this.#head];
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
    for (const item of this.drain()) if (keep(item)) this.push(item);
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
    const items = this.#inOrder(this.#size);
    this.#ring = new Array<T | undefined>(FIRST_CAPACITY);
    this.#head = 0;
    this.#size = 0;
    return items;
  }

  /** Moves the items, in order, to the start of a ring of `capacity` slots. */
  #resize(capacity: number): void {
    const items = this.#inOrder(capacity);
    this.#ring = items;
    this.#head = 0;
  }

  /** The items from head to tail, at the start of a new array of `length`. */
  #inOrder(length: number): T[] {
    const items = new Array<T>(length);
    const mask = this.#ring.length - 1;
    for (let i = 0; i < this.#size; i++) items[i] = this.#ring[(this.#head + i) & mask] as T;
    return items;
  }
}
