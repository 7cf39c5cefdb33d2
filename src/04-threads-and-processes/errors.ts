/**
 * What a task's result rejects with when the worker thread or child process
 * running it died under it: `process.exit()`, an uncaught exception outside the
 * task, an unhandled rejection, running out of memory, or a signal such as
 * SIGKILL. The pool replaces the worker and carries on; tasks that had not
 * started on it run on the replacement.
 *
 * Python's `multiprocessing.Pool` loses such a task forever; its
 * `ProcessPoolExecutor` breaks the whole pool. The kit fails that task, and
 * only that task.
 *
 * @example
 * ```ts
 * try {
 *   await pool.apply(exitAtOnce);
 * } catch (error) {
 *   if (error instanceof WorkerCrashedError) console.log(error.exitCode, error.signal);
 * }
 * ```
 */
export class WorkerCrashedError extends Error {
  override name = "WorkerCrashedError";
  /** The worker's exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended a child process (e.g. `"SIGKILL"`), or null. */
  readonly signal: string | null;

  /**
   * @example
   * ```ts
   * new WorkerCrashedError("worker thread", 3, null, undefined);
   * // "the worker thread running this task died (exit code 3)"
   * ```
   */
  constructor(what: string, exitCode: number | null, signal: string | null, cause: unknown) {
    const how = signal ? `killed by ${signal}` : `exit code ${exitCode}`;
    const why = cause instanceof Error ? `: ${cause.message}` : "";
    super(`the ${what} running this task died (${how})${why}`, cause === undefined ? undefined : { cause });
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/**
 * The `cause` of an error that was thrown in another thread or process: the
 * stack as it was over there, like Python's `RemoteTraceback`.
 *
 * @example
 * ```ts
 * const error = await pool.apply(failing).catch((e) => e);
 * console.log(error.cause.stack); // the worker's stack, with the task's own file and line
 * ```
 */
export class RemoteTraceback extends Error {
  override name = "RemoteTraceback";

  /**
   * @example
   * ```ts
   * new RemoteTraceback("Error: boom\n    at task (tasks.js:3:9)");
   * ```
   */
  constructor(stack: string) {
    super("the error was thrown in a worker; this is its stack there");
    this.stack = stack;
  }
}
