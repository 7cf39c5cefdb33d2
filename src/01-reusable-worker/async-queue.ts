import { checkInteger, checkSignal, checkTimeout } from "./checks.js";
import { InvalidStateError, QueueEmpty, QueueFull } from "./errors.js";
import { Fifo } from "./fifo.js";

/**
 * How long a blocking {@link 01-reusable-worker!AsyncQueue.get} or {@link 01-reusable-worker!AsyncQueue.put} may wait.
 *
 * @example
 * ```ts
 * await queue.get({ timeoutMs: 500 });                  // QueueEmpty after 0.5 s
 * await queue.get({ signal: AbortSignal.timeout(500) }); // the signal's reason
 * ```
 */
export interface WaitOptions {
  /** Give up after this many milliseconds (`0`: do not wait at all). */
  timeoutMs?: number | undefined;
  /** Give up when this signal aborts; the promise rejects with its `reason`. */
  signal?: AbortSignal | undefined;
}

/** A caller parked in `get()` or `put()`, waiting for an item or a free slot. */
interface Waiter<V> {
  settled: boolean;
  resolve(value: V): void;
  reject(error: unknown): void;
  /** Disarms the waiter's timer and abort listener, if it has them. */
  disarm?: () => void;
}

/** A parked `put()` carries the item it wants to add. */
interface Putter<T> extends Waiter<void> {
  item: T;
}

/**
 * A queue for async producers and consumers, with Python's task accounting.
 *
 * It follows `queue.Queue` and `asyncio.Queue`: `put` adds an item (waiting
 * while a bounded queue is full), `get` takes the oldest one (waiting while the
 * queue is empty), and `join()` resolves once every item that was put has been
 * marked finished with `taskDone()`. The unfinished count goes up on `put` and
 * down only on `taskDone()`, never on `get`: taking an item is not finishing it.
 *
 * Waiting getters and putters are served first come, first served, and an item
 * goes straight to the first getter still waiting, so a getter that timed out
 * or was aborted can never swallow a later item.
 *
 * Subclasses change the order by overriding {@link 01-reusable-worker!AsyncQueue.storeItem},
 * {@link 01-reusable-worker!AsyncQueue.takeItem} and {@link 01-reusable-worker!AsyncQueue.itemCount}, as CPython's
 * `LifoQueue` and `PriorityQueue` override `_put`, `_get` and `_qsize`.
 *
 * @typeParam T - the type of the items.
 * @example
 * ```ts
 * const queue = new AsyncQueue<string>();
 * await queue.put("a");
 * const item = await queue.get(); // "a"
 * queue.taskDone();
 * await queue.join(); // resolves: nothing is unfinished
 * ```
 */
export class AsyncQueue<T> {
  /** The capacity given to the constructor; `0` or less means unbounded. */
  readonly maxsize: number;

  #items = new Fifo<T>();
  #getters = new Fifo<Waiter<T>>();
  #putters = new Fifo<Putter<T>>();
  #waitingGetters = 0;
  #waitingPutters = 0;
  #unfinished = 0;
  #allDone: { promise: Promise<void>; resolve(): void } | undefined;

  /**
   * @param maxsize - how many items the queue holds before `put` waits;
   *   `0` or less means no limit, as in Python.
   * @throws TypeError when `maxsize` is not a number; RangeError when it is not
   *   a whole number.
   * @example
   * ```ts
   * const unbounded = new AsyncQueue<number>();
   * const bounded = new AsyncQueue<number>(2); // the third put waits for a get
   * ```
   */
  constructor(maxsize = 0) {
    this.maxsize = checkInteger("maxsize", maxsize);
  }

  /**
   * How many items were put and not yet marked done with `taskDone()`.
   *
   * @example
   * ```ts
   * queue.putNowait("a");
   * queue.unfinishedTasks; // 1, and still 1 after get(), 0 after taskDone()
   * ```
   */
  get unfinishedTasks(): number {
    return this.#unfinished;
  }

