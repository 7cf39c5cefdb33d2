/**
 * Crash recovery: the visibility timeout of this queue. graphile-worker locks a
 * job for four hours, so a worker killed in the middle of one would keep it
 * that long. Every live process of the kit (each worker, each caller) runs a
 * recovery pass now and then: a lock owner that has shown no sign of life for
 * `recoverAfterMs` is declared dead, its jobs are unlocked with graphile's
 * `force_unlock_workers`, and a `jobs:insert` notification wakes the workers,
 * which take them again. So a job may run twice: delivery is at least once.
 */
import type pg from "pg";
import { withDeadline } from "./deadline.js";

/**
 * How long a worker may stay silent before its jobs go to others, by default.
 * Heartbeats come every second; the margin covers a busy database.
 *
 * @example
 * ```ts
 * startRecoverer(db, { recoverAfterMs: DEFAULT_RECOVER_AFTER_MS });
 * ```
 */
export const DEFAULT_RECOVER_AFTER_MS = 10_000;

// A lock owner's last sign of life is its newest heartbeat. A worker that has
// just started may lock a job before its first heartbeat lands; with no
// heartbeat row yet, the time of its newest lock stands in for it.
const FIND_SILENT_OWNERS = `
  select j.locked_by as owner, count(*)::int as jobs
  from graphile_worker.jobs j
  where j.locked_by is not null
  group by j.locked_by
  having coalesce(
    (select max(h.last_seen) from pools_by_hand.heartbeats h where j.locked_by = any(h.lock_ids)),
    max(j.locked_at)
  ) < now() - $1 * interval '1 millisecond'`;

/**
 * What one recovery pass did: whose jobs it released, and how many.
 *
 * @example
 * ```ts
 * const recovery: Recovery = { owners: ["pool-1f3a…"], jobs: 2 };
 * ```
 */
export interface Recovery {
  owners: string[];
  jobs: number;
}

/**
 * One recovery pass, in one transaction. Safe to run from many processes at
 * once: a second pass finds nothing left to release. It also deletes stale
 * heartbeat rows, and result rows older than a day that no caller collected
 * (a terminated caller's, say).
 *
 * @example
 * ```ts
 * await recoverSilentWorkers(db, 10_000); // { owners: [], jobs: 0 } when all is well
 * ```
 */
export async function recoverSilentWorkers(db: pg.Pool, recoverAfterMs: number): Promise<Recovery> {
  const client = await db.connect();
  try {
    await client.query("begin");
    const { rows } = await client.query<{ owner: string; jobs: number }>(FIND_SILENT_OWNERS, [recoverAfterMs]);
    const owners = rows.map((row) => row.owner);
    const jobs = rows.reduce((sum, row) => sum + row.jobs, 0);
    if (owners.length > 0) {
      await client.query("select graphile_worker.force_unlock_workers($1::text[])", [owners]);
      // graphile-worker's own wake-up call; "count" says how many jobs are there to take.
      await client.query("select pg_notify('jobs:insert', json_build_object('count', $1::int)::text)", [jobs]);
    }
    await client.query("delete from pools_by_hand.heartbeats where last_seen < now() - $1 * interval '1 millisecond'", [recoverAfterMs]);
    await client.query("delete from pools_by_hand.results where created_at < now() - interval '1 day'");
    await client.query("commit");
    return { owners, jobs };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs {@link recoverSilentWorkers} every quarter of the window (but no more
 * often than every 250 ms), never two passes at once from one process. Its
 * timer does not keep the process alive.
 *
 * @example
 * ```ts
 * const recoverer = startRecoverer(db, { recoverAfterMs: 10_000, onRecovery: console.log });
 * await recoverer.stop();
 * ```
 */
export function startRecoverer(
  db: pg.Pool,
  { recoverAfterMs, onRecovery }: { recoverAfterMs: number; onRecovery?: ((recovery: Recovery) => void) | undefined },
): { stop(): Promise<void> } {
  let current: Promise<void> | undefined;
  const pass = async () => {
    try {
      const recovery = await withDeadline(recoverSilentWorkers(db, recoverAfterMs), 10_000, "a recovery pass");
      if (recovery.owners.length > 0) onRecovery?.(recovery);
    } catch (error) {
      console.error(`[pools-by-hand] recovery pass: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timer = setInterval(() => {
    // A pass still running (a slow database) is not doubled up.
    current ??= pass().finally(() => (current = undefined));
  }, Math.max(250, Math.floor(recoverAfterMs / 4)));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
