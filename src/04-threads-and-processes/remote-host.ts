import type { Job, RunnerOptions } from "../03-results/runner.js";
import { WorkerCrashedError } from "./errors.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { pack, unpack } from "./packing.js";
import { revivedError } from "./remote-error.js";
import type { Host } from "./local-runner.js";
import type { TaskModule } from "./task-module.js";
import type { TaskTimings } from "./task-timings.js";

/** How a worker ended: its exit code or signal, and the error it died of, if it told us. */
export interface Death {
  exitCode: number | null;
  signal: string | null;
  cause?: unknown;
}


/**
 * The part of a worker thread's host and a child process's host that is the
 * same: the conversation with the worker (start, run, stop), the bookkeeping
 * of which job is running, and what to do when the worker dies. Subclasses
 * only say how to start a worker, send it a message and end it.
 *
 * When a worker dies, its replies up to that moment are read first; the first
 * job without a reply is the one it was running, which fails with a
 * {@link WorkerCrashedError}, and the jobs after it were never started, so they
 * go back to the runner for the next worker. A worker that died before it took
 * the batch (it died idle, as the batch was on its way) ran none of it: the
 * whole batch goes back. The worker says `took` as it takes each batch, which
 * is how the host tells the two apart.
 */
export abstract class RemoteHost implements Host {
  #alive = true;
  #started = false;
  #startWaiter: { resolve(): void; reject(error: unknown): void } | undefined;
  #batch: Job[] = [];
  /** The batch's jobs still waiting for a reply, by id; a reply clears its entry. */
  #unanswered: (Job | undefined)[] = [];
  #left = 0;
  #finishBatch: ((leftover: Job[]) => void) | undefined;
  #batchStarted = 0;
  /** The error a worker said it was dying of, if it could say. */
  #fatal: unknown;
  /** Whether the worker has taken the batch in flight (its `took` arrived). */
  #taken = false;
  #exited: Promise<void>;
  #markExited!: () => void;
  protected readonly tasks: TaskModule;
  protected readonly options: RunnerOptions;
  #timings: TaskTimings;
  /** The most jobs sent to one worker in one message. */
  readonly maxBatch = 64;

  /**
   * @example
   * ```ts
   * class SocketHost extends RemoteHost {
   *   // spawn, send and forceEnd over a socket
   * }
   * ```
   */
  constructor(tasks: TaskModule, options: RunnerOptions, timings: TaskTimings) {
    this.tasks = tasks;
    this.options = options;
    this.#timings = timings;
    this.#exited = new Promise((resolve) => (this.#markExited = resolve));
  }

  /** A name for messages: "worker thread" or "child process". */
  protected abstract readonly what: string;
  /** Starts the worker; from then on it calls `received` and, once, `died`. */
  protected abstract spawn(): void;
  /** Sends a message to the worker; throws if a value in it cannot be copied. */
  protected abstract send(message: ToWorker): void;
  /** Ends the worker at once. */
  protected abstract forceEnd(): void;

  /** Whether the worker is still there. */
  get alive(): boolean {
    return this.#alive;
  }

  /** Starts the worker, loads the tasks module in it and runs the initializer. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#startWaiter = { resolve, reject };
      try {
        this.spawn();
      } catch (error) {
        // No worker was made, so none will ever exit: this host is done.
        this.#alive = false;
        this.#markExited();
        throw error;
      }
      const { initializer, initargs } = this.options;
      this.send({
        kind: "init",
        tasks: this.tasks.url,
        initializer: initializer && this.tasks.nameOf(initializer),
        initargs,
      });
    });
  }

  /** Sends the jobs in one message (or one by one, if some cannot be copied) and waits for every reply. */
  run(jobs: Job[]): Promise<Job[]> {
    if (!this.#alive) return Promise.resolve(jobs);
    return new Promise<Job[]>((resolve) => {
      this.#batch = jobs;
      this.#unanswered = [...jobs];
      this.#left = jobs.length;
      this.#batchStarted = performance.now();
      this.#taken = false;
      this.#finishBatch = resolve;
      const sent = jobs.map((job, id) => ({ id, name: this.tasks.nameOf(job.fn), items: job.star ? job.items : pack(job.items), star: job.star }));
      try {
        this.send({ kind: "run", jobs: sent });
      } catch {
        // Something in the batch cannot be copied: send the jobs one by one so
        // that only the guilty ones fail, with the reason.
        for (const job of sent) {
          try {
            this.send({ kind: "run", jobs: [job] });
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            this.received({
              kind: "done",
              id: job.id,
              ok: false,
              error: { kind: "value", value: new TypeError(`the arguments of ${job.name} cannot be sent to the ${this.what}: ${reason}`) },
            });
          }
        }
      }
    });
  }

  /** Asks an idle worker to leave, and waits until it has. */
  async stop(): Promise<void> {
    if (this.#alive) {
      try {
        this.send({ kind: "stop" });
      } catch {
        this.forceEnd();
      }
    }
    await this.#exited;
  }

  /** Ends the worker now, and waits until it has. */
  async kill(): Promise<void> {
    if (this.#alive) this.forceEnd();
    await this.#exited;
  }

  /** Called by subclasses with every message from the worker, in order. */
  protected received(message: FromWorker): void {
    if (message.kind === "ready") {
      this.#started = true;
      this.#startWaiter?.resolve();
      return;
    }
    if (message.kind === "took") {
      this.#taken = true;
      return;
    }
    if (message.kind === "fatal") {
      this.#fatal = revivedError(message.error);
      return;
    }
    if (message.kind === "init-failed") {
      this.#startWaiter?.reject(revivedError(message.error));
      this.forceEnd();
      return;
    }
    const job = this.#unanswered[message.id];
    if (!job) return;
    this.#unanswered[message.id] = undefined;
    this.#left -= 1;
    job.done(message.ok ? { ok: true, value: unpack(message.values) } : { ok: false, error: revivedError(message.error) });
    if (this.#left === 0) this.#endBatch([]);
  }

  /** Called by subclasses once, after the worker's last message has been read. */
  protected died(death: Death): void {
    if (death.cause === undefined && this.#fatal !== undefined) death = { ...death, cause: this.#fatal };
    this.#alive = false;
    this.#markExited();
    if (!this.#started) {
      const error = new WorkerCrashedError(this.what, death.exitCode, death.signal, death.cause);
      this.#startWaiter?.reject(error);
      return;
    }
    if (!this.#finishBatch) return;
    const unanswered = this.#unanswered.filter((job): job is Job => job !== undefined);
    // Dead before it took the batch: nothing in it started, all of it goes to the replacement.
    if (!this.#taken) return this.#endBatch(unanswered);
    // A worker runs its jobs in order, so the first one without a reply is the
    // one it was running; those after it never started.
    const [running, ...neverStarted] = unanswered;
    running?.done({ ok: false, error: new WorkerCrashedError(this.what, death.exitCode, death.signal, death.cause) });
    this.#endBatch(neverStarted);
  }

  #endBatch(leftover: Job[]): void {
    const finish = this.#finishBatch as (leftover: Job[]) => void;
    const done = this.#batch.slice(0, this.#batch.length - leftover.length);
    const perJob = (performance.now() - this.#batchStarted) / done.length;
    for (const job of done) this.#timings.record(job.fn, perJob);
    this.#finishBatch = undefined;
    this.#batch = [];
    this.#unanswered = [];
    finish(leftover);
  }
}
