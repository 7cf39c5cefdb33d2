import { checkFunction, checkTimeout } from "../01-reusable-worker/checks.js";
import { InvalidStateError } from "../01-reusable-worker/errors.js";
import { TimeoutError } from "./errors.js";

/**
 * How a piece of work ended: with a value, or with an error.
 *
 * @example
 * ```ts
 * const good: Outcome<number> = { ok: true, value: 42 };
 * const bad: Outcome<number> = { ok: false, error: new Error("boom") };
 * ```
 */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * The callbacks of one result, as Python's `apply_async(..., callback=,
 * error_callback=)`. Exactly one of them runs, once, before the result becomes
 * ready.
 *
 * @example
 * ```ts
 * pool.applyAsync(divide, [1, 0], {
 *   callback: (value) => console.log("got", value),
 *   errorCallback: (error) => console.error("failed:", error),
 * });
 * ```
 */
export interface ResultCallbacks<R> {
  /** Called with the value when the task succeeds. */
  callback?: ((value: R) => unknown) | undefined;
  /** Called with the error when the task fails. */
  errorCallback?: ((error: unknown) => unknown) | undefined;
}

/**
 * Options of an {@link AsyncResult}: the user's callbacks, plus a hook for the
 * pool that made it.
 *
 * @example
 * ```ts
 * new AsyncResult(start, { callback: console.log, onReady: () => pending-- });
 * ```
 */
export interface AsyncResultOptions<R> extends ResultCallbacks<R> {
  /** Told once the result is ready, after its callback has finished. */
  onReady?: (() => void) | undefined;
}

/** A caller waiting in `get()` or `wait()`. */
interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const ignore = (): void => {};

/** Shared by every result made without callbacks, so none allocates an empty object. */
const NO_OPTIONS: AsyncResultOptions<unknown> = Object.freeze({});

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";

/**
 * The result of a task handed to a pool: Python's `AsyncResult`. It starts
 * pending; the pool settles it once, with a value or an error. Then its
 * callback runs, and only after that does it become *ready*, so code that
 * awaits `get()` knows the callback has already happened (python-semantics
 * item 47).
 *
 * Where the kit departs from Python, on purpose: a callback that throws (or
 * returns a promise that rejects) fails its own result — `get()` rejects with
 * the callback's error — and nothing else. Python's result handler dies instead
 * and every later result of the pool hangs (item 73).
 *
 * @typeParam R - the type of the task's value.
 * @example
 * ```ts
 * const result = pool.applyAsync(square, [7]);
 * result.ready();            // false, for now
 * await result.get();        // 49
 * result.successful();       // true
 * ```
 */
export class AsyncResult<R> {
  #state: "pending" | "settling" | "succeeded" | "failed" = "pending";
  #value: unknown;
  #waiters: Waiter[] | undefined;
  #promise: Promise<R> | undefined;
  #resolve: ((value: R) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #options: AsyncResultOptions<R>;

  /**
   * @param start - called at once with the function that settles this result;
   *   calls after the first are ignored, so the result settles exactly once.
   *   Subclasses may leave it out and call {@link AsyncResult.settle} instead.
   * @param options - the callbacks, checked here so a mistake is reported at
   *   the call that made it.
   * @throws TypeError when a callback is given and is not a function.
   * @example
   * ```ts
   * const result = new AsyncResult<number>((settle) => {
   *   setTimeout(() => settle({ ok: true, value: 42 }), 10);
   * });
   * await result.get(); // 42
   * ```
   */
  constructor(start?: (settle: (outcome: Outcome<R>) => void) => void, options: AsyncResultOptions<R> = NO_OPTIONS as AsyncResultOptions<R>) {
    if (options.callback !== undefined) checkFunction("callback", options.callback);
    if (options.errorCallback !== undefined) checkFunction("errorCallback", options.errorCallback);
    this.#options = options;
    start?.((outcome) => this.settle(outcome));
  }

  /**
   * Whether the task has finished (successfully or not) and its callback has run.
   *
   * @example
   * ```ts
   * await result.wait();
   * result.ready(); // true
   * ```
   */
  ready(): boolean {
    return this.#state === "succeeded" || this.#state === "failed";
  }

  /**
   * Whether the task succeeded.
   *
   * @throws {@link 01-reusable-worker!InvalidStateError} when the result is not ready yet, as Python does.
   * @example
   * ```ts
   * await result.wait();
   * if (!result.successful()) console.log("it failed");
   * ```
   */
  successful(): boolean {
    if (!this.ready()) throw new InvalidStateError("the result is not ready yet");
    return this.#state === "succeeded";
  }

  /**
   * Waits until the result is ready, or until `timeoutMs` passes. It never
   * rejects: check {@link AsyncResult.ready} afterwards.
   *
   * @throws TypeError or RangeError, at once, for a bad `timeoutMs`.
   * @example
   * ```ts
   * await result.wait(100);
   * console.log(result.ready() ? "done" : "still running");
   * ```
   */
  wait(timeoutMs?: number): Promise<void> {
    const limit = checkTimeout("timeoutMs", timeoutMs);
    if (this.ready()) return Promise.resolve();
    if (limit === undefined) return this.#whenReady().then(ignore, ignore);
    return new Promise<void>((resolve) => this.#park({ resolve: () => resolve(), reject: () => resolve() }, limit, resolve));
  }

  /**
   * The task's value, once ready. Rejects with the task's error (the same error
   * object every time), or with {@link TimeoutError} if `timeoutMs` passes
   * first; the task keeps running and a later `get()` can still succeed.
   *
   * @throws TypeError or RangeError, at once, for a bad `timeoutMs`.
   * @example
   * ```ts
   * const value = await result.get(1000);
   * ```
   */
  get(timeoutMs?: number): Promise<R> {
    const limit = checkTimeout("timeoutMs", timeoutMs);
    if (this.ready()) return this.#state === "succeeded" ? Promise.resolve(this.#value as R) : Promise.reject(this.#value);
    if (limit === undefined) return this.#whenReady();
    return new Promise<R>((resolve, reject) =>
      this.#park({ resolve: resolve as (value: unknown) => void, reject }, limit, () =>
        reject(new TimeoutError(`the result was not ready within ${limit} ms`)),
      ),
    );
  }

  /**
   * Settles the result: the first outcome wins, later ones are ignored. The
   * callback, if any, runs now; the result becomes ready once it has returned
   * (or, if it returned a promise, once that settles).
   *
   * @example
   * ```ts
   * class ReadyAtOnce extends AsyncResult<number> {
   *   constructor() {
   *     super();
   *     this.settle({ ok: true, value: 1 });
   *   }
   * }
   * ```
   */
  protected settle(outcome: Outcome<R>): void {
    if (outcome.ok) this.#settle(true, outcome.value);
    else this.#settle(false, outcome.error);
  }

  /**
   * {@link AsyncResult.settle} with a value, for subclasses that would
   * otherwise build an outcome object per result only to have it taken apart.
   *
   * @example
   * ```ts
   * this.settleValue(42);
   * ```
   */
  protected settleValue(value: R): void {
    this.#settle(true, value);
  }

  /**
   * Called once, when the result has become ready. Subclasses override it to
   * learn that without a closure per result; the default calls `onReady`.
   *
   * @example
   * ```ts
   * protected override becameReady(): void {
   *   pending -= 1;
   * }
   * ```
   */
  protected becameReady(): void {
    this.#options.onReady?.();
  }

  /** One promise per result, shared by every untimed `get()` and `wait()`. */
  #whenReady(): Promise<R> {
    this.#promise ??= new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    return this.#promise;
  }

  /** Keeps `waiter` until the result is ready, or calls `onTimeout` once `limit` ms pass. */
  #park(waiter: Waiter, limit: number | undefined, onTimeout: () => void): void {
    const waiters = (this.#waiters ??= []);
    if (limit === undefined) {
      waiters.push(waiter);
      return;
    }
    const timed: Waiter = {
      resolve: (value) => (clearTimeout(timer), waiter.resolve(value)),
      reject: (error) => (clearTimeout(timer), waiter.reject(error)),
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(timed), 1);
      onTimeout();
    }, limit);
    waiters.push(timed);
  }

  /** The one way in: the first outcome wins, later ones are ignored. */
  #settle(ok: boolean, argument: unknown): void {
    if (this.#state !== "pending") return;
    this.#state = "settling";
    const handler = (ok ? this.#options.callback : this.#options.errorCallback) as ((argument: unknown) => unknown) | undefined;
    if (!handler) return this.#becomeReady(ok, argument);
    try {
      const returned = handler(argument);
      if (isThenable(returned)) {
        returned.then(
          () => this.#becomeReady(ok, argument),
          (error: unknown) => this.#becomeReady(false, error),
        );
        return;
      }
      this.#becomeReady(ok, argument);
    } catch (error) {
      // The callback's own failure becomes this result's failure, and no other's.
      this.#becomeReady(false, error);
    }
  }

  #becomeReady(ok: boolean, value: unknown): void {
    this.#value = value;
    this.#state = ok ? "succeeded" : "failed";
    if (this.#promise) ok ? this.#resolve?.(value as R) : this.#reject?.(value);
    const waiters = this.#waiters;
    this.#waiters = undefined;
    if (waiters) for (const waiter of waiters) ok ? waiter.resolve(value) : waiter.reject(value);
    this.becameReady();
  }
}
