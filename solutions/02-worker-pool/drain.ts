/**
 * Solution 02.2 · drain(): seed 002's join, on a pool that stays open
 *
 * An AsyncQueue is the counter: one item per task given and not finished yet.
 * Its join() already has the semantics drain() needs.
 */
import { AsyncQueue, SimplePool, type Task } from "pools-by-hand";

/** A SimplePool that can also wait for the tasks so far without closing. */
export class DrainablePool extends SimplePool {
  #unfinished = new AsyncQueue<Task>();

  /** Queues a task, as SimplePool does, and counts it until it finishes. */
  override applyAsync(task: Task): void {
    if (typeof task !== "function") throw new TypeError(`task must be a function, got ${typeof task}`);
    super.applyAsync(async () => {
      try {
        return await task();
      } finally {
        this.#unfinished.getNowait();
        this.#unfinished.taskDone();
      }
    });
    this.#unfinished.putNowait(task);
  }

  /** Resolves once every task given so far has finished; the pool stays open. */
  drain(): Promise<void> {
    return this.#unfinished.join();
  }
}
