/**
 * Helpers for the course's tests: every wait is bounded, and a test that waits
 * in vain fails fast with a message that says what it was waiting for, instead
 * of hanging the run.
 */

/**
 * Resolves like `promise`, but rejects after `ms` milliseconds with an error
 * naming `what`, so a promise that never settles fails the test quickly.
 *
 * @example
 * ```ts
 * await within(queue.join(), "queue.join() after the last taskDone()");
 * ```
 */
export function within<T>(promise: PromiseLike<T>, what: string, ms = 2000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What a promise has done so far, as seen by {@link settledState}. */
export type PromiseState<T> =
  | { state: "pending" }
  | { state: "fulfilled"; value: T }
  | { state: "rejected"; reason: unknown };

/**
 * Reports whether `promise` settles within `ms` milliseconds, without failing
 * either way: the tool for asserting that something is still waiting.
 *
 * @example
 * ```ts
 * assert.equal((await settledState(queue.join(), 50)).state, "pending");
 * ```
 */
export async function settledState<T>(promise: PromiseLike<T>, ms = 20): Promise<PromiseState<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<PromiseState<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: "pending" }), ms);
  });
  const settled = Promise.resolve(promise).then(
    (value): PromiseState<T> => ({ state: "fulfilled", value }),
    (reason): PromiseState<T> => ({ state: "rejected", reason }),
  );
  return Promise.race([settled, pending]).finally(() => clearTimeout(timer));
}

/**
 * Waits `ms` milliseconds.
 *
 * @example
 * ```ts
 * await sleep(10);
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves after the microtasks queued so far, and those they queue, have run:
 * enough for promise chains in the code under test to move forward.
 *
 * @example
 * ```ts
 * queue.putNowait(1);
 * await flushMicrotasks(); // a waiting getter has now received 1
 * ```
 */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
