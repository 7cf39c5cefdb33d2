/**
 * The results a pool hands out, one class per kind of submission, as Python's
 * `pool.py` has `ApplyResult` and `MapResult`: each receives the outcomes of
 * its jobs and settles itself. They live here, not in the public API: callers
 * only ever see an {@link AsyncResult}.
 */
import { AsyncResult, type Outcome, type ResultCallbacks } from "./async-result.js";
import type { Job, TaskFunction } from "./runner.js";

/** Told when a job of a result is done. */
export interface JobConsumer {
  jobDone(index: number, outcome: Outcome<unknown[]>): void;
}

/** Counts the results a pool has handed out and not yet seen ready, for `join()`. */
export interface ReadyCounter {
  add(): void;
  ready(): void;
}

/**
 * A job as the pool hands it to a runner. The `settled` flag is the single
 * gate every outcome passes: the first wins, so a task settles exactly once
 * even when a crash report and a termination race.
 */
export class PoolJob implements Job {
  #settled = false;

  constructor(
    readonly fn: TaskFunction,
    readonly items: readonly unknown[],
    readonly star: boolean,
    readonly consumer: JobConsumer,
    readonly index: number,
  ) {}

  done(outcome: Outcome<unknown[]>): void {
    if (this.#settled) return;
    this.#settled = true;
    this.consumer.jobDone(this.index, outcome);
  }
}

/** The result of one `apply`/`applyAsync`: one job of one call. */
export class ApplyResult<R> extends AsyncResult<R> implements JobConsumer {
  #counter: ReadyCounter;

  constructor(callbacks: ResultCallbacks<R>, counter: ReadyCounter) {
    super(undefined, callbacks);
    this.#counter = counter;
    counter.add();
  }

  jobDone(_index: number, outcome: Outcome<unknown[]>): void {
    if (outcome.ok) this.settleValue(outcome.value[0] as R);
    else this.settle(outcome);
  }

  protected override becameReady(): void {
    this.#counter.ready();
  }
}

/**
 * The result of a `map`/`starmap`: one job per chunk, the values put back in
 * input order. Ready only once every chunk is done, even after a failure, and
 * then failed with the first error to arrive (python-semantics item 58).
 */
export class MapResult<R> extends AsyncResult<R[]> implements JobConsumer {
  #counter: ReadyCounter;
  #values: R[];
  #chunksize: number;
  #left: number;
  #firstError: { error: unknown } | undefined;

  constructor(length: number, chunks: number, chunksize: number, callbacks: ResultCallbacks<R[]>, counter: ReadyCounter) {
    super(undefined, callbacks);
    this.#counter = counter;
    this.#values = new Array<R>(length);
    this.#chunksize = chunksize;
    this.#left = chunks;
    counter.add();
  }

  jobDone(index: number, outcome: Outcome<unknown[]>): void {
    if (outcome.ok) {
      const start = index * this.#chunksize;
      for (let i = 0; i < outcome.value.length; i++) this.#values[start + i] = outcome.value[i] as R;
    } else this.#firstError ??= { error: outcome.error };
    this.#left -= 1;
    if (this.#left === 0) this.settle(this.#firstError ? { ok: false, error: this.#firstError.error } : { ok: true, value: this.#values });
  }

  /**
   * Settles a map that has no job to wait for: an empty input, or one whose
   * reading failed. On the next microtask, never inside the call that made
   * it, so a callback can already use the result that call returned.
   */
  settleSoon(outcome: Outcome<R[]>): void {
    queueMicrotask(() => this.settle(outcome));
  }

  protected override becameReady(): void {
    this.#counter.ready();
  }
}
