/**
 * The caller's side of a queue in Postgres: it adds jobs in batches (one
 * statement and one notification per batch), hears results on its own
 * channel, and settles each job exactly once — whatever the number of times
 * the job ran.
 */
import { randomUUID } from "node:crypto";
import { makeWorkerUtils, type AddJobsJobSpec, type WorkerUtils } from "graphile-worker";
import type pg from "pg";
import type { Outcome } from "../03-results/async-result.js";
import { checkInteger } from "../01-reusable-worker/checks.js";
import { createPgPool, resolveConnectionString } from "./connection.js";
import { AttemptsExhaustedError } from "./errors.js";
import { quietLogger } from "./graphile-logger.js";
import { listenForResults } from "./result-listener.js";
import { DEFAULT_RECOVER_AFTER_MS, startRecoverer, type Recovery } from "./recoverer.js";
import { resultChannel, type ResultMessage } from "./results.js";
import { migrate } from "./schema.js";
import { decodeOutcome, encode, type JobPayload } from "./wire.js";

/**
 * The graphile-worker task identifier that workers take jobs for, unless told another.
 *
 * @example
 * ```ts
 * new Pool(0, { runIn: "postgres", tasks, queueName: DEFAULT_QUEUE }); // the same as leaving it out
 * ```
 */
export const DEFAULT_QUEUE = "pools_by_hand";

/**
 * How many times a job is handed to a worker before its result fails, by default.
 *
 * @example
 * ```ts
 * new Pool(0, { runIn: "postgres", tasks, maxAttempts: DEFAULT_MAX_ATTEMPTS + 2 });
 * ```
 */
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Options of {@link QueueClient.connect}.
 *
 * @example
 * ```ts
 * const options: QueueClientOptions = { connectionString: db.connectionString, recoverAfterMs: 2_000 };
 * ```
 */
export interface QueueClientOptions {
  /** Where the queue is; `DATABASE_URL` by default. */
  connectionString?: string | undefined;
  /** The task identifier the workers listen for; `"pools_by_hand"` by default. */
  queueName?: string | undefined;
  /** Release the jobs of a worker silent for this long (this client runs recovery passes too); 10 s by default. */
  recoverAfterMs?: number | undefined;
  /** Attempts a job gets unless {@link JobOptions} say otherwise; 3 by default. */
  maxAttempts?: number | undefined;
  /** How often to read the results table for results whose notification was missed; 2 s by default. */
  sweepMs?: number | undefined;
  /** Told when this client released a silent worker's jobs. */
  onRecovery?: ((recovery: Recovery) => void) | undefined;
}

/**
 * One job: a chunk of calls of one task, named.
 *
 * @example
 * ```ts
 * const spec: JobSpec = { task: "add", items: [[1, 2], [3, 4]], star: true };
 * ```
 */
export interface JobSpec {
  /** The export of the workers' tasks module. */
  task: string;
  /** One item per call: its argument, or with `star` its list of arguments. */
  items: readonly unknown[];
  star: boolean;
}

/**
 * graphile-worker's scheduling options for one job.
 *
 * @example
 * ```ts
 * client.submit(spec, { runAt: new Date(Date.now() + 60_000), priority: -10 });
 * ```
 */
export interface JobOptions {
  /** Not before this moment (the database's clock decides). */
  runAt?: Date | undefined;
  /** Smaller runs first; 0 by default. */
  priority?: number | undefined;
  /** How many times the job may be handed to a worker. */
  maxAttempts?: number | undefined;
}

/** A job waiting for its result. */
interface PendingJob {
  settle(outcome: Outcome<unknown[]>): void;
  /** graphile-worker's id for it, once the insert is done. */
  queueId?: string;
}

/** Jobs per insert: workers can start on the first thousand while the next are inserted. */
const MAX_JOBS_PER_INSERT = 1_000;

// One snapshot for the whole check: a job gone from the queue has finished,
// so its result row, written before the job was completed, is in the same
// snapshot. Rows come back only for jobs with news.
const SWEEP = `
  select p.job_id, r.outcome, j.id is not null as queued, j.attempts, j.last_error
  from unnest($2::bigint[], $3::bigint[]) as p(job_id, queue_id)
  left join pools_by_hand.results r on r.pool_id = $1 and r.job_id = p.job_id
  left join graphile_worker.jobs j on j.id = p.queue_id
  where r.outcome is not null or j.id is null or (j.locked_at is null and j.attempts >= j.max_attempts)`;

