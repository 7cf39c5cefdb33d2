/**
 * Exercise 02.1 · A pool you can resize
 *
 * `SimplePool` has a fixed size, like Python's `Pool`. Give it a `resize(size)`
 * that grows or shrinks a running pool without losing a task or running one
 * twice. `SimplePool` lends subclasses two protected methods for this:
 *
 * - `this.addWorker()` starts one more worker on the shared queue. It takes
 *   the oldest waiting task at once.
 * - `this.retireWorker()` puts one STOP behind the tasks already queued. The
 *   first worker to take it exits, so the pool shrinks once those tasks have
 *   started, and no task is dropped.
 *
 * `this.size` says how many workers the pool has now.
 *
 * The rules:
 * - `resize(size)` changes `this.size` to `size` at once. Tasks given after
 *   the call never run more than `size` at a time.
 * - After `close()`, `resize` throws `InvalidStateError("Pool not running")`.
 *   This holds for any size, even the current one.
 * - Bad sizes are refused before anything changes: a non-number throws a
 *   `TypeError` and a fraction throws a `RangeError`, both naming `size`. A
 *   size below 1 throws `RangeError("Number of processes must be at least 1")`.
 *
 * Run `npm run exercise -- 02.1` to test, `npm run hint -- 02.1` if stuck.
 */
import { SimplePool } from "pools-by-hand";

/** A SimplePool whose number of workers can change while it runs. */
export class ResizablePool extends SimplePool {
  /** Grows or shrinks the pool to `size` workers. */
  resize(size: number): void {
    throw new Error(`TODO(02.1): start or retire workers until the pool has ${size} of them`);
  }
}
