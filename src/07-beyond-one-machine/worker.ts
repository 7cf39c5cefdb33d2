/**
 * A worker of the Postgres queue: graphile-worker takes the jobs (woken by
 * LISTEN/NOTIFY, locked with `FOR UPDATE SKIP LOCKED`), the kit runs each
 * chunk with the tasks module's exports and publishes the outcome, and a
 * heartbeat tells the others that this process is alive.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { run, type Task, type WorkerEvents } from "graphile-worker";
import type { Outcome } from "../03-results/async-result.js";
import { checkInteger } from "../01-reusable-worker/checks.js";
import { TaskModule } from "../04-threads-and-processes/task-module.js";
import { createPgPool, resolveConnectionString } from "./connection.js";
import { withDeadline } from "./deadline.js";
import { quietLogger } from "./graphile-logger.js";
import { startHeartbeat } from "./heartbeat.js";
import { checkQueueName, DEFAULT_QUEUE } from "./queue-client.js";
import { DEFAULT_RECOVER_AFTER_MS, startRecoverer, type Recovery } from "./recoverer.js";
import { ResultPublisher } from "./results.js";
import { runJob } from "./run-job.js";
import { migrate } from "./schema.js";
import { decode, encodeOutcome, isJobPayload } from "./wire.js";

/**
 * Options of {@link runWorker}.
 *
 * @example
 * ```ts
 * const options: WorkerOptions = { connectionString: url, tasks: "dist/tasks.js", concurrency: 4 };
 * ```
 */
export interface WorkerOptions {
  /** Where the queue is; `DATABASE_URL` by default. */
  connectionString?: string | undefined;
  /** The path or `file:` URL of the module whose exported functions are the tasks. */
  tasks: string | URL;
  /** The most jobs this process runs at once; 1 by default. */
  concurrency?: number | undefined;
  /** The task identifier to take jobs for (the callers must use the same); `"pools_by_hand"` by default. */
  queueName?: string | undefined;
  /** Release the jobs of a worker silent for this long; 10 s by default. */
  recoverAfterMs?: number | undefined;
  /**
   * How often to look for due jobs besides being woken by a notification: a
   * job inserted with a later `runAt` starts up to this late. graphile-worker's
   * 2 s by default.
   */
  pollIntervalMs?: number | undefined;
  /**
   * How often the heartbeat is written: every second by default, or every
   * quarter of `recoverAfterMs` when that is shorter. At most half of
   * `recoverAfterMs`, or a live worker could look silent between two beats.
   */
  heartbeatMs?: number | undefined;
  /** This process's name in results and heartbeats; `host/pid/random` by default. */
  name?: string | undefined;
  /**
   * Lock up to this many jobs ahead in one query (graphile-worker's
   * `localQueue`). Fewer queries, but this process holds jobs another worker
   * could be running, and a crash strands them until recovery. Off (0) by
   * default.
   */
  prefetch?: number | undefined;
  /**
   * Make this worker's commits wait for the disk. Off by default: a server
   * crash then loses at most the worker's last few commits, in log order, so a
   * job whose result was lost runs again — as after a worker crash.
   */
  waitForDisk?: boolean | undefined;
  /** Told when this process released a silent worker's jobs. */
  onRecovery?: ((recovery: Recovery) => void) | undefined;
}

/**
 * A worker started by {@link runWorker}.
 *
 * @example
 * ```ts
 * const worker: RunningWorker = await runWorker({ tasks, concurrency: 2 });
 * await worker.stop();
 * ```
 */
export interface RunningWorker {
  /** Its name in results and heartbeats. */
  readonly name: string;
  /** What graphile-worker writes into `locked_by` for the jobs this process holds. */
  readonly lockIds: readonly string[];
  /** Settles when the worker has stopped; rejects if graphile-worker failed. */
  readonly done: Promise<void>;
  /**
   * Takes no new job, lets the running ones finish and publish (for at most
   * 30 s, then ends them: their jobs are recovered elsewhere), stops the
   * heartbeat last and disconnects. Safe to call twice.
   */
  stop(): Promise<void>;
}

function checkWorkerOptions(options: WorkerOptions) {
  if (typeof options !== "object" || options === null) throw new TypeError("runWorker needs an options object");
  const connectionString = resolveConnectionString(options.connectionString);
  const tasks = new TaskModule(options.tasks);
  const concurrency = checkInteger("concurrency", options.concurrency ?? 1, 1);
  const queueName = checkQueueName(options.queueName ?? DEFAULT_QUEUE);
  const recoverAfterMs = checkInteger("recoverAfterMs", options.recoverAfterMs ?? DEFAULT_RECOVER_AFTER_MS, 1);
  const heartbeatMs = checkInteger("heartbeatMs", options.heartbeatMs ?? Math.max(1, Math.min(1_000, Math.floor(recoverAfterMs / 4))), 1);
  if (options.heartbeatMs !== undefined && heartbeatMs * 2 > recoverAfterMs) {
    throw new RangeError(`heartbeatMs must be at most half of recoverAfterMs (${recoverAfterMs}), or a live worker can look silent between two beats; got ${heartbeatMs}`);
  }
  const pollIntervalMs = checkInteger("pollIntervalMs", options.pollIntervalMs ?? 2_000, 10);
  const prefetch = checkInteger("prefetch", options.prefetch ?? 0, 0);
  const name = options.name ?? `${hostname()}/${process.pid}/${randomBytes(2).toString("hex")}`;
  if (typeof name !== "string" || name === "") throw new TypeError(`name must be a non-empty string, got ${JSON.stringify(name)}`);
  return { ...options, connectionString, tasks, concurrency, queueName, recoverAfterMs, heartbeatMs, pollIntervalMs, prefetch, name };
}