function checkJobOptions(options: JobOptions): void {
  if (options.runAt !== undefined && !(options.runAt instanceof Date && Number.isFinite(options.runAt.getTime()))) {
    throw new TypeError("runAt must be a valid Date");
  }
  if (options.priority !== undefined) checkInteger("priority", options.priority, -32_768);
  if (options.maxAttempts !== undefined) checkInteger("maxAttempts", options.maxAttempts, 1);
}

/**
 * The caller's side of the queue: Celery's `send_task`, for the kit. A pool
 * with `runIn: "postgres"` is built on it; use it directly to submit by task
 * name alone (the caller needs no copy of the tasks module) or with
 * graphile-worker's scheduling options.
 *
 * Each job's outcome is settled once, from a map of pending jobs: by the
 * notification that carries it, or by the sweep that reads the results table
 * every `sweepMs` (a notification missed while the connection was down, a
 * result too big to notify). The sweep also settles, with
 * {@link AttemptsExhaustedError}, a job that used up its attempts.
 *
 * @example
 * ```ts
 * const client = await QueueClient.connect({ connectionString: db.connectionString });
 * const [sum] = await client.submit({ task: "add", items: [[1, 2]], star: true }); // 3
 * await client.close();
 * ```
 */
export class QueueClient {
  /** This client's id, which names its results channel and its result rows. */
  readonly poolId: string;
  #db: pg.Pool;
  #utils: WorkerUtils;
  #queueName: string;
  #maxAttempts: number;
  #pending = new Map<number, PendingJob>();
  #nextJobId = 1;
  #batch: { payload: JobPayload; options: JobOptions }[] = [];
  #inserting = new Set<Promise<void>>();
  /** Jobs settled since the last sweep, whose result rows can go. */
  #settled: number[] = [];
  #listener!: { close(): Promise<void> };
  #sweepTimer!: ReturnType<typeof setInterval>;
  #sweeping: Promise<void> | undefined;
  #recoverer!: { stop(): Promise<void> };
  #closed = false;

  private constructor(poolId: string, db: pg.Pool, utils: WorkerUtils, queueName: string, maxAttempts: number) {
    this.poolId = poolId;
    this.#db = db;
    this.#utils = utils;
    this.#queueName = queueName;
    this.#maxAttempts = maxAttempts;
  }

  /**
   * Connects, creates the tables if needed, and starts listening for results.
   *
   * @throws TypeError or RangeError, at the call, for a bad option or no
   *   connection string.
   * @returns a promise that rejects, within about 5 s, with an Error naming
   *   the (redacted) address when the database cannot be reached.
   * @example
   * ```ts
   * const client = await QueueClient.connect(); // DATABASE_URL
   * ```
   */
  static connect(options: QueueClientOptions = {}): Promise<QueueClient> {
    const connectionString = resolveConnectionString(options.connectionString);
    const queueName = checkQueueName(options.queueName ?? DEFAULT_QUEUE);
    const recoverAfterMs = checkInteger("recoverAfterMs", options.recoverAfterMs ?? DEFAULT_RECOVER_AFTER_MS, 1);
    const maxAttempts = checkInteger("maxAttempts", options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 1);
    const sweepMs = checkInteger("sweepMs", options.sweepMs ?? 2_000, 1);
    return QueueClient.#open(connectionString, queueName, recoverAfterMs, maxAttempts, sweepMs, options.onRecovery);
  }