  /**
   * Adds an item, waiting for a free slot if the queue is bounded and full.
   * When there is room the item is added before `put` returns, so the order of
   * calls is the order of items even without `await`.
   *
   * @returns a promise that resolves once the item is in the queue, or rejects
   *   with {@link QueueFull} when `timeoutMs` passes first, or with the signal's
   *   reason when `signal` aborts first. Either way the item is then not added.
   * @throws TypeError or RangeError, at once, for a bad `timeoutMs` or `signal`.
   * @example
   * ```ts
   * const queue = new AsyncQueue<number>(1);
   * await queue.put(1);
   * await queue.put(2, { timeoutMs: 100 }); // rejects with QueueFull after 100 ms
   * ```
   */
  put(item: T, options: WaitOptions = {}): Promise<void> {
    const timeoutMs = checkTimeout("timeoutMs", options.timeoutMs);
    const signal = checkSignal("signal", options.signal);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.full()) {
      this.#accept(item);
      return Promise.resolve();
    }
    if (timeoutMs === 0) return Promise.reject(new QueueFull());
    return new Promise<void>((resolve, reject) => {
      const putter: Putter<T> = { item, settled: false, resolve, reject };
      this.#putters.push(putter);
      this.#waitingPutters += 1;
      this.#park(putter, timeoutMs, signal, () => new QueueFull(), () => this.#forgetPutter());
    });
  }

  /**
   * Adds an item now, or throws {@link QueueFull} if there is no free slot.
   *
   * @example
   * ```ts
   * const queue = new AsyncQueue<number>(1);
   * queue.putNowait(1);
   * queue.putNowait(2); // throws QueueFull
   * ```
   */
  putNowait(item: T): void {
    if (this.full()) throw new QueueFull();
    this.#accept(item);
  }

  /**
   * Takes the oldest item, waiting for one if the queue is empty.
   *
   * @returns a promise of the item; it rejects with {@link QueueEmpty} when
   *   `timeoutMs` passes first, or with the signal's reason when `signal` aborts
   *   first. A getter that gave up takes nothing: the next item goes to the
   *   next getter.
   * @throws TypeError or RangeError, at once, for a bad `timeoutMs` or `signal`.
   * @example
   * ```ts
   * const queue = new AsyncQueue<string>();
   * setTimeout(() => queue.putNowait("late"), 10);
   * await queue.get(); // "late"
   * ```
   */
  get(options: WaitOptions = {}): Promise<T> {
    const timeoutMs = checkTimeout("timeoutMs", options.timeoutMs);
    const signal = checkSignal("signal", options.signal);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.itemCount() > 0) return Promise.resolve(this.#take());
    if (timeoutMs === 0) return Promise.reject(new QueueEmpty());
    return new Promise<T>((resolve, reject) => {
      const getter: Waiter<T> = { settled: false, resolve, reject };
      this.#getters.push(getter);
      this.#waitingGetters += 1;
      this.#park(getter, timeoutMs, signal, () => new QueueEmpty(), () => this.#forgetGetter());
    });
  }

  /**
   * Takes the oldest item now, or throws {@link QueueEmpty} if there is none.
   *
   * @example
   * ```ts
   * new AsyncQueue<number>().getNowait(); // throws QueueEmpty
   * ```
   */
  getNowait(): T {
    if (this.itemCount() === 0) throw new QueueEmpty();
    return this.#take();
  }

  /**
   * Marks one earlier item as finished. Call it once per item, after the work
   * the item stands for is done; when the count of unfinished items reaches
   * zero, every `join()` resolves.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError} `"task_done() called too many times"` when
   *   nothing is unfinished; the count stays at zero.
   * @example
   * ```ts
   * const item = await queue.get();
   * try {
   *   await handle(item);
   * } finally {
   *   queue.taskDone();
   * }
   * ```
   */
  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new InvalidStateError("task_done() called too many times");
    }
    this.#unfinished -= 1;
    if (this.#unfinished === 0 && this.#allDone) {
      const { resolve } = this.#allDone;
      this.#allDone = undefined;
      resolve();
    }
  }

  /**
   * Resolves once every item put so far has been marked done. It resolves at
   * once when nothing is unfinished, and all joiners are released together.
   *
   * @example
   * ```ts
   * queue.putNowait("job");
   * const joined = queue.join(); // pending
   * queue.getNowait();
   * queue.taskDone();
   * await joined; // resolves now
   * ```
   */
  join(): Promise<void> {
    if (this.#unfinished === 0) return Promise.resolve();
    if (!this.#allDone) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#allDone = { promise, resolve };
    }
    return this.#allDone.promise;
  }

  /**
   * How many items are stored now (not how many are unfinished).
   *
   * @example
   * ```ts
   * queue.putNowait(1);
   * queue.qsize(); // 1
   * ```
   */
  qsize(): number {
    return this.itemCount();
  }

  /**
   * Whether no item is stored.
   *
   * @example
   * ```ts
   * new AsyncQueue().empty(); // true
   * ```
   */
  empty(): boolean {
    return this.itemCount() === 0;
  }

  /**
   * Whether a bounded queue holds `maxsize` items; always false when unbounded.
   *
   * @example
   * ```ts
   * const queue = new AsyncQueue<number>(1);
   * queue.putNowait(1);
   * queue.full(); // true
   * ```
   */
  full(): boolean {
    return this.maxsize > 0 && this.itemCount() >= this.maxsize;
  }

  /**
   * Stores an item. Override it, with {@link 01-reusable-worker!AsyncQueue.takeItem} and
   * {@link 01-reusable-worker!AsyncQueue.itemCount}, to change the order items come out in.
   *
   * @example
   * ```ts
   * class LifoQueue<T> extends AsyncQueue<T> {
   *   #stack: T[] = [];
   *   protected override storeItem(item: T) { this.#stack.push(item); }
   *   protected override takeItem() { return this.#stack.pop() as T; }
   *   protected override itemCount() { return this.#stack.length; }
   * }
   * ```
   */
  protected storeItem(item: T): void {
    this.#items.push(item);
  }

  /**
   * Removes and returns the next item; only called when `itemCount() > 0`.
   *
   * @example
   * ```ts
   * protected override takeItem() { return this.#stack.pop() as T; }
   * ```
   */
  protected takeItem(): T {
    return this.#items.shift() as T;
  }

  /**
   * How many items are stored.
   *
   * @example
   * ```ts
   * protected override itemCount() { return this.#stack.length; }
   * ```
   */
  protected itemCount(): number {
    return this.#items.size;
  }

  /** Counts a new item as unfinished and gives it to a waiting getter, or stores it. */
  #accept(item: T): void {
    this.#unfinished += 1;
    const getter = this.#nextWaiting(this.#getters);
    if (getter) {
      // A getter waits only while nothing is stored, so handing the item over
      // directly keeps the order that storing it would have given.
      this.#waitingGetters -= 1;
      getter.resolve(item);
    } else {
      this.storeItem(item);
    }
  }

  /** Takes the next item, then lets the first waiting putter into the freed slot. */
  #take(): T {
    const item = this.takeItem();
    const putter = this.#nextWaiting(this.#putters);
    if (putter) {
      this.#waitingPutters -= 1;
      this.#accept(putter.item);
      putter.resolve();
    }
    return item;
  }

  /** Shifts waiters until one that is still waiting, marking it settled. */
  #nextWaiting<W extends Waiter<never>>(waiters: Fifo<W>): W | undefined {
    for (let waiter = waiters.shift(); waiter; waiter = waiters.shift()) {
      if (!waiter.settled) {
        waiter.settled = true;
        waiter.disarm?.();
        return waiter;
      }
    }
    return undefined;
  }

  /**
   * Arms the timeout and the abort signal of a parked waiter. Whichever of
   * "served", "timed out" and "aborted" happens first settles it; the others
   * find it settled and do nothing.
   */
  #park<V>(
    waiter: Waiter<V>,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    timeoutError: () => Error,
    forget: () => void,
  ): void {
    if (timeoutMs === undefined && signal === undefined) return;
    const giveUp = (error: unknown) => {
      if (waiter.settled) return;
      waiter.settled = true;
      waiter.disarm?.();
      forget();
      waiter.reject(error);
    };
    const onAbort = () => giveUp(signal?.reason);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => giveUp(timeoutError()), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    waiter.disarm = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
  }

  #forgetGetter(): void {
    this.#waitingGetters -= 1;
    if (this.#getters.size > 2 * this.#waitingGetters + 32) this.#getters.retain((w) => !w.settled);
  }

  #forgetPutter(): void {
    this.#waitingPutters -= 1;
    if (this.#putters.size > 2 * this.#waitingPutters + 32) this.#putters.retain((w) => !w.settled);
  }
}
