import { STOP } from "../01-reusable-worker/reusable-worker.js";
import type { Job, Runner, RunnerOptions, TaskFunction } from "../03-results/runner.js";
import { PeekableQueue } from "./peekable-queue.js";
import type { TaskTimings } from "./task-timings.js";

/**
 * One worker of a {@link LocalRunner}: a worker thread or a child process. A
 * host runs the jobs it is given one after another and settles each through
 * `job.done`.
 *
 * @example
 * ```ts
 * const host: Host = new ThreadHost(tasks, options, timings);
 * await host.start();
 * await host.run([job]); // [] : every job was started
 * await host.stop();
 * ```
 */
export interface Host {
  /** Starts the worker and runs the pool's initializer in it; rejects if it cannot start. */
  start(): Promise<void>;
  /** The most jobs this host takes in one batch; 1 means one at a time. */
  readonly maxBatch: number;
  /**
   * Runs `jobs` in order and settles each. If the worker dies meanwhile, the
   * job it was running is settled with a crash error, and the promise resolves
   * to the jobs that never started: they go to the worker that replaces it.
   */
  run(jobs: Job[]): Promise<Job[]>;
  /** False once the worker has died and must be replaced. */
  readonly alive: boolean;
  /** Ends an idle worker. */
  stop(): Promise<void>;
  /** Ends the worker now, whatever it is doing. */
  kill(): Promise<void>;
}

/** How many fresh workers in a row may die idle, before running anything, until the pool gives up. */
const MAX_IDLE_DEATHS = 3;

/** A slot of the runner: its current host and the jobs it holds. */
interface Slot {
  host: Host | undefined;
  /** Jobs taken from the queue and not yet settled: the batch running, or carried to a replacement. */
  holding: Job[];
}

/**
 * A runner whose workers are threads or child processes: `size` slots, each
 * with one {@link Host}, all fed from one {@link 01-reusable-worker!AsyncQueue} of jobs — chapter
 * 02's shared queue (one that can peek), now carrying jobs whose results
 * someone awaits.
 *
 * It starts every worker at once, as Python does. A worker that died is
 * replaced, and the replacement first runs the jobs its predecessor never
 * started, so no job is lost or run twice; a worker that reached
 * `maxTasksPerChild` is retired the same way. Jobs of functions that have
 * proved tiny go to a worker several at a time, which saves a message round
 * trip per job (see {@link TaskTimings}).
 *
 * @example
 * ```ts
 * const runner = new LocalRunner(options, () => new ThreadHost(tasks, options, timings), (fn) => void tasks.nameOf(fn), timings);
 * runner.submit(job);
 * runner.close();
 * await runner.ended();
 * ```
 */
export class LocalRunner implements Runner {
  #queue = new PeekableQueue<Job | typeof STOP>();
  #slots: Slot[] = [];
  #serving: Promise<void>[] = [];
  #state: "running" | "closed" | "terminated" = "running";
  #terminatedWith: Error | undefined;
  #options: RunnerOptions;
  #makeHost: () => Host;
  #check: (fn: TaskFunction) => void;
  #timings: TaskTimings;

  /**
   * @param options - the pool's size, initializer and limits.
   * @param makeHost - makes a fresh, unstarted host.
   * @param check - throws for a function these hosts cannot run.
   * @param timings - how long each function's jobs take, which the hosts
   *   record; only jobs of tiny functions are batched.
   * @example
   * ```ts
   * new LocalRunner(options, () => new ProcessHost(tasks, options, timings), (fn) => void tasks.nameOf(fn), timings);
   * ```
   */
  constructor(options: RunnerOptions, makeHost: () => Host, check: (fn: TaskFunction) => void, timings: TaskTimings) {
    this.#options = options;
    this.#makeHost = makeHost;
    this.#check = check;
    this.#timings = timings;
    for (let i = 0; i < options.size; i++) {
      const slot: Slot = { host: undefined, holding: [] };
      this.#slots.push(slot);
      this.#serving.push(this.#serve(slot));
    }
  }

  /** Refuses what the hosts cannot run. */
  check(fn: TaskFunction): void {
    this.#check(fn);
  }

  /** Queues a job for the first free slot. */
  submit(job: Job): void {
    this.#queue.putNowait(job);
  }