  static async #open(
    connectionString: string,
    queueName: string,
    recoverAfterMs: number,
    maxAttempts: number,
    sweepMs: number,
    onRecovery: ((recovery: Recovery) => void) | undefined,
  ): Promise<QueueClient> {
    const db = createPgPool(connectionString, 4);
    let utils: WorkerUtils | undefined;
    try {
      await migrate(db, connectionString);
      utils = await makeWorkerUtils({ pgPool: db, logger: quietLogger });
      const client = new QueueClient(randomUUID().replaceAll("-", ""), db, utils, queueName, maxAttempts);
      client.#listener = await listenForResults(connectionString, resultChannel(client.poolId), (message) => client.#heard(message), () => client.#sweep());
      client.#sweepTimer = setInterval(() => client.#sweep(), sweepMs);
      client.#sweepTimer.unref();
      client.#recoverer = startRecoverer(db, { recoverAfterMs, onRecovery });
      return client;
    } catch (error) {
      await Promise.resolve(utils?.release()).catch(() => undefined);
      await db.end().catch(() => undefined);
      throw error;
    }
  }

  /** Jobs submitted and not yet settled. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Adds one job and resolves to its values, one per item, or rejects with the
   * first error a call threw. Jobs submitted in the same turn of the event
   * loop go in one insert.
   *
   * @throws TypeError, at the call, for items that cannot be serialized or a
   *   bad option; Error once the client is closed.
   * @example
   * ```ts
   * await client.submit({ task: "square", items: [1, 2, 3], star: false }); // [1, 4, 9]
   * ```
   */
  submit(spec: JobSpec, options: JobOptions = {}): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.enqueue(spec, (outcome) => (outcome.ok ? resolve(outcome.value) : reject(outcome.error)), options);
    });
  }

  /**
   * {@link QueueClient.submit} with a callback instead of a promise: `settle`
   * is called once, with the job's outcome.
   *
   * @throws as {@link QueueClient.submit} does.
   * @example
   * ```ts
   * client.enqueue({ task: "square", items: [4], star: false }, (outcome) => console.log(outcome));
   * ```
   */
  enqueue(spec: JobSpec, settle: (outcome: Outcome<unknown[]>) => void, options: JobOptions = {}): void {
    if (this.#closed) throw new Error("the queue client is closed");
    checkJobOptions(options);
    let items: string;
    try {
      items = encode(spec.items);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(`the arguments of ${spec.task} cannot be sent through the queue: ${reason}`);
    }
    const jobId = this.#nextJobId++;
    // Registered before the insert: a quick worker's result may arrive before addJobs returns.
    this.#pending.set(jobId, { settle });
    if (this.#batch.length === 0) queueMicrotask(() => this.#flush());
    this.#batch.push({ payload: { poolId: this.poolId, jobId, task: spec.task, star: spec.star, items }, options });
  }

  /**
   * Removes this client's jobs that no worker has taken yet, and settles them
   * with `error`. Jobs already running elsewhere cannot be taken back: they
   * finish, and their results are not awaited. With `deadWorkers`, the lock
   * ids of workers known to be dead (killed by their owner), their jobs are
   * released and removed in the same transaction.
   *
   * @returns how many jobs it removed.
   * @example
   * ```ts
   * await client.cancelQueued(new PoolTerminatedError()); // 12
   * ```
   */
  async cancelQueued(error: unknown, deadWorkers: readonly string[] = []): Promise<number> {
    // Jobs still being inserted must be in the table before they can be deleted.
    await Promise.all(this.#inserting);
    const ids = [...this.#pending.values()].flatMap((job) => (job.queueId === undefined ? [] : [job.queueId]));
    if (ids.length === 0) return 0;
    const client = await this.#db.connect();
    let removed: { payload: JobPayload }[];
    try {
      await client.query("begin");
      // Row locks held until commit: no worker can take a released job before it is deleted.
      if (deadWorkers.length > 0) await client.query("select graphile_worker.force_unlock_workers($1::text[])", [deadWorkers]);
      ({ rows: removed } = await client.query<{ payload: JobPayload }>("select payload from graphile_worker.complete_jobs($1::bigint[])", [ids]));
      await client.query("commit");
    } catch (failure) {
      await client.query("rollback").catch(() => undefined);
      throw failure;
    } finally {
      client.release();
    }
    for (const { payload } of removed) this.#settle(payload.jobId, { ok: false, error });
    return removed.length;
  }

  /**
   * Stops listening and releases the connections; every job still pending is
   * settled with `error` (its result would go unheard). Safe to call twice.
   *
   * @example
   * ```ts
   * await client.close();
   * ```
   */
  async close(error: unknown = new Error("the queue client was closed before this job finished")): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweepTimer);
    await Promise.all(this.#inserting);
    await this.#sweeping;
    await this.#recoverer.stop();
    for (const jobId of [...this.#pending.keys()]) this.#settle(jobId, { ok: false, error });
    await this.#listener.close();
    await this.#db.query("delete from pools_by_hand.results where pool_id = $1", [this.poolId]).catch(() => undefined);
    await this.#utils.release();
    await this.#db.end();
  }

  /** Settles a job once: a later result for the same job (it ran twice) is ignored. */
  #settle(jobId: number, outcome: Outcome<unknown[]>): void {
    const job = this.#pending.get(jobId);
    if (!job) return;
    this.#pending.delete(jobId);
    this.#settled.push(jobId);
    job.settle(outcome);
  }

  #heard(message: ResultMessage): void {
    if (!this.#pending.has(message.jobId)) return;
    if (message.outcome !== undefined) this.#settle(message.jobId, decodeOutcome(message.outcome));
    // Too big for a notification: the row has it.
    else this.#sweep();
  }

  /** Inserts the jobs submitted this turn, a thousand per statement. */
  #flush(): void {
    const batch = this.#batch;
    this.#batch = [];
    for (let start = 0; start < batch.length; start += MAX_JOBS_PER_INSERT) {
      const part = batch.slice(start, start + MAX_JOBS_PER_INSERT);
      const insert = this.#insert(part);
      this.#inserting.add(insert);
      void insert.finally(() => this.#inserting.delete(insert));
    }
  }

  async #insert(batch: { payload: JobPayload; options: JobOptions }[]): Promise<void> {
    const specs: AddJobsJobSpec[] = batch.map(({ payload, options }) => ({
      identifier: this.#queueName,
      payload,
      maxAttempts: options.maxAttempts ?? this.#maxAttempts,
      ...(options.runAt ? { runAt: options.runAt } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
    }));
    try {
      for (const job of await this.#utils.addJobs(specs)) {
        const pending = this.#pending.get((job.payload as JobPayload).jobId);
        if (pending) pending.queueId = job.id;
      }
    } catch (error) {
      const failure = new Error(`could not add the jobs to the queue: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      for (const { payload } of batch) this.#settle(payload.jobId, { ok: false, error: failure });
    }
  }

  /** Reads the news of every pending job that is in the queue; one sweep at a time. */
  #sweep(): void {
    if (this.#sweeping || this.#closed) return;
    this.#sweeping = this.#sweepOnce()
      .catch((error: unknown) => console.error(`[pools-by-hand] results sweep: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.#sweeping = undefined));
  }

  async #sweepOnce(): Promise<void> {
    const jobIds: number[] = [];
    const queueIds: string[] = [];
    for (const [jobId, job] of this.#pending) {
      if (job.queueId === undefined) continue;
      jobIds.push(jobId);
      queueIds.push(job.queueId);
    }
    if (jobIds.length > 0) {
      const { rows } = await this.#db.query<{ job_id: string; outcome: string | null; queued: boolean; attempts: number | null; last_error: string | null }>(
        SWEEP,
        [this.poolId, jobIds, queueIds],
      );
      for (const row of rows) {
        const jobId = Number(row.job_id);
        if (row.outcome !== null) this.#settle(jobId, decodeOutcome(row.outcome));
        else if (!row.queued) this.#settle(jobId, { ok: false, error: new Error("the job left the queue without a result (was it deleted by hand?)") });
        else this.#settle(jobId, { ok: false, error: new AttemptsExhaustedError(row.attempts as number, row.last_error) });
      }
    }
    // Keep the results table small in a long-lived pool.
    if (this.#settled.length > 0) {
      const done = this.#settled;
      this.#settled = [];
      await this.#db.query("delete from pools_by_hand.results where pool_id = $1 and job_id = any($2::bigint[])", [this.poolId, done]);
    }
  }
}

/**
 * Checks a queue name: graphile-worker's task identifier for the kit's jobs.
 *
 * @throws TypeError when it is not a string of 1 to 100 characters.
 * @example
 * ```ts
 * checkQueueName("reports"); // "reports"
 * ```
 */
export function checkQueueName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0 || name.length > 100) {
    throw new TypeError(`queueName must be a string of 1 to 100 characters, got ${JSON.stringify(name)}`);
  }
  return name;
}
