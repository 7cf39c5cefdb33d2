import { WorkerCrashedError } from "../04-threads-and-processes/errors.js";

/**
 * What a task's result rejects with when every worker that took it stopped
 * without finishing it, `maxAttempts` times: a poison task, one that kills
 * any process that runs it. Each crash returns the job to the queue (after
 * the recovery window) and counts one attempt; once they are used up,
 * graphile-worker offers the job to no one, and the caller's sweep settles
 * the result with this error instead of letting it wait for ever.
 *
 * It is a {@link 04-threads-and-processes!WorkerCrashedError}, so code that
 * handles chapter 04's crashes handles this one; across machines nobody saw
 * the exit code or the signal, so both are null.
 *
 * @example
 * ```ts
 * try {
 *   await pool.apply(crashesEveryWorker);
 * } catch (error) {
 *   if (error instanceof AttemptsExhaustedError) console.log(error.attempts); // 3
 * }
 * ```
 */
export class AttemptsExhaustedError extends WorkerCrashedError {
  override name = "AttemptsExhaustedError";
  /** How many times a worker took the job. */
  readonly attempts: number;

  /**
   * @param attempts - how many times a worker took the job.
   * @param lastError - graphile-worker's record of the last failure, if any.
   * @example
   * ```ts
   * new AttemptsExhaustedError(3, null);
   * ```
   */
  constructor(attempts: number, lastError: string | null) {
    super("worker process", null, null, lastError === null ? undefined : new Error(lastError));
    this.attempts = attempts;
    this.message =
      `every worker that took this task stopped without finishing it (${attempts} attempts, the job's maxAttempts): ` +
      "it may crash whatever runs it";
  }
}
