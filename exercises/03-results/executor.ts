/**
 * Exercise 03.1 · a `concurrent.futures`-style Executor over the Pool
 *
 * Seed 004 §2 uses Python's other pool API, `concurrent.futures`: `submit(fn,
 * arg)` returns a `Future`, `future.result()` waits for the value, and
 * `add_done_callback(cb)` calls `cb(future)` when it is done. Build that API on
 * the kit's `Pool` — do not write a second pool: the Pool already queues, runs
 * and settles the calls.
 *
 * What `concurrent.futures` has and the Pool lacks is cancellation: a future
 * can be cancelled while its call waits in the queue, never once it runs
 * (python-semantics items 78 and 94). So a future must know when its call
 * starts. The Pool does not tell you; hand it a small wrapper instead of `fn`:
 * the wrapper is the first code to run on the worker, so it can mark the future
 * running — or skip the call if the future was cancelled meanwhile
 * (`setRunningOrNotifyCancel()`, item 120).
 *
 * Build, following python-semantics items 91-112:
 * - `Future<R>`: states PENDING → RUNNING → FINISHED, or PENDING → CANCELLED.
 *   `result(timeoutMs?)` resolves the value or rejects with the call's error,
 *   a `CancelledError`, or the kit's `TimeoutError` (a later `result()` can
 *   still succeed); `exception(timeoutMs?)` resolves the error, or `undefined`
 *   on success; `cancel()` is true while pending (and again once cancelled),
 *   false once running or finished; `cancelled()`, `running()`, `done()`;
 *   `addDoneCallback(cb)` calls `cb(future)` once done, in the order added, and
 *   at once, synchronously, if already done; a callback that throws is
 *   reported with `console.error` and the next one still runs. For executors:
 *   `setRunningOrNotifyCancel()`, `setResult(value)`, `setException(error)`
 *   (a second outcome throws `InvalidStateError`).
 * - `Executor`: `new Executor(maxWorkers?)` over one `Pool(maxWorkers)`
 *   (0 or less: RangeError "max_workers must be greater than 0");
 *   `submit(fn, ...args)` → `Future`; `shutdown({ wait = true, cancelFutures =
 *   false })`, after which `submit` throws InvalidStateError "cannot schedule
 *   new futures after shutdown"; `await using` shuts down and waits.
 * - `asCompleted(futures, timeoutMs?)`: an async iterator over the futures as
 *   they complete, the done ones first, duplicates once; past the timeout
 *   (counted from the call) it rejects with `TimeoutError("N (of M) futures
 *   unfinished")`.
 * - `wait(futures, { timeoutMs?, returnWhen? })` → `{ done, notDone }` sets,
 *   for FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED (the default); a
 *   timeout resolves the partial sets, it never rejects.
 * Bad arguments throw at the call (TypeError, RangeError).
 *
 * Left out, on purpose: `Executor.map` (items 101-104: the Pool's `map` and
 * `imap` already do it); keyword arguments (item 91: JavaScript has none);
 * thread naming and lazy thread creation (item 109: nothing to name on the
 * event loop); `BaseException` and interpreter shutdown (items 115, 121);
 * `initializer` and the broken-pool errors (items 113, 116: the Pool's own
 * `BrokenPoolError` covers them). And one change: an invalid `returnWhen` is
 * refused at once, where Python refuses it only when it has to wait.
 *
 * Run `npm run exercise -- 03.1` to test, `npm run hint -- 03.1` if stuck.
 */
import { InvalidStateError, Pool, TimeoutError, type Outcome } from "pools-by-hand";

/** `wait()` returns as soon as any future is done. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait()` returns as soon as any future fails, or when all are done. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait()` returns when every future is done. */
export const ALL_COMPLETED = "ALL_COMPLETED";
/** When `wait()` returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** What `result()` and `exception()` reject with for a cancelled future. */
export class CancelledError extends Error {
  override name = "CancelledError";
  constructor(message = "the future was cancelled") {
    super(message);
  }
}

