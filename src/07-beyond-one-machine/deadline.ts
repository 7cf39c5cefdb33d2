import { TimeoutError } from "../03-results/errors.js";

/**
 * Settles like `promise`, or rejects with the kit's {@link 03-results!TimeoutError} naming
 * `what` once `ms` milliseconds have passed: a database or a process that
 * never answers becomes an error that says what was awaited, never a hang.
 * The timer is cleared as soon as `promise` settles.
 *
 * @example
 * ```ts
 * await withDeadline(server.stop(), 20_000, "Postgres to stop");
 * // TimeoutError: Postgres to stop: no answer within 20000 ms
 * ```
 */
export function withDeadline<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Waits `ms` milliseconds.
 *
 * @example
 * ```ts
 * await pause(1_000);
 * ```
 */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
