/**
 * Exercise 04.1 · a progress counter in shared memory
 *
 * A task on a worker thread gets copies of its arguments, and the pool hears
 * from it only when it returns. A `SharedArrayBuffer` is the exception: sent
 * to a thread, it is not copied but shared, so a task can report how far it
 * has come while it runs, and the main thread — free while the workers
 * compute — can read it. Shared memory brings back the problem Python's GIL
 * hides from threads: `counter[0]++` is a read and then a write, and two
 * threads that interleave them lose updates. `Atomics.add` does both in one
 * indivisible step.
 *
 * Build, in `counter-tasks.ts` (the module the pool's workers load):
 * - `addPlain(buffer, times)`: `counter[0]++`, `times` times, on an
 *   `Int32Array` view of `buffer`.
 * - `addAtomic(buffer, times)`: the same with `Atomics.add(counter, 0, 1)`.
 * - `sumCounting(buffer, start, end)`: seed 000's sum of start..end, which
 *   also adds to the counter how many numbers it has summed: every
 *   `PROGRESS_STEP` numbers, and what is left at the end. (One `Atomics.add`
 *   per number would make the sum several times slower.)
 *
 * And here, on the main thread:
 * - `SharedCounter`: `new SharedCounter(initial = 0)` holds one 32-bit
 *   counter in a `SharedArrayBuffer` (`buffer`); `value` reads it with
 *   `Atomics.load`. `initial` must be a whole number from 0 to 2^31 − 1
 *   (TypeError or RangeError otherwise, naming it).
 * - `countInParallel(pool, task, counter, { jobs, times })`: runs
 *   `task(counter.buffer, times)` as `jobs` separate jobs (chunk size 1, so
 *   each worker can take one) and resolves to `counter.value` once all have
 *   finished. `jobs` ≥ 1 and `times` ≥ 0 are checked at the call.
 * - `sumWithProgress(pool, n, { chunks = 10, everyMs = 10, onProgress })`:
 *   the sum of 1..n in `chunks` ranges, one `sumCounting` job each, on a pool
 *   whose tasks module is `COUNTER_TASKS`. While they run, read the counter
 *   every `everyMs` and call `onProgress({ done, total: n })` when it has
 *   moved; once the sum is done, report `done === n` (unless that was the
 *   last report already), stop reading, and resolve to the sum. Chunk i is
 *   `floor(i·n/chunks) + 1 .. floor((i+1)·n/chunks)`. `n` must be at most
 *   2^27 − 1, so that the sum stays below 2^53 and plain numbers stay exact.
 *   An `onProgress` that throws must not crash the process: stop reading and
 *   reject with its error.
 *
 * Only threads share memory: a child process cannot receive a
 * `SharedArrayBuffer`, and the pool rejects such a task with the reason.
 *
 * Run `npm run exercise -- 04.1` to test, `npm run hint -- 04.1` if stuck.
 */
import type { Pool } from "pools-by-hand";

/** The tasks module for a pool that runs this exercise's tasks. */
export const COUNTER_TASKS = new URL("./counter-tasks.js", import.meta.url);

/** A whole number in shared memory: worker threads add to it, any thread reads it. */
export class SharedCounter {
  /** The counter's memory; send it to tasks, which see the same bytes. */
  readonly buffer: SharedArrayBuffer;

  constructor(initial = 0) {
    throw new Error("TODO(04.1): new SharedCounter(): a SharedArrayBuffer holding one Int32, set to `initial`");
  }

  /** The counter now, as every thread's writes so far have left it. */
  get value(): number {
    throw new Error("TODO(04.1): SharedCounter.value: Atomics.load");
  }
}

/** What {@link countInParallel} runs: a task that adds `times` to the counter in `buffer`. */
export type CountingTask = (buffer: SharedArrayBuffer, times: number) => void;

/**
 * Runs `task(counter.buffer, times)` as `jobs` separate jobs on `pool`, as
 * many at once as the pool has workers, and resolves to the counter's value
 * once all have finished.
 */
export async function countInParallel(pool: Pool, task: CountingTask, counter: SharedCounter, { jobs, times }: { jobs: number; times: number }): Promise<number> {
  throw new Error("TODO(04.1): countInParallel(): starmap the task over `jobs` copies of [buffer, times], chunk size 1");
}

/** How far {@link sumWithProgress} has come: numbers summed so far, out of `total`. */
export interface SumProgress {
  done: number;
  total: number;
}

/** Options of {@link sumWithProgress}. */
export interface SumOptions {
  /** The ranges the sum is cut into, one job each; 10 by default, as in seed 000. */
  chunks?: number;
  /** How often the main thread reads the counter; 10 ms by default. */
  everyMs?: number;
  /** Told each time the counter has moved, and once at the end with `done === total`. */
  onProgress: (progress: SumProgress) => void;
}

/**
 * Seed 000's sum of 1..n on `pool` (whose tasks module is
 * {@link COUNTER_TASKS}), reporting progress while the chunks run.
 */
export async function sumWithProgress(pool: Pool, n: number, { chunks = 10, everyMs = 10, onProgress }: SumOptions): Promise<number> {
  throw new Error("TODO(04.1): sumWithProgress(): sumCounting jobs, a timer that reads the counter, a last report");
}
