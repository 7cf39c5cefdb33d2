/**
 * Exercise 01.3 · A worker with a thread's lifecycle
 *
 * `ReusableWorker` starts in its constructor and never stops, as seed 002's
 * daemon thread does. A Python `Thread` has a fuller life (python-semantics
 * items 35–37, 40); give one to a queue-fed worker:
 *
 * - `start()` starts the loop; nothing runs before it (tasks given earlier
 *   wait in the queue). A second `start()`, even after the run has ended,
 *   throws `InvalidStateError("threads can only be started once")`.
 * - `stop()` lets every task already queued finish, then ends the loop; after
 *   it, `applyAsync` throws an `InvalidStateError`. Calling it twice, or
 *   before `start()`, is fine.
 * - `isAlive()` is true from `start()` until the loop has ended.
 * - `join(timeoutMs?)` resolves (with `undefined`) when the loop has ended, or
 *   when `timeoutMs` has passed, whichever is first; the caller asks
 *   `isAlive()` to know which. Before `start()` it throws at once
 *   `InvalidStateError("cannot join thread before it is started")`.
 * - A task that throws goes to `onError` (default `console.error`) and the
 *   worker goes on. An idle worker keeps no handle open, nor does a `join`
 *   whose loop ended before its timeout.
 * - Bad input throws at the call: a task or an `onError` that is not a
 *   function (`TypeError`), a `timeoutMs` that is negative or not finite
 *   (`RangeError`).
 *
 * Build it from the kit's parts: `AsyncQueue`, `serve` and `STOP`.
 *
 * Run `npm run exercise -- 01.3` to test, `npm run hint -- 01.3` if stuck.
 */
import type { ErrorReporter, Task } from "pools-by-hand";

/** Options for {@link ThreadLikeWorker}. */
export interface ThreadLikeWorkerOptions {
  /** Told about each task that throws or rejects. Defaults to `console.error`. */
  onError?: ErrorReporter | undefined;
}

/** A queue-fed worker that starts, stops and joins like a Python `Thread`. */
export class ThreadLikeWorker {
  constructor(options: ThreadLikeWorkerOptions = {}) {
    throw new Error("TODO(01.3): keep a queue and the reporter (check that onError is a function)");
  }

  /** Starts the loop. A second call throws, even after the loop has ended. */
  start(): void {
    throw new Error("TODO(01.3): start serve() on the queue, once");
  }

  /** Queues a task; refused once `stop()` was called. */
  applyAsync(task: Task): void {
    throw new Error("TODO(01.3): queue the task, unless stop() was called");
  }

  /** Lets the tasks already queued finish, then ends the loop. */
  stop(): void {
    throw new Error("TODO(01.3): put STOP in the queue, once");
  }

  /** True from `start()` until the loop has ended. */
  isAlive(): boolean {
    throw new Error("TODO(01.3): report whether the loop runs");
  }

  /** Resolves when the loop has ended or after `timeoutMs`, whichever is first. */
  join(timeoutMs?: number): Promise<void> {
    throw new Error("TODO(01.3): wait for the loop, or for the timeout");
  }
}
