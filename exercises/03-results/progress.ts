/**
 * Exercise 03.3 · a progress display driven by `imapUnordered`
 *
 * A long `map` is silent until it is all done. Seed 004 notes that `imap` and
 * `imap_unordered` hand results back as soon as they can, and
 * `imap_unordered` soonest of all: each value as its item finishes. That is
 * exactly what a progress display needs. Build one on the kit's `Pool`.
 *
 * Build:
 * - `formatProgress({ done, total, elapsedMs }, width = 20)`: one line, five
 *   parts joined by two spaces:
 *   1. a bar of `width` characters between brackets: `#` for the finished
 *      share (rounded down), `.` for the rest; full when `total` is 0;
 *   2. `done/total`, with `done` padded on the left to the width of `total`;
 *   3. the percentage, rounded down, padded to 3 characters, then `%`
 *      (100 when `total` is 0);
 *   4. the rate, `done` per second with one decimal, then `/s`; `-/s` while
 *      `done` or `elapsedMs` is 0;
 *   5. `ETA 3.7s` (the items left at the current rate), `ETA ?` with no rate
 *      yet, or `done in 4.0s` once `done` equals `total`. A duration under a
 *      minute has one decimal (`3.7s`); from a minute up it is rounded to
 *      whole seconds and shown as `6m39s`.
 *   `formatProgress({ done: 7, total: 20, elapsedMs: 2000 })` is
 *   `"[#######.............]   7/20   35%  3.5/s  ETA 3.7s"`.
 *   Bad input (a count that is not a whole number, `done` > `total`, a
 *   negative or NaN `elapsedMs`, a width below 1) throws a TypeError or
 *   RangeError naming it.
 * - `mapWithProgress(pool, fn, items, onProgress, { chunksize = 1, now })`:
 *   like `pool.map(fn, items)`, but calls `onProgress({ done, total,
 *   elapsedMs })` once at the start and once each time an item finishes, in
 *   the order they finish — drive it with `pool.imapUnordered`. It resolves
 *   to the values in *input* order, so each item must carry its index through
 *   the pool. It rejects with the first error to arrive. `now` is the clock
 *   (`performance.now()` by default; the tests pass a fake one). A pool that
 *   is not running, or an `onProgress` that is not a function, throws at the
 *   call.
 * - `progressLine(out, width = 20)`: an `onProgress` that writes `"\r"` and
 *   the formatted line to `out` on each report, and `"\n"` after the last, so
 *   a terminal shows one line that redraws itself:
 *   `mapWithProgress(pool, fn, items, progressLine(process.stdout))`.
 *
 * Run `npm run exercise -- 03.3` to test, `npm run hint -- 03.3` if stuck.
 */
import type { Pool } from "pools-by-hand";

/** How far a run has come. */
export interface Progress {
  /** Items finished so far. */
  done: number;
  /** Items in all. */
  total: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

/** Options of {@link mapWithProgress}. */
export interface ProgressOptions {
  /** Items per job, as in `imapUnordered`; 1 by default. */
  chunksize?: number;
  /** The clock, in milliseconds; `performance.now()` by default. */
  now?: () => number;
}

/** One line: `[#######.............]   7/20   35%  3.5/s  ETA 3.7s`. */
export function formatProgress(progress: Progress, width = 20): string {
  throw new Error("TODO(03.3): formatProgress(): the bar, the count, the percentage, the rate, the ETA");
}

/**
 * `pool.map(fn, items)` that calls `onProgress` once at the start and once as
 * each item finishes, in the order they finish; resolves to the values in
 * input order, or rejects with the first error to arrive.
 */
export function mapWithProgress<T, R>(
  pool: Pool,
  fn: (item: T) => R,
  items: Iterable<T>,
  onProgress: (progress: Progress) => void,
  options: ProgressOptions = {},
): Promise<Awaited<R>[]> {
  throw new Error("TODO(03.3): mapWithProgress(): imapUnordered over [index, item] pairs");
}

/**
 * An `onProgress` that redraws one terminal line: `\r` and the line on each
 * report, and a newline after the last.
 */
export function progressLine(out: { write(text: string): unknown }, width = 20): (progress: Progress) => void {
  throw new Error("TODO(03.3): progressLine()");
}
