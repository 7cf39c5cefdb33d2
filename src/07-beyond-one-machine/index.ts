/**
 * Step 07: beyond one machine. The same `Pool`, with its queue in a real
 * Postgres job queue (graphile-worker) and its workers anywhere that reaches
 * the database: `runIn: "postgres"`. `startPostgres` runs a throw-away
 * PostgreSQL server from npm; `runWorker` and `npm run worker` are the workers;
 * `QueueClient` is the caller's side underneath the pool.
 *
 * @module 07-beyond-one-machine
 */
import { registerRunner } from "../03-results/runner.js";
import { PostgresRunner } from "./postgres-runner.js";

declare module "../03-results/pool.js" {
  interface PoolOptions {
    /**
     * With `runIn: "postgres"`: where the queue is; `DATABASE_URL` by default
     * (chapter 07).
     */
    connectionString?: string | undefined;
    /**
     * With `runIn: "postgres"`: the queue's name, which the workers must use
     * too; `"pools_by_hand"` by default.
     */
    queueName?: string | undefined;
    /**
     * With `runIn: "postgres"`: how long a worker may stay silent (no
     * heartbeat) before its jobs are given to others; 10 s by default.
     */
    recoverAfterMs?: number | undefined;
    /**
     * With `runIn: "postgres"`: how many times a job may be handed to a
     * worker before its result fails with AttemptsExhaustedError; 3 by default.
     */
    maxAttempts?: number | undefined;
  }
}

registerRunner("postgres", (options) => new PostgresRunner(options), { minSize: 0 });

export { binaryDir, binaryPackageRoot, ensureLibrarySymlinks } from "./binaries.js";
export { CONNECT_TIMEOUT_MS, connectClient, createPgPool, redact, resolveConnectionString } from "./connection.js";
export { withDeadline } from "./deadline.js";
export { AttemptsExhaustedError } from "./errors.js";
export { PostgresRunner } from "./postgres-runner.js";
export { ensureUser, isRoot, letUserReach, type UnixUser } from "./postgres-user.js";
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_QUEUE,
  QueueClient,
  checkQueueName,
  type JobOptions,
  type JobSpec,
  type QueueClientOptions,
} from "./queue-client.js";
export { DEFAULT_RECOVER_AFTER_MS, recoverSilentWorkers, startRecoverer, type Recovery } from "./recoverer.js";
export { NOTIFY_PAYLOAD_LIMIT, publishResult, publishResults, ResultPublisher, resultChannel, type Publication, resultMessage, type ResultMessage } from "./results.js";
export { migrate } from "./schema.js";
export { startPostgres, type RunningPostgres, type StartPostgresOptions } from "./start-postgres.js";
export { decode, decodeOutcome, encode, encodeOutcome, isJobPayload, type JobPayload } from "./wire.js";
export { runWorker, type RunningWorker, type WorkerOptions } from "./worker.js";
export { startWorkerProcess, WorkerStartError, type WorkerProcess, type WorkerProcessOptions } from "./worker-process.js";
