/**
 * Exercise 03.1 · a `concurrent.futures`-style Executor over the Pool — a
 * reference solution.
 *
 * The pool already queues, runs and settles; the executor adds what
 * `concurrent.futures` has and `multiprocessing.Pool` lacks: a `Future` that
 * knows when its call started, and so can be cancelled until then. The trick
 * is the wrapper handed to the pool: it is the first code to run on the
 * worker, so it marks the future running — or, if the future was cancelled
 * while it waited, skips the call.
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

type State = "PENDING" | "RUNNING" | "CANCELLED" | "FINISHED";

function checkTimeout(timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== "number") throw new TypeError(`timeoutMs must be a number of milliseconds, got ${typeof timeoutMs}`);
  if (!(timeoutMs >= 0) || !Number.isFinite(timeoutMs)) throw new RangeError(`timeoutMs must be a finite number >= 0, got ${timeoutMs}`);
  return timeoutMs;
}

/** Resolves `true` once `register`'s callback fires, or `false` after `limitMs`. */
function doneWithin(register: (wake: () => void) => void, limitMs: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = limitMs === undefined ? undefined : setTimeout(() => resolve(false), limitMs);
    register(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Reads a done future's outcome without waiting; set by `Future`'s static block. */
let hasFailed: (future: Future<any>) => boolean;

/**
 * The result of a call handed to an {@link Executor}, as Python's
 * `concurrent.futures.Future`: PENDING, then RUNNING, then FINISHED; or
 * CANCELLED, if `cancel()` came while it was still pending.
 */
export class Future<R> {
  #state: State = "PENDING";
  #outcome: Outcome<R> | undefined;
  #callbacks: DoneCallback<R>[] = [];
  #waiters: (() => void)[] = [];

  static {
    hasFailed = (future) => future.#state === "FINISHED" && future.#outcome?.ok === false;
  }

  /** True once cancelled. */
  cancelled(): boolean {
    return this.#state === "CANCELLED";
  }

  /** True while the call runs. */
  running(): boolean {
    return this.#state === "RUNNING";
  }

  /** True once finished or cancelled. */
  done(): boolean {
    return this.#state === "FINISHED" || this.#state === "CANCELLED";
  }

  /** Cancels a pending future; false once it runs or has finished. */
  cancel(): boolean {
    if (this.#state === "RUNNING" || this.#state === "FINISHED") return false;
    if (this.#state === "PENDING") {
      this.#state = "CANCELLED";
      this.#complete();
    }
    return true;
  }

  /** The call's value; rejects with its error, a {@link CancelledError}, or the kit's `TimeoutError`. */
  result(timeoutMs?: number): Promise<R> {
    return this.#outcomeWithin(checkTimeout(timeoutMs)).then((outcome) => {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    });
  }

  /** The call's error, or `undefined` if it succeeded; rejects as `result()` does otherwise. */
  exception(timeoutMs?: number): Promise<unknown> {
    return this.#outcomeWithin(checkTimeout(timeoutMs)).then((outcome) => (outcome.ok ? undefined : outcome.error));
  }

  /** Calls `fn(future)` once done: at once, here, if it already is. */
  addDoneCallback(fn: DoneCallback<R>): void {
    if (typeof fn !== "function") throw new TypeError(`fn must be a function, got ${typeof fn}`);
    if (this.done()) this.#call(fn);
    else this.#callbacks.push(fn);
  }

  /** For executors: marks the future running, or returns false if it was cancelled. */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === "CANCELLED") return false;
    if (this.#state !== "PENDING") throw new InvalidStateError(`Future in unexpected state: ${this}`);
    this.#state = "RUNNING";
    return true;
  }

  /** For executors: the call returned `value`. */
  setResult(value: R): void {
    this.#finish({ ok: true, value });
  }

  /** For executors: the call threw `error`. */
  setException(error: unknown): void {
    this.#finish({ ok: false, error });
  }

  /** `<Future state=finished returned number>`, as Python's repr. */
  toString(): string {
    if (this.#state !== "FINISHED") return `<Future state=${this.#state.toLowerCase()}>`;
    const outcome = this.#outcome as Outcome<R>;
    if (outcome.ok) return `<Future state=finished returned ${typeof outcome.value}>`;
    return `<Future state=finished raised ${(outcome.error as Error)?.name ?? typeof outcome.error}>`;
  }

  async #outcomeWithin(limitMs: number | undefined): Promise<Outcome<R>> {
    if (!this.done() && !(await doneWithin((wake) => this.#waiters.push(wake), limitMs))) throw new TimeoutError();
    if (this.#state === "CANCELLED") throw new CancelledError();
    return this.#outcome as Outcome<R>;
  }

  #finish(outcome: Outcome<R>): void {
    if (this.done()) throw new InvalidStateError(`${this.#state}: ${this}`);
    this.#outcome = outcome;
    this.#state = "FINISHED";
    this.#complete();
  }

  #complete(): void {
    for (const wake of this.#waiters.splice(0)) wake();
    for (const fn of this.#callbacks.splice(0)) this.#call(fn);
  }

  /** A callback that throws is reported, and the others still run (python-semantics item 98). */
  #call(fn: DoneCallback<R>): void {
    try {
      fn(this);
    } catch (error) {
      console.error(`exception calling callback for ${this}`, error);
    }
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
  #pool: Pool;
  #shutdown = false;
  #notStarted = new Set<{ cancel(): boolean }>();

  constructor(maxWorkers?: number) {
    if (typeof maxWorkers === "number" && maxWorkers <= 0) throw new RangeError("max_workers must be greater than 0");
    this.#pool = new Pool(maxWorkers);
    this.maxWorkers = this.#pool.size;
  }

  /** Schedules `fn(...args)` and returns its future at once. */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    if (this.#shutdown) throw new InvalidStateError("cannot schedule new futures after shutdown");
    if (typeof fn !== "function") throw new TypeError(`fn must be a function, got ${typeof fn}`);
    const future = new Future<Awaited<R>>();
    this.#notStarted.add(future);
    // The first code to run on the worker: from here on the future is running, or skipped.
    const start = () => {
      this.#notStarted.delete(future);
      return future.setRunningOrNotifyCancel() ? fn(...args) : undefined;
    };
    this.#pool.applyAsync(start, [], {
      callback: (value) => future.running() && future.setResult(value as Awaited<R>),
      errorCallback: (error) => future.running() && future.setException(error),
    });
    return future;
  }

  /** Refuses new calls; optionally cancels the ones not started, and waits for the rest. */
  shutdown({ wait = true, cancelFutures = false }: ShutdownOptions = {}): Promise<void> {
    this.#shutdown = true;
    if (cancelFutures) for (const future of this.#notStarted) future.cancel();
    this.#pool.close();
    return wait ? this.#pool.join() : Promise.resolve();
  }

  /** `await using executor = new Executor()`: shuts down and waits, as Python's `with`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }
}

function uniqueFutures<R>(futures: Iterable<Future<R>>): Set<Future<R>> {
  const unique = new Set(futures);
  for (const future of unique) if (!(future instanceof Future)) throw new TypeError(`futures must hold only Futures, got ${String(future)}`);
  return unique;
}

/**
 * Yields each future as it completes, the already-done ones first, each once.
 * Rejects with `TimeoutError("N (of M) futures unfinished")` once `timeoutMs`,
 * counted from this call, has passed.
 */
export function asCompleted<R>(futures: Iterable<Future<R>>, timeoutMs?: number): AsyncIterableIterator<Future<R>> {
  const limit = checkTimeout(timeoutMs);
  const all = uniqueFutures(futures);
  const deadline = limit === undefined ? undefined : performance.now() + limit;
  const arrived: Future<R>[] = [];
  let wake = () => {};
  for (const future of all) {
    future.addDoneCallback(() => {
      arrived.push(future);
      wake();
    });
  }
  return (async function* () {
    for (let yielded = 0; yielded < all.size; ) {
      if (yielded < arrived.length) {
        yield arrived[yielded++] as Future<R>;
        continue;
      }
      const left = deadline === undefined ? undefined : Math.max(0, deadline - performance.now());
      if (!(await doneWithin((w) => (wake = w), left))) {
        throw new TimeoutError(`${all.size - yielded} (of ${all.size}) futures unfinished`);
      }
    }
  })();
}

/** What {@link wait} resolves to. */
export interface DoneAndNotDone<R> {
  done: Set<Future<R>>;
  notDone: Set<Future<R>>;
}

/** Waits until `returnWhen` holds or `timeoutMs` passes; never rejects. */
export function wait<R>(
  futures: Iterable<Future<R>>,
  { timeoutMs, returnWhen = ALL_COMPLETED }: { timeoutMs?: number; returnWhen?: ReturnWhen } = {},
): Promise<DoneAndNotDone<R>> {
  const limit = checkTimeout(timeoutMs);
  if (![FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED].includes(returnWhen)) {
    throw new RangeError(`Invalid return condition: '${String(returnWhen)}'`);
  }
  const all = uniqueFutures(futures);
  let done = 0;
  let failed = false;
  const note = (future: Future<R>) => {
    done += 1;
    failed ||= hasFailed(future);
  };
  const satisfied = () =>
    done === all.size || (returnWhen === FIRST_COMPLETED && done > 0) || (returnWhen === FIRST_EXCEPTION && failed);
  const split = (): DoneAndNotDone<R> => {
    const result: DoneAndNotDone<R> = { done: new Set(), notDone: new Set() };
    for (const future of all) (future.done() ? result.done : result.notDone).add(future);
    return result;
  };
  const pending = [...all].filter((future) => !future.done());
  for (const future of all) if (future.done()) note(future);
  if (satisfied()) return Promise.resolve(split());
  return doneWithin((wake) => {
    for (const future of pending) {
      future.addDoneCallback(() => {
        note(future);
        if (satisfied()) wake();
      });
    }
  }, limit).then(split);
}
