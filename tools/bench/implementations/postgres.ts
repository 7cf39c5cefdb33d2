/**
 * Chapter 07's pool, its queue in Postgres, and raw graphile-worker beside it.
 * Each `open` starts an embedded Postgres (or uses DATABASE_URL) and two
 * worker processes; `close` stops them.
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { defaultChunksize } from "../../../src/03-results/chunks.js";
import type { Implementation } from "../implementation.js";
import { TASKS } from "../tasks.js";

// The same URL the import of TASKS above resolves to (see kit.ts).
const tasks = new URL("../tasks.js", import.meta.url);
/** A shorter recovery window than the kit's 10 s default, so a recovery run takes seconds. */
const RECOVER_AFTER_MS = 2_000;
/**
 * Jobs each worker process runs at once. A tiny job spends its time waiting on
 * the database, so a worker that overlaps eight of them keeps Postgres busy,
 * and their results share commits.
 */
const CONCURRENCY = 8;

/** DATABASE_URL when set, else a fresh embedded Postgres. */
async function database(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const { startPostgres } = await import("../../../src/index.js");
  const url = process.env.DATABASE_URL;
  return url ? { connectionString: url, stop: async () => {} } : startPostgres();
}

/** Waits (bounded) until `check` holds, polling every 10 ms. */
async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const giveUpAt = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const kitPostgres: Implementation = {
  id: "kit-postgres",
  label: "kit Pool, Postgres queue",
  family: "kit",
  scenarios: ["pg-start", "pg-map", "pg-map-1", "pg-latency", "pg-recovery"],
  async startServer() {
    const { startPostgres } = await import("../../../src/index.js");
    return startPostgres();
  },
  async open(workers) {
    const { Pool, createPgPool, startWorkerProcess } = await import("../../../src/index.js");
    const db = await database();
    const queueName = `bench_${process.pid}`;
    const options = { connectionString: db.connectionString, tasks, queueName, recoverAfterMs: RECOVER_AFTER_MS };
    const processes = await Promise.all(Array.from({ length: workers }, () => startWorkerProcess({ ...options, concurrency: CONCURRENCY })));
    // Size 0: this process only submits; the two worker processes above run the tasks.
    const pool = new Pool(0, { runIn: "postgres", ...options });
    const sql: pg.Pool = createPgPool(db.connectionString, 1);
    return {
      call: (fn, args) => pool.applyAsync(TASKS[fn] as (...args: unknown[]) => unknown, [...args]).get(),
      // A pool of size 0 does not know how many workers there are: give it Python's default for 2.
      map: (fn, items, chunksize) => pool.map(TASKS[fn] as (item: unknown) => unknown, items, chunksize ?? defaultChunksize(items.length, workers)),
      // Kills a worker that holds a task, as soon as one does.
      async crash() {
        let victim: (typeof processes)[number] | undefined;
        const holder = async () => {
          const { rows } = await sql.query<{ locked_by: string }>("select locked_by from graphile_worker.jobs where locked_by is not null and task_identifier = $1", [queueName]);
          victim = processes.find((worker) => rows.some((row) => worker.lockIds.includes(row.locked_by)));
          return victim !== undefined;
        };
        await until(holder, "a worker to take a task");
        await victim?.kill();
      },
      async close() {
        pool.close();
        await pool.join();
        await sql.end();
        await Promise.all(processes.map((worker) => worker.stop()));
        await db.stop();
      },
    };
  },
};

const RAW_ENTRY = fileURLToPath(new URL("../raw-graphile-entry.js", import.meta.url));

const rawGraphile: Implementation = {
  id: "raw-graphile-worker",
  label: "raw graphile-worker, one addJob per job",
  family: "baseline",
  scenarios: ["pg-map-1"],
  async open(workers) {
    const [{ createPgPool, migrate }, { makeWorkerUtils }] = await Promise.all([import("../../../src/index.js"), import("graphile-worker")]);
    const db = await database();
    const queue = `raw_${process.pid}`;
    const sql = createPgPool(db.connectionString, 4);
    await migrate(sql, db.connectionString);
    await sql.query("create table if not exists raw_results (i int primary key, value bigint not null)");
    const utils = await makeWorkerUtils({ pgPool: sql });
    const children: ChildProcess[] = Array.from({ length: workers }, () => fork(RAW_ENTRY, [db.connectionString, queue, String(CONCURRENCY)], { stdio: ["ignore", "ignore", "inherit", "ipc"] }));
    await Promise.all(children.map((child) => once(child, "message")));
    const queued = async () => ((await sql.query("select 1 from graphile_worker.jobs where task_identifier = $1 limit 1", [queue])).rowCount ?? 0) > 0;
    return {
      call: () => Promise.reject(new Error("raw graphile-worker returns no results to a call")),
      // One job per item, each added by its own addJob (its own insert, commit and
      // notification), four at a time over four connections; done when the
      // queue is empty; the values read back from the table.
      async map(_fn, items) {
        await sql.query("truncate raw_results");
        const lane = async (first: number) => {
          for (let i = first; i < items.length; i += 4) await utils.addJob(queue, { i, x: items[i] });
        };
        await Promise.all([0, 1, 2, 3].map(lane));
        await until(async () => !(await queued()), "the raw jobs to be done", 120_000);
        const { rows } = await sql.query<{ value: string }>("select value from raw_results order by i");
        return rows.map((row) => Number(row.value));
      },
      async close() {
        for (const child of children) child.kill("SIGTERM");
        await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : undefined)));
        await utils.release();
        await sql.end();
        await db.stop();
      },
    };
  },
};

export const implementations: Implementation[] = [kitPostgres, rawGraphile];
