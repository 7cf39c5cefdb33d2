/**
 * A clock the test moves by hand. While installed it stands in for the global
 * `setTimeout` and `clearTimeout`, so the timers of the code under test (a
 * queue's `timeoutMs`, a result's `get(timeoutMs)`, a task that sleeps) fire
 * only when the test says so, in a fixed order: by due time, then in the
 * order they were set. A schedule then runs the same way every time, which
 * is what lets a property test replay and shrink it, and a thousand runs
 * take well under a second because nobody really waits.
 *
 * `setImmediate` stays real: the clock uses it to let promise chains move on
 * between two timers, as Node's event loop drains microtasks after each one.
 */
import { flushMicrotasks } from "./index.js";

interface VirtualTimer {
  due: number;
  order: number;
  callback: (...args: unknown[]) => void;
  args: unknown[];
}

/** What `setTimeout` returns while the clock is installed: enough of Node's `Timeout` for the kit. */
class VirtualTimeout {
  constructor(readonly id: number) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/**
 * Virtual time for one test run: install, drive, uninstall (in `finally`).
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * clock.install();
 * try {
 *   const slept = new Promise((resolve) => setTimeout(resolve, 50));
 *   await clock.advance(50); // slept is resolved, and no real time passed
 * } finally {
 *   clock.uninstall();
 * }
 * ```
 */
export class VirtualClock {
  #now = 0;
  #next = 1;
  #timers = new Map<number, VirtualTimer>();
  #saved: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } | undefined;

  /** Milliseconds since the clock was made. */
  get now(): number {
    return this.#now;
  }

  /** How many timers are set and have not fired. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Replaces the global `setTimeout` and `clearTimeout` with this clock's. */
  install(): void {
    if (this.#saved) return;
    this.#saved = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    const fake = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const id = this.#next++;
      const delay = Math.max(1, Math.floor(Number(ms) || 0)); // Node runs setTimeout(fn, 0) after 1 ms too
      this.#timers.set(id, { due: this.#now + delay, order: id, callback, args });
      return new VirtualTimeout(id);
    };
    const clear = (handle: unknown) => {
      if (handle instanceof VirtualTimeout) this.#timers.delete(handle.id);
      else if (typeof handle === "number") this.#timers.delete(handle);
    };
    globalThis.setTimeout = fake as unknown as typeof setTimeout;
    globalThis.clearTimeout = clear as unknown as typeof clearTimeout;
  }

  /** Puts the real timers back. Timers still pending are dropped. */
  uninstall(): void {
    if (!this.#saved) return;
    globalThis.setTimeout = this.#saved.setTimeout;
    globalThis.clearTimeout = this.#saved.clearTimeout;
    this.#saved = undefined;
    this.#timers.clear();
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way,
   * one at a time, and letting promise chains settle after each.
   */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (let timer = this.#earliest(); timer && timer.due <= until; timer = this.#earliest()) {
      await this.#fire(timer);
    }
    this.#now = until;
    await flushMicrotasks();
  }

  /**
   * Fires timers in order until none is left or `limit` ms of virtual time
   * have passed; resolves to whether none is left.
   */
  async runAll(limit = 60_000): Promise<boolean> {
    const until = this.#now + limit;
    await flushMicrotasks();
    for (let timer = this.#earliest(); timer && timer.due <= until; timer = this.#earliest()) {
      await this.#fire(timer);
    }
    return this.#timers.size === 0;
  }

  #earliest(): VirtualTimer | undefined {
    let first: VirtualTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (!first || timer.due < first.due || (timer.due === first.due && timer.order < first.order)) first = timer;
    }
    return first;
  }

  async #fire(timer: VirtualTimer): Promise<void> {
    this.#timers.delete(timer.order);
    this.#now = Math.max(this.#now, timer.due);
    timer.callback(...timer.args);
    await flushMicrotasks();
  }
}