  /** Lets the queued jobs finish, then stops every host. */
  close(): void {
    if (this.#state !== "running") return;
    this.#state = "closed";
    // One STOP per slot, behind the queued jobs: each slot stops when it takes one.
    for (let i = 0; i < this.#options.size; i++) this.#queue.putNowait(STOP);
  }

  /** Settles every unfinished job with `error` and kills every host. */
  async terminate(error: Error): Promise<void> {
    if (this.#isTerminated()) return;
    this.#state = "terminated";
    this.#terminatedWith = error;
    while (!this.#queue.empty()) {
      const job = this.#queue.getNowait();
      if (job !== STOP) job.done({ ok: false, error });
    }
    for (const slot of this.#slots) for (const job of slot.holding) job.done({ ok: false, error });
    for (let i = 0; i < this.#options.size; i++) this.#queue.putNowait(STOP);
    await Promise.all(this.#slots.map((slot) => slot.host?.kill()));
  }

  /** Resolves once every slot has ended its host. */
  async ended(): Promise<void> {
    await Promise.all(this.#serving);
  }

  // A method, not a field read, because the state changes across awaits.
  #isTerminated(): boolean {
    return this.#state === "terminated";
  }

  /** Starts a host for the slot, or reports the pool broken if it cannot start. */
  async #startHost(slot: Slot): Promise<Host | undefined> {
    const host = this.#makeHost();
    slot.host = host;
    try {
      await host.start();
    } catch (error) {
      slot.host = undefined;
      await host.kill();
      if (!this.#isTerminated()) this.#options.broken(error);
      return undefined;
    }
    return host;
  }

  /**
   * Takes the next job and, while the waiting jobs are of tiny functions, more
   * of them: up to the host's limit and a fair share of what is waiting.
   */
  async #nextBatch(host: Host, room: number): Promise<Job[] | typeof STOP> {
    const first = this.#queue.empty() ? await this.#queue.get() : this.#queue.getNowait();
    if (first === STOP) return STOP;
    const batch = [first];
    if (!this.#timings.isTiny(first.fn)) return batch;
    const fairShare = Math.ceil((this.#queue.qsize() + 1) / this.#options.size);
    const limit = Math.min(room, host.maxBatch, fairShare);
    for (let next = this.#queue.peek(); batch.length < limit; next = this.#queue.peek()) {
      // A slow job starts a batch of its own, and a STOP is left for a slot's next turn.
      if (next === undefined || next === STOP || !this.#timings.isTiny(next.fn)) break;
      batch.push(this.#queue.getNowait() as Job);
    }
    return batch;
  }

  /** One slot: a host that takes batches of jobs until it takes a STOP. */
  async #serve(slot: Slot): Promise<void> {
    let host = await this.#startHost(slot);
    let jobsRun = 0;
    let diedIdle = 0;
    const max = this.#options.maxTasksPerChild ?? Number.POSITIVE_INFINITY;
    while (host && !this.#isTerminated()) {
      if (slot.holding.length === 0) {
        const batch = await this.#nextBatch(host, max - jobsRun);
        if (batch === STOP) break;
        if (this.#isTerminated()) {
          // Taken from the queue just before terminate() looked at it: on its
          // way to this slot, neither queued nor held, so settle it here.
          for (const job of batch) job.done({ ok: false, error: this.#terminatedWith });
          break;
        }
        slot.holding = batch;
      }
      const started = slot.holding.length;
      slot.holding = await host.run(slot.holding);
      const ran = started - slot.holding.length;
      jobsRun += ran;
      if (!host.alive || jobsRun >= max) {
        // A worker that died or did its share is replaced by a fresh one,
        // which first runs what its predecessor never started.
        if (host.alive) await host.stop();
        if (this.#isTerminated()) return;
        // Workers that keep dying before they take any work would be replaced forever.
        diedIdle = ran === 0 ? diedIdle + 1 : 0;
        if (diedIdle >= MAX_IDLE_DEATHS) {
          this.#options.broken(new Error(`${MAX_IDLE_DEATHS} workers in a row died before they could take any work`));
          return;
        }
        host = await this.#startHost(slot);
        jobsRun = 0;
      }
    }
    if (host) await (this.#isTerminated() ? host.kill() : host.stop());
  }
}
