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
  const { rowCount } = await db.query(
    `with inserted as (
       insert into pools_by_hand.results (pool_id, job_id, outcome, worker)
       values ($1, $2, $3, $4)
       on conflict (pool_id, job_id) do nothing
       returning 1
     )
     select pg_notify($5, $6) from inserted`,
    [job.poolId, job.jobId, outcome, worker, resultChannel(job.poolId), resultMessage(job.jobId, worker, outcome)],
  );
  return rowCount === 1;
}
