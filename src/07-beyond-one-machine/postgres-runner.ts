import { checkInteger } from "../01-reusable-worker/checks.js";
import type { Job, Runner, RunnerOptions, TaskFunction } from "../03-results/runner.js";
import { TaskModule } from "../04-threads-and-processes/task-module.js";
import { resolveConnectionString } from "./connection.js";
import { QueueClient, checkQueueName, DEFAULT_MAX_ATTEMPTS, DEFAULT_QUEUE } from "./queue-client.js";
import { DEFAULT_RECOVER_AFTER_MS } from "./recoverer.js";
import { startWorkerProcess, WorkerStartError, type WorkerProcess } from "./worker-process.js";

/**
 * The runner behind `new Pool(size, { runIn: "postgres", … })`: the pool's
 * queue moves into a Postgres job queue (graphile-worker), and its workers are
 * processes anywhere that reach the database — `size` of them started here,
 * with {@link startWorkerProcess}, and any number started elsewhere with
 * `npm run worker`.
 *
 * How the pool's promises hold across machines:
 * - every job is settled once, by its first result, though it may run more
 *   than once (a worker that dies mid-job has its job recovered after
 *   `recoverAfterMs` and run again elsewhere): make tasks idempotent;
 * - a job whose workers keep dying fails with {@link AttemptsExhaustedError}
 *   after `maxAttempts`;
 * - `close()` waits for every result, then stops the local workers;
 * - `terminate()` rejects every unfinished result at once, kills the local
 *   workers, and deletes from the queue every job of this pool that no other
 *   machine has taken. A job running on another machine cannot be stopped
 *   from here: it finishes there, and its result goes unheard.
 *
 * A local worker that dies is replaced; one that cannot start breaks the pool.
 *
 * @example
 * ```ts
 * const pool = new Pool(2, { runIn: "postgres", connectionString: db.connectionString, tasks });
 * await pool.map(square, [1, 2, 3]); // [1, 4, 9]
 * ```
 */
export class PostgresRunner implements Runner {
  #tasks: TaskModule;
  #connectionString: string;
  #queueName: string;
  #recoverAfterMs: number;
  #broken: (error: unknown) => void;
  #client: QueueClient | undefined;
  #connecting: Promise<QueueClient | undefined>;
  /** Jobs submitted before the client was connected. */
  #waiting: Job[] = [];
  /** Every job not yet settled. */
  #unsettled = new Set<Job>();
  #workers: (WorkerProcess | undefined)[] = [];
  #starting: Promise<void>[] = [];
  #state: "running" | "closed" | "terminated" = "running";
  #shutdown: Promise<void> | undefined;
  #ended: Promise<void>;
  #markEnded!: () => void;

