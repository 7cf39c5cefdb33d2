/**
 * Exercise 06.2 · batching tiny tasks, from a stream (solution). See the stub
 * in exercises/06-built-in-pools/ for the task.
 */
import { checkFunction, checkInteger, Fifo, InvalidStateError, type AsyncResult, type Pool } from "pools-by-hand";

/** Options of {@link batched}. */
export interface BatchOptions {
  /** Batches sent and not yet handed out, at most; `pool.size * 2` by default. */
  inFlight?: number;
}

/** The items' iterator, and whether its `next()` returns a promise. */
type Source<T> = { sync: true; iterator: Iterator<T> } | { sync: false; iterator: AsyncIterator<T> };

function sourceOf<T>(items: Iterable<T> | AsyncIterable<T>): Source<T> {
  const candidate = items as Partial<Iterable<T> & AsyncIterable<T>> | null | undefined;
  const asyncIterator = candidate?.[Symbol.asyncIterator];
  if (typeof asyncIterator === "function") return { sync: false, iterator: asyncIterator.call(candidate) };
  const iterator = candidate?.[Symbol.iterator];
  if (typeof iterator === "function") return { sync: true, iterator: iterator.call(candidate) };
  throw new TypeError(`items must be iterable or async iterable, got ${items === null ? "null" : typeof items}`);
}

/** `fn(item)` for every item, in input order, sent to `pool` in batches of `size`. */
export function batched<T, R>(
  pool: Pool,
  fn: (item: T) => R,
  items: Iterable<T> | AsyncIterable<T>,
  size: number,
  options: BatchOptions = {},
): AsyncIterableIterator<Awaited<R>> {
  if (pool.state !== "RUN") throw new InvalidStateError("Pool not running");
  checkFunction("fn", fn);
  checkInteger("size", size, 1);
  const inFlight = checkInteger("inFlight", options.inFlight ?? pool.size * 2, 1);
  return stream(pool, fn, sourceOf(items), size, inFlight);
}

async function* stream<T, R>(pool: Pool, fn: (item: T) => R, source: Source<T>, size: number, inFlight: number): AsyncGenerator<Awaited<R>> {
  const sent = new Fifo<AsyncResult<Awaited<R>[]>>();
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  try {
    for (;;) {
      // Keep the pipeline full: read and send batches until `inFlight` are out.
      while (!exhausted && sent.size < inFlight) {
        const batch: T[] = [];
        try {
          while (batch.length < size) {
            const next = source.sync ? source.iterator.next() : await source.iterator.next();
            if (next.done) {
              exhausted = true;
              break;
            }
            batch.push(next.value);
          }
        } catch (error) {
          // What was read before the failure still runs; the error comes after it.
          exhausted = true;
          failure = { error };
        }
        // One job per batch: the whole batch is one chunk.
        if (batch.length > 0) sent.push(pool.mapAsync(fn, batch, { chunksize: batch.length }));
      }
      const oldest = sent.shift();
      if (oldest === undefined) break;
      // Only the oldest result is asked for a promise: the later ones, if they
      // fail while this one throws, reject nothing anyone holds.
      yield* await oldest.get();
    }
    if (failure) throw failure.error;
  } finally {
    // Left early, or a batch failed: close the source so it can clean up.
    if (!exhausted) await source.iterator.return?.();
  }
}