/** A function told when a future is done. */
export type DoneCallback<R> = (future: Future<R>) => unknown;

/**
 * The result of a call handed to an {@link Executor}, as Python's
 * `concurrent.futures.Future`.
 */
export class Future<R> {
  // TODO(03.1): the state, the outcome (an `Outcome<R>` from the kit fits), the done callbacks, the waiters.

  /** True once cancelled. */
  cancelled(): boolean {
    throw new Error("TODO(03.1): Future.cancelled()");
  }

  /** True while the call runs. */
  running(): boolean {
    throw new Error("TODO(03.1): Future.running()");
  }

  /** True once finished or cancelled. */
  done(): boolean {
    throw new Error("TODO(03.1): Future.done()");
  }

  /** Cancels a pending future; false once it runs or has finished. */
  cancel(): boolean {
    throw new Error("TODO(03.1): Future.cancel()");
  }

  /** The call's value; rejects with its error, a {@link CancelledError}, or the kit's `TimeoutError`. */
  result(timeoutMs?: number): Promise<R> {
    throw new Error("TODO(03.1): Future.result()");
  }

  /** The call's error, or `undefined` if it succeeded; rejects as `result()` does otherwise. */
  exception(timeoutMs?: number): Promise<unknown> {
    throw new Error("TODO(03.1): Future.exception()");
  }

  /** Calls `fn(future)` once done: at once, here, if it already is. */
  addDoneCallback(fn: DoneCallback<R>): void {
    throw new Error("TODO(03.1): Future.addDoneCallback()");
  }

  /** For executors: marks the future running, or returns false if it was cancelled. */
  setRunningOrNotifyCancel(): boolean {
    throw new Error("TODO(03.1): Future.setRunningOrNotifyCancel()");
  }

  /** For executors: the call returned `value`. */
  setResult(value: R): void {
    throw new Error("TODO(03.1): Future.setResult()");
  }

  /** For executors: the call threw `error`. */
  setException(error: unknown): void {
    throw new Error("TODO(03.1): Future.setException()");
  }
}

/** Options of {@link Executor.shutdown}. */
export interface ShutdownOptions {
  /** Wait until every submitted call is done (default true). */
  wait?: boolean;
  /** Cancel every future that has not started (default false). */
  cancelFutures?: boolean;
}

/** Python's `ThreadPoolExecutor`, over the kit's {@link Pool}. */
export class Executor {
  /** How many calls run at once. */
  readonly maxWorkers: number;

  constructor(maxWorkers?: number) {
    throw new Error("TODO(03.1): check maxWorkers and create the Pool");
  }

  /** Schedules `fn(...args)` and returns its future at once. */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    throw new Error("TODO(03.1): Executor.submit(): a Future, and a wrapper for the Pool");
  }

  /** Refuses new calls; optionally cancels the ones not started, and waits for the rest. */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    throw new Error("TODO(03.1): Executor.shutdown()");
  }

  /** `await using executor = new Executor()`: shuts down and waits, as Python's `with`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }
}

/**
 * Yields each future as it completes, the already-done ones first, each once.
 * Rejects with `TimeoutError("N (of M) futures unfinished")` once `timeoutMs`,
 * counted from this call, has passed.
 */
export function asCompleted<R>(futures: Iterable<Future<R>>, timeoutMs?: number): AsyncIterableIterator<Future<R>> {
  throw new Error("TODO(03.1): asCompleted()");
}

/** What {@link wait} resolves to. */
export interface DoneAndNotDone<R> {
  done: Set<Future<R>>;
  notDone: Set<Future<R>>;
}

/** Waits until `returnWhen` holds or `timeoutMs` passes; never rejects. */
export function wait<R>(
  futures: Iterable<Future<R>>,
  options: { timeoutMs?: number; returnWhen?: ReturnWhen } = {},
): Promise<DoneAndNotDone<R>> {
  throw new Error("TODO(03.1): wait()");
}

// Imported for you; each has a part to play above.
void [InvalidStateError, Pool, TimeoutError];
export type { Outcome };
