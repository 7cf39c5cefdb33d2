/**
 * The tables: graphile-worker's own schema, and the kit's two tables beside it,
 * made under an advisory lock so that processes starting together do not trip
 * over each other.
 */
import { runMigrations } from "graphile-worker";
import type pg from "pg";
import { connectFailure } from "./connection.js";
import { quietLogger } from "./graphile-logger.js";

const KIT_TABLES = `
create schema if not exists pools_by_hand;

-- One row per finished job. The primary key keeps the first result when a job
-- runs twice (delivery is at least once); the caller deletes rows it has read.
create table if not exists pools_by_hand.results (
  pool_id    text        not null,
  job_id     bigint      not null,
  outcome    text        not null,  -- base64 of V8's serialization of the outcome
  worker     text        not null,  -- the worker process that ran it
  created_at timestamptz not null default now(),
  primary key (pool_id, job_id)
);

-- One row per live worker process, refreshed about every second from a
-- thread of its own. lock_ids are what graphile-worker writes into
-- jobs.locked_by for that process.
create table if not exists pools_by_hand.heartbeats (
  worker    text        primary key,
  lock_ids  text[]      not null default '{}',
  last_seen timestamptz not null default now()
);
`;

/**
 * Creates (or upgrades) every table the kit needs. Two processes running
 * `create … if not exists` at the same moment can both find the thing missing,
 * and one then fails on a duplicate; a session advisory lock makes the others
 * wait until the first is done (bounded by `lock_timeout`).
 *
 * @throws Error naming the (redacted) address when it cannot connect.
 * @example
 * ```ts
 * await migrate(db, connectionString);
 * ```
 */
export async function migrate(pool: pg.Pool, connectionString: string): Promise<void> {
  const client = await pool.connect().catch((error: unknown) => {
    throw connectFailure(error, connectionString);
  });
  try {
    await client.query("set lock_timeout = '60s'");
    await client.query("select pg_advisory_lock(hashtext('pools_by_hand.migrate'))");
    try {
      await runMigrations({ pgPool: pool, logger: quietLogger });
      await client.query(KIT_TABLES);
    } finally {
      await client.query("select pg_advisory_unlock(hashtext('pools_by_hand.migrate'))");
      await client.query("reset lock_timeout");
    }
  } finally {
    client.release();
  }
}
