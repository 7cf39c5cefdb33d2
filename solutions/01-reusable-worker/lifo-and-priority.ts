/**
 * Solution 01.1 · LIFO and priority queues
 *
 * Only storage changes; waiting, timeouts and task accounting are inherited.
 */
import { AsyncQueue } from "pools-by-hand";

/** A queue whose newest item comes out first. */
export class LifoQueue<T> extends AsyncQueue<T> {
  #stack: T[] = [];

  protected override storeItem(item: T): void {
    this.#stack.push(item);
  }

  protected override takeItem(): T {
    return this.#stack.pop() as T;
  }

  protected override itemCount(): number {
    return this.#stack.length;
  }
}

/** Orders two items: negative when `a` should come out before `b`. */
export type Compare<T> = (a: T, b: T) => number;

const natural = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** A queue whose smallest item comes out first, kept in a binary heap. */
export class PriorityQueue<T> extends AsyncQueue<T> {
  #heap: T[] = [];
  #compare: Compare<T>;

  constructor(maxsize = 0, compare: Compare<T> = natural) {
    super(maxsize);
    this.#compare = compare;
  }

  protected override storeItem(item: T): void {
    const heap = this.#heap;
    heap.push(item);
    // Sift up: swap with the parent while smaller than it.
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#compare(heap[i] as T, heap[parent] as T) >= 0) break;
      [heap[i], heap[parent]] = [heap[parent] as T, heap[i] as T];
      i = parent;
    }
  }

  protected override takeItem(): T {
    const heap = this.#heap;
    const top = heap[0] as T;
    const last = heap.pop() as T;
    if (heap.length > 0) {
      heap[0] = last;
      // Sift down: swap with the smaller child while larger than it.
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.#compare(heap[left] as T, heap[smallest] as T) < 0) smallest = left;
        if (right < heap.length && this.#compare(heap[right] as T, heap[smallest] as T) < 0) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest] as T, heap[i] as T];
        i = smallest;
      }
    }
    return top;
  }

  protected override itemCount(): number {
    return this.#heap.length;
  }
}
