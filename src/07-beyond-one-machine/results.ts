/**
 * How a result gets from a worker back to the caller: a row in
 * `pools_by_hand.results` (durable; the first result of a job wins) and a
 * NOTIFY on the caller's own channel, carrying the outcome itself when it fits.
 */
import type pg from "pg";

/**
 * The largest NOTIFY payload Postgres takes, in bytes (8000 and more are
 * refused: "payload string too long"). A bigger outcome is announced by job id
 * only, and the caller reads the row.
 *
 * @example
 * ```ts
 * const inline = Buffer.byteLength(message) <= NOTIFY_PAYLOAD_LIMIT;
 * ```
 */
export const NOTIFY_PAYLOAD_LIMIT = 7999;

/**
 * What a caller receives on its channel: the job, who ran it, and its encoded outcome unless it was too big.
 *
 * @example
 * ```ts
 * const message: ResultMessage = { jobId: 7, worker: "host/123/ab12", outcome: "/w9v…" };
 * ```
 */
export interface ResultMessage {
  jobId: number;
  worker: string;
  outcome?: string;
}

/** A pool id becomes part of a channel name, and Postgres caps names at 63 bytes. */
const POOL_ID = /^[a-z0-9_]{1,40}$/;

/**
 * The channel on which the caller with this pool id hears its results.
 *
 * @throws RangeError for an id that is not 1–40 of `[a-z0-9_]`.
 * @example
 * ```ts
 * resultChannel("4f1c…"); // "pools_by_hand_results_4f1c…"
 * ```
 */
export function resultChannel(poolId: string): string {
  if (!POOL_ID.test(poolId)) throw new RangeError(`a pool id must be 1 to 40 of [a-z0-9_], got ${JSON.stringify(poolId)}`);
  return `pools_by_hand_results_${poolId}`;
}

/**
 * The notification's text: with the outcome inside if the whole fits in
 * {@link NOTIFY_PAYLOAD_LIMIT} bytes of UTF-8, else without it.
 *
 * @example
 * ```ts
 * resultMessage(7, "host/123", "/w9B…"); // '{"jobId":7,"worker":"host/123","outcome":"/w9B…"}'
 * ```
 */
export function resultMessage(jobId: number, worker: string, outcome: string): string {
  const inline = JSON.stringify({ jobId, worker, outcome } satisfies ResultMessage);
  if (Buffer.byteLength(inline) <= NOTIFY_PAYLOAD_LIMIT) return inline;
  return JSON.stringify({ jobId, worker } satisfies ResultMessage);
}

/**
 * One job's result, as a worker publishes it: the job it answers and its encoded outcome.
 *
 * @example
 * ```ts
 * const publication: Publication = { job: { poolId: "4f1c…", jobId: 7 }, outcome: encodeOutcome({ ok: true, value: [49] }, "square") };
 * ```
 */
export interface Publication {
  job: { poolId: string; jobId: number };
  outcome: string;
}

/**
 * Stores a job's result and notifies its caller, in one statement (one round
 * trip, one commit). When the job already has a result — it ran twice after a
 * crash — nothing is stored and nobody is notified: the first result wins.
 * Resolves to whether this one was the first.
 *
 * @example
 * ```ts
 * await publishResult(client, { poolId, jobId }, encodedOutcome, "host/123");
 * ```
 */
export async function publishResult(db: pg.ClientBase | pg.Pool, job: { poolId: string; jobId: number }, outcome: string, worker: string): Promise<boolean> {
  const [first] = await publishResults(db, [{ job, outcome }], worker);
  return first === true;
}

/**
 * {@link publishResult} for many jobs in one statement: one round trip and one
 * commit however many rows, which is what lets a worker keep up with tiny jobs.
 * Resolves to whether each was its job's first result, in order.
 *
 * @example
 * ```ts
 * await publishResults(db, [{ job: { poolId, jobId: 1 }, outcome: a }, { job: { poolId, jobId: 2 }, outcome: b }], "host/123"); // [true, true]
 * ```
 */
export async function publishResults(db: pg.ClientBase | pg.Pool, results: readonly Publication[], worker: string): Promise<boolean[]> {
  const column = <T>(pick: (result: Publication) => T) => results.map(pick);
  const { rows } = await db.query<{ n: number }>(
    // A job given twice in one batch keeps its first entry only, so it is stored and announced once.
    `with given as (
       select distinct on (pool_id, job_id) *
       from unnest($1::int[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
         as given (n, pool_id, job_id, outcome, channel, message)
       order by pool_id, job_id, n
     ), inserted as (
       insert into pools_by_hand.results (pool_id, job_id, outcome, worker)
       select pool_id, job_id, outcome, $7 from given
       on conflict (pool_id, job_id) do nothing
       returning pool_id, job_id
     )
     select given.n, pg_notify(given.channel, given.message) from given join inserted using (pool_id, job_id)`,
    [
      results.map((_, n) => n),
      column((r) => r.job.poolId),
      column((r) => r.job.jobId),
      column((r) => r.outcome),
      column((r) => resultChannel(r.job.poolId)),
      column((r) => resultMessage(r.job.jobId, worker, r.outcome)),
      worker,
    ],
  );
  const first = results.map(() => false);
  for (const row of rows) first[row.n] = true;
  return first;
}

/**
 * Publishes results as they come, in batches: while one statement is on its
 * way, the results that arrive wait and go together in the next. A lone result
 * goes at once; under load, one commit carries many (group commit).
 *
 * @example
 * ```ts
 * const publisher = new ResultPublisher(db, "host/123");
 * await publisher.publish({ poolId, jobId: 7 }, encodedOutcome); // true: stored, caller notified
 * ```
 */
export class ResultPublisher {
  #db: pg.Pool;
  #worker: string;
  #waiting: { result: Publication; resolve(first: boolean): void; reject(error: unknown): void }[] = [];
  #flushing = false;

  /**
   * @example
   * ```ts
   * new ResultPublisher(createPgPool(url, 4), "host/123");
   * ```
   */
  constructor(db: pg.Pool, worker: string) {
    this.#db = db;
    this.#worker = worker;
  }

  /**
   * Resolves once this result is stored (to whether it was its job's first),
   * or rejects if its batch failed.
   *
   * @example
   * ```ts
   * if (!(await publisher.publish(job, outcome))) console.log("ran twice; the first result stands");
   * ```
   */
  publish(job: { poolId: string; jobId: number }, outcome: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#waiting.push({ result: { job, outcome }, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        const first = await publishResults(this.#db, batch.map((entry) => entry.result), this.#worker);
        batch.forEach((entry, i) => entry.resolve(first[i] === true));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#flushing = false;
  }
}