  /**
   * @throws TypeError or RangeError, at the pool's construction, for a missing
   *   `tasks` module or connection string, a bad option, or an option this
   *   runner cannot honour (`initializer`, `maxTasksPerChild`).
   * @example
   * ```ts
   * registerRunner("postgres", (options) => new PostgresRunner(options), { minSize: 0 });
   * ```
   */
  constructor(options: RunnerOptions) {
    const { extra } = options;
    if (options.initializer !== undefined) {
      throw new TypeError(
        'a pool with runIn: "postgres" has no initializer: its workers may be started on other machines, ' + "by other people; do setup work at the top of the tasks module",
      );
    }
    if (options.maxTasksPerChild !== undefined) throw new TypeError('maxTasksPerChild is not supported with runIn: "postgres"');
    if (extra.tasks === undefined) {
      throw new TypeError('a pool with runIn: "postgres" needs the `tasks` option: the path or URL of the module that exports its task functions');
    }
    this.#tasks = new TaskModule(extra.tasks);
    this.#connectionString = resolveConnectionString(extra.connectionString);
    this.#queueName = checkQueueName(extra.queueName ?? DEFAULT_QUEUE);
    this.#recoverAfterMs = checkInteger("recoverAfterMs", extra.recoverAfterMs ?? DEFAULT_RECOVER_AFTER_MS, 1);
    const maxAttempts = checkInteger("maxAttempts", extra.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 1);
    this.#broken = options.broken;
    this.#ended = new Promise((resolve) => (this.#markEnded = resolve));

    this.#connecting = QueueClient.connect({
      connectionString: this.#connectionString,
      queueName: this.#queueName,
      recoverAfterMs: this.#recoverAfterMs,
      maxAttempts,
    }).then(
      (client) => {
        this.#client = client;
        const waiting = this.#waiting;
        this.#waiting = [];
        for (const job of waiting) this.#send(job);
        return client;
      },
      (error: unknown) => {
        this.#broken(error);
        return undefined;
      },
    );
    for (let slot = 0; slot < options.size; slot++) {
      this.#workers.push(undefined);
      this.#starting.push(this.#startWorker(slot));
    }
  }

  /** Refuses a function that is not an export of the tasks module. */
  check(fn: TaskFunction): void {
    this.#tasks.nameOf(fn);
  }

  /** Sends the job to the queue (batched with the others of this turn). */
  submit(job: Job): void {
    this.#unsettled.add(job);
    if (this.#client) this.#send(job);
    else this.#waiting.push(job);
  }

  /** After the last result, stops the local workers and disconnects. */
  close(): void {
    if (this.#state !== "running") return;
    this.#state = "closed";
    this.#maybeShutDown();
  }

  /**
   * Rejects every unfinished result with `error`, kills the local workers and
   * deletes this pool's jobs that no other machine has taken.
   */
  async terminate(error: Error): Promise<void> {
    if (this.#state === "terminated") return this.#ended;
    this.#state = "terminated";
    const unsettled = [...this.#unsettled, ...this.#waiting];
    this.#unsettled.clear();
    this.#waiting = [];
    for (const job of unsettled) job.done({ ok: false, error });
    await Promise.all(this.#starting);
    const dead = this.#workers.flatMap((worker) => worker?.lockIds ?? []);
    await Promise.all(this.#workers.map((worker) => worker?.kill()));
    const client = await this.#connecting;
    try {
      await client?.cancelQueued(error, dead);
    } catch (failure) {
      console.error(`[pools-by-hand] terminate could not remove the queued jobs: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    await client?.close(error);
    this.#markEnded();
  }

  /** Resolves once the local workers have exited and the connections are closed. */
  ended(): Promise<void> {
    return this.#ended;
  }

  #send(job: Job): void {
    const done = (outcome: Parameters<Job["done"]>[0]) => {
      this.#unsettled.delete(job);
      job.done(outcome);
      this.#maybeShutDown();
    };
    try {
      (this.#client as QueueClient).enqueue({ task: this.#tasks.nameOf(job.fn), items: job.items, star: job.star }, done);
    } catch (error) {
      done({ ok: false, error });
    }
  }

  /** A closed pool whose last job has settled shuts down. */
  #maybeShutDown(): void {
    if (this.#state !== "closed" || this.#unsettled.size > 0 || this.#waiting.length > 0 || this.#shutdown) return;
    this.#shutdown = (async () => {
      await Promise.all(this.#starting);
      await Promise.all(this.#workers.map((worker) => worker?.stop()));
      const client = await this.#connecting;
      await client?.close();
      this.#markEnded();
    })();
  }

  /**
   * Starts (and, after a crash, restarts) the local worker of one slot. A
   * worker that gives up by itself breaks the pool; one that dies before it is
   * ready — a poison job taken at once, say — is replaced, up to ten times in
   * a row.
   */
  async #startWorker(slot: number, failuresInARow = 0): Promise<void> {
    let worker: WorkerProcess;
    try {
      worker = await startWorkerProcess({
        connectionString: this.#connectionString,
        tasks: this.#tasks.url,
        queueName: this.#queueName,
        recoverAfterMs: this.#recoverAfterMs,
      });
    } catch (error) {
      if (this.#state === "terminated" || this.#shutdown) return;
      const retry = error instanceof WorkerStartError && !error.cannotStart && failuresInARow < 10;
      if (retry) return this.#startWorker(slot, failuresInARow + 1);
      this.#broken(error);
      return;
    }
    this.#workers[slot] = worker;
    if (this.#state === "terminated") return;
    void worker.exited.then(() => {
      // A worker that died while the pool still needs it is replaced; its
      // running job is recovered by the others after recoverAfterMs.
      if (this.#state === "terminated" || this.#shutdown) return;
      this.#starting[slot] = this.#startWorker(slot);
    });
  }
}
