/**
 * Exercise 07.3 · Delayed, urgent and periodic tasks
 *
 * A Postgres job queue can do what an in-process queue of chapter 02 could
 * not, because each job is a row: graphile-worker's jobs carry a `run_at`
 * (no worker takes the job before it) and a `priority` (among the jobs due,
 * the smaller number runs first; 0 by default). The kit's `QueueClient`
 * passes both per job, as `JobOptions` (`runAt`, `priority`), and sends a task
 * by name alone: `client.submit({ task, items: [args], star: true }, options)`
 * resolves to the list of values, one per item.
 *
 * Build `Scheduler`:
 * - `at(when, task, args)`: the job runs no earlier than `when`; resolves to the value;
 * - `later(delayMs, task, args)`: the same, `delayMs` from now;
 * - `urgent(task, args)`: priority -10, ahead of every job waiting with the default;
 * - `every(intervalMs, task, args, onValue)`: runs the task again and again, the
 *   k-th run due at start + k × intervalMs (a late run does not push the next
 *   ones back), passing each value to `onValue`. It returns `{ stop() }`: after
 *   `stop()` no run is submitted and no value is passed on; `stop()` resolves
 *   once the run already submitted has settled.
 *
 * `stamp` and `nap` are the tasks the tests give it (the workers load this module).
 *
 * Run `npm run exercise -- 07.3` to test, `npm run hint -- 07.3` if stuck.
 */
import type { QueueClient } from "pools-by-hand";

/** A periodic task, until stopped. */
export interface Repeating {
  stop(): Promise<void>;
}

/** Delayed, urgent and periodic jobs on a QueueClient. */
export class Scheduler {
  constructor(readonly client: QueueClient) {}

  /** Runs `task(...args)` no earlier than `when`. */
  at<R>(when: Date, task: string, args: unknown[]): Promise<R> {
    throw new Error("TODO(07.3): submit { task, items: [args], star: true } with runAt: when, and resolve to the first value");
  }

  /** Runs `task(...args)` no earlier than `delayMs` from now. */
  later<R>(delayMs: number, task: string, args: unknown[]): Promise<R> {
    throw new Error("TODO(07.3): at(now + delayMs)");
  }

  /** Runs `task(...args)` before the jobs of default priority that are waiting. */
  urgent<R>(task: string, args: unknown[]): Promise<R> {
    throw new Error("TODO(07.3): submit with priority -10");
  }

  /** Runs `task(...args)` every `intervalMs`, on a fixed schedule, until stopped. */
  every<R>(intervalMs: number, task: string, args: unknown[], onValue: (value: R) => void): Repeating {
    throw new Error("TODO(07.3): submit run k at start + k × intervalMs, the next one when a run settles, until stop()");
  }
}

/** A task for the tests: the worker's clock when it ran. */
export function stamp(): number {
  return Date.now();
}

/** A task for the tests: waits `ms`, then returns it. */
export async function nap(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
