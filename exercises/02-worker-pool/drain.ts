/**
 * Exercise 02.2 · drain(): seed 002's join, on a pool that stays open
 *
 * Seed 002's hand-made `ThreadPool.join()` is only `queue.join()`. It waits
 * until every task given so far is done, and the pool keeps running. Python's
 * `Pool.join()` waits for the workers to exit, so it needs `close()` first.
 * `SimplePool.join()` follows Python's `Pool`.
 *
 * Add seed 002's kind of wait to `SimplePool` as `drain()`:
 * - It resolves once no task given to the pool is unfinished. A task counts
 *   as finished when it returns, throws or rejects. Tasks given while it
 *   waits, for example by a running task, are waited for too, as
 *   `queue.join()` does.
 * - The pool stays open: tasks can still be given, and `drain()` can be
 *   called again. It resolves at once when nothing is unfinished, including
 *   on a pool that was never given work.
 * - It must not resolve while a task runs, and it must not resolve because
 *   a task has been *taken* rather than *finished*.
 * - A refused `applyAsync` (after `close()`, or not a function) still throws as
 *   it does now, and adds nothing to wait for.
 *
 * Node's queue libraries have got each of these wrong at some point. fastq's
 * `drained()` resolved before the work ran (fastq#88). p-queue's `idle` never
 * fired on a queue that was never given work (p-queue#237).
 *
 * Tip: the kit already has a counter with exactly this kind of `join()`.
 *
 * Run `npm run exercise -- 02.2` to test, `npm run hint -- 02.2` if stuck.
 */
import { SimplePool, type Task } from "pools-by-hand";

/** A SimplePool that can also wait for the tasks so far without closing. */
export class DrainablePool extends SimplePool {
  /** Queues a task, as SimplePool does, and counts it until it finishes. */
  override applyAsync(task: Task): void {
    throw new Error("TODO(02.2): count the task, and mark it finished when it returns, throws or rejects");
  }

  /** Resolves once every task given so far has finished; the pool stays open. */
  drain(): Promise<void> {
    throw new Error("TODO(02.2): wait until nothing given so far is unfinished");
  }
}
