/**
 * Exercise 06.2 · batching tiny tasks, from a stream
 *
 * A task that takes a microsecond costs tens of microseconds to send to a
 * worker and back: per-task overhead is most of the bill (chapter 06, "Per-task
 * overhead"). The cure is to send many items in one task. `pool.map` does it
 * with its chunks, but only for a list it can read whole before it starts,
 * as Python's does. Items that arrive over time — lines of a file, rows of a
 * query, messages from a socket — need batching that reads as it goes, and
 * stops reading when the batches already sent are enough.
 *
 * Build `batched(pool, fn, items, size, { inFlight })`, an async iterator over
 * `fn(item)` for every item, in input order:
 * - `items` is an iterable or an async iterable, read lazily: nothing is read
 *   before the first `next()`, and never more than `inFlight` batches
 *   (`pool.size * 2` by default) are sent and not yet handed out.
 * - Each batch of `size` items (the last may be shorter) is ONE job on the
 *   pool: `pool.mapAsync(fn, batch, { chunksize: batch.length })`. So `fn` is
 *   sent once per batch, by name on threads and processes, and every runIn
 *   works.
 * - A failing item: the values before its batch are handed out, then the
 *   iteration throws the item's error and reads no more. The results of the
 *   batches still running must not become unhandled rejections (an
 *   `AsyncResult` rejects only the promises you ask it for).
 * - An `items` that throws: the values of what was read before are handed
 *   out, then its error is thrown.
 * - Leaving early (`break` in `for await`) reads no more and closes `items`
 *   (calls its `return()`, so a generator's `finally` runs).
 * - Bad input throws at the call: a pool that is not running
 *   (`InvalidStateError("Pool not running")`), `fn` not a function or `items`
 *   not iterable (TypeError), `size` or `inFlight` not a whole number ≥ 1
 *   (TypeError or RangeError).
 *
 * Then measure what it buys (the suite times nothing): with 06.1's `compare`
 * or a few lines of `performance.now()`, time 100,000 calls of a tiny function
 * submitted one by one with `pool.applyAsync(fn, [x]).get()` against
 * `batched(pool, fn, items, 1000)` and `pool.map(fn, items)`, on the event
 * loop and on threads (with `double` from tools/bench/tasks.ts as the task
 * module). Which wins, by how much, and where does the time go? (On threads,
 * calls made one by one already travel up to 64 to a message — TaskTimings —
 * but each still has its own job, result and reply.)
 *
 * Run `npm run exercise -- 06.2` to test, `npm run hint -- 06.2` if stuck.
 */
import type { Pool } from "pools-by-hand";

/** Options of {@link batched}. */
export interface BatchOptions {
  /** Batches sent and not yet handed out, at most; `pool.size * 2` by default. */
  inFlight?: number;
}

/** `fn(item)` for every item, in input order, sent to `pool` in batches of `size`. */
export function batched<T, R>(
  pool: Pool,
  fn: (item: T) => R,
  items: Iterable<T> | AsyncIterable<T>,
  size: number,
  options: BatchOptions = {},
): AsyncIterableIterator<Awaited<R>> {
  throw new Error("TODO(06.2): batched(): read a batch, send it as one job, hand out values in order");
}