/**
 * Runs a worker of the Postgres queue in this process, on any machine that
 * reaches the database: Celery's `celery worker`, for the kit. It takes at
 * most `concurrency` jobs at a time, so other workers get the rest; a job's
 * calls run one after another, as on a chapter 04 worker. A task's own error
 * goes back to the caller (name, message, fields and remote stack); only a
 * failure to publish the result counts as a failed attempt for the queue.
 *
 * @throws TypeError or RangeError, at the call, for a bad option, a tasks
 *   module that is not there, or no connection string.
 * @returns a promise that rejects when the database cannot be reached.
 * @example
 * ```ts
 * const worker = await runWorker({ connectionString: process.env.DATABASE_URL, tasks: "dist/tasks.js", concurrency: 2 });
 * process.once("SIGTERM", () => void worker.stop());
 * ```
 */
export function runWorker(options: WorkerOptions): Promise<RunningWorker> {
  return start(checkWorkerOptions(options));
}

async function start(options: ReturnType<typeof checkWorkerOptions>): Promise<RunningWorker> {
  const { connectionString, concurrency, name } = options;
  const tasks = (await import(options.tasks.url)) as Record<string, unknown>;
  // One connection per running job, one for graphile-worker's LISTEN, a few
  // to complete jobs and for recovery passes.
  const db = createPgPool(connectionString, concurrency + 4, options.waitForDisk ? undefined : "-c synchronous_commit=off");
  try {
    await migrate(db, connectionString);
  } catch (error) {
    await db.end();
    throw error;
  }

  // Results that finish while one is being stored go together in the next statement.
  const publisher = new ResultPublisher(db, name);
  const handleJob: Task = async (payload, helpers) => {
    if (!isJobPayload(payload)) throw new Error(`job ${helpers.job.id} is not a pools-by-hand job`);
    let outcome: Outcome<unknown[]>;
    try {
      outcome = await runJob(tasks, payload.task, decode(payload.items) as unknown[], payload.star);
    } catch (error) {
      outcome = { ok: false, error };
    }
    // Stored before graphile-worker marks the job done: a crash in between runs it again, never loses it.
    await publisher.publish(payload, encodeOutcome(outcome, payload.task));
  };

  // graphile-worker writes its pool's id into jobs.locked_by: the heartbeat row lists it.
  const events: WorkerEvents = new EventEmitter();
  const lockIds: string[] = [];
  events.on("pool:create", ({ workerPool }) => lockIds.push(workerPool.id));
  const runner = await run({
    pgPool: db,
    taskList: { [options.queueName]: handleJob },
    concurrency,
    pollInterval: options.pollIntervalMs,
    // The caller owns SIGINT and SIGTERM, not graphile-worker.
    noHandleSignals: true,
    // Without prefetch, each free slot takes one job: a second worker gets its
    // share of a burst, and a crash strands only the jobs running. Jobs that
    // finish in the same tick are marked done in one query; their results are
    // already stored, so a crash before that query only runs them again.
    preset: { worker: { localQueue: { size: options.prefetch > 0 ? options.prefetch : -1 }, completeJobBatchDelay: 0 } },
    events,
    logger: quietLogger,
  }).catch(async (error: unknown) => {
    await db.end();
    throw error;
  });

  let heartbeat: { stop(): Promise<void> };
  try {
    heartbeat = await startHeartbeat({ connectionString, worker: name, lockIds, intervalMs: options.heartbeatMs });
  } catch (error) {
    await runner.stop().catch(() => undefined);
    await db.end();
    throw error;
  }
  const recoverer = startRecoverer(db, { recoverAfterMs: options.recoverAfterMs, onRecovery: options.onRecovery });
  // Handled here too, so a caller that never looks at `done` is not crashed by an unhandled rejection.
  runner.promise.catch(() => undefined);

  let stopping: Promise<void> | undefined;
  return {
    name,
    lockIds,
    done: runner.promise,
    stop: () =>
      (stopping ??= (async () => {
        try {
          await withDeadline(runner.stop(), 30_000, "the running jobs to finish").catch(() => runner.kill());
        } finally {
          await recoverer.stop();
          // Last: until now the jobs this process held were still its own.
          await heartbeat.stop();
          await db.end();
        }
      })()),
  };
}
