/**
 * Exercise 02.3 · A bounded queue: applyAsync waits when it is full
 *
 * `SimplePool`'s queue has no limit. A producer that gives tasks faster than
 * the workers finish them fills memory with waiting tasks. Python's
 * `queue.Queue(maxsize)` pushes back instead: `put` blocks while the queue is
 * full. Python's `Pool` has no such option. piscina's `maxQueue` throws
 * instead of waiting.
 *
 * Build `BoundedPool(size, maxQueued)`, a SimplePool whose `applyAsync` pushes
 * back:
 * - `applyAsync(task)` returns a promise. It resolves once the task is in the
 *   pool's queue. While `maxQueued` tasks are already queued and none of them
 *   has started, it waits. Tasks still start in the order they were given.
 * - Bad input is refused at the call, never as a rejected promise. A `task`
 *   that is not a function throws a `TypeError`. A `maxQueued` that is not a
 *   whole number of at least 1 throws a `TypeError` or `RangeError` naming
 *   `maxQueued`.
 * - Python's rules stay. `applyAsync` after `close()` throws
 *   `InvalidStateError("Pool not running")` at the call. `join()` before
 *   `close()` throws `InvalidStateError("Pool is still running")`. `state` is
 *   "CLOSE" as soon as `close()` returns.
 * - A call that was accepted is a promise kept. Its task runs, even when
 *   `close()` comes while it is still waiting for room. `join()` waits for it.
 *
 * Tip: a bounded `AsyncQueue` from step 01 already knows how to make a `put`
 * wait for room, and it serves waiting putters first come, first served.
 *
 * Run `npm run exercise -- 02.3` to test, `npm run hint -- 02.3` if stuck.
 */
import { SimplePool, type SimplePoolOptions, type SimplePoolState, type Task } from "pools-by-hand";

/** A SimplePool whose applyAsync waits while `maxQueued` tasks wait to start. */
export class BoundedPool extends SimplePool {
  constructor(size: number, maxQueued: number, options: SimplePoolOptions = {}) {
    super(size, options);
    throw new Error(`TODO(02.3): check maxQueued (${maxQueued}) and keep what you need to count the queued tasks`);
  }

  /** "RUN", or "CLOSE" from the moment close() is called. */
  override get state(): SimplePoolState {
    throw new Error("TODO(02.3): report CLOSE as soon as close() was called");
  }

  /** Resolves once the task is queued, waiting while `maxQueued` tasks wait to start. */
  override applyAsync(task: Task): Promise<void> {
    throw new Error("TODO(02.3): wait for room, then give the task to the pool");
  }

  /** Refuses new tasks; the ones accepted, waiting for room or not, still run. */
  override close(): void {
    throw new Error("TODO(02.3): close the pool once every accepted task is in it");
  }

  /** Resolves once every accepted task has finished and the workers have exited. */
  override join(): Promise<void> {
    throw new Error("TODO(02.3): wait for the delayed close, then for the pool");
  }
}
