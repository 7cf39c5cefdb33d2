/**
 * What {@link AsyncResult.get} rejects with when its `timeoutMs` passes before
 * the result is ready. The task goes on running, and a later `get()` can still
 * succeed. Python's `multiprocessing.TimeoutError`, which is not the built-in
 * `TimeoutError` either.
 *
 * @example
 * ```ts
 * try {
 *   await pool.applyAsync(slow).get(100);
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.log("not yet");
 * }
 * ```
 */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * What every unfinished result rejects with once its pool is terminated.
 * Python leaves such results pending forever; the kit settles them.
 *
 * @example
 * ```ts
 * const result = pool.applyAsync(slow);
 * await pool.terminate();
 * await result.get(); // rejects with PoolTerminatedError
 * ```
 */
export class PoolTerminatedError extends Error {
  override name = "PoolTerminatedError";
  constructor(message = "the pool was terminated before this task finished") {
    super(message);
  }
}

/**
 * The pool cannot run tasks any more because a worker could not start: its
 * `initializer` threw, or (chapter 04) its task module failed to load. Every
 * unfinished result rejects with it, as does every later submission; the
 * original error is the `cause`. Python's `BrokenThreadPool`; where Python's
 * `multiprocessing.Pool` restarts the failing worker forever, the kit stops.
 *
 * @example
 * ```ts
 * const pool = new Pool(2, { initializer: () => { throw new Error("no config"); } });
 * await pool.apply(task); // rejects with BrokenPoolError, cause: Error("no config")
 * ```
 */
export class BrokenPoolError extends Error {
  override name = "BrokenPoolError";
  constructor(cause: unknown) {
    super("a worker could not start, so the pool is not usable anymore", { cause });
  }
}
