/**
 * Exercise 04.2 · transfer instead of copy
 *
 * Everything a pool sends to a worker thread is copied (structured clone),
 * and so is everything it sends back. For an 8 MB Float64Array that is a few
 * milliseconds each way, and twice the memory while both copies live.
 * `postMessage(message, transferList)` can instead *move* an ArrayBuffer: the
 * receiver gets the memory, and the sender's view is left empty
 * (`byteLength === 0`). The kit's Pool never passes a transfer list; piscina
 * has `Piscina.move(value)` for it. Give the kit the same, without touching
 * its code: a new kind of worker host, built on the kit's `RemoteHost`, which
 * already does everything else (the conversation, batches, crashes,
 * replacements).
 *
 * Build:
 * - `move(value)`: marks an ArrayBuffer, or a typed array's or DataView's
 *   buffer, to be transferred the next time it is sent; returns `value`, so
 *   `pool.apply(sum, [move(data)])` reads naturally. Keep the marks in a
 *   `WeakSet`. Anything else is a TypeError; so is a view on a
 *   SharedArrayBuffer (it is shared already, and cannot be transferred).
 * - `transferablesIn(message)`: the marked buffers inside a message — in
 *   arrays, plain objects, typed arrays and DataViews, at any depth — each
 *   once, in the order found, without looping on a cycle. It is the transfer
 *   list for `postMessage(message, list)`.
 * - `MovingThreadHost.send(message)`: post the message to the worker with its
 *   transfer list. (The stub copies.)
 * - In `transfer-entry.ts`, the worker's side: post each reply with its
 *   transfer list too, so that a task can return `move(result)`.
 * - `compareCopyAndMove(pool, echo, echoMoved, { floats, runs })`: the median
 *   round trip of a `floats`-long Float64Array through the pool, copied
 *   (`echo`) and moved both ways (`move` it there, `echoMoved` moves it
 *   back), `runs` times each after one warm-up. Each round trip hands back
 *   the array to send next: a moved one is no longer usable where it was.
 *   `floats` and `runs` are whole numbers ≥ 1.
 *
 * `movingPool(size, { tasks })` is given: the runner is registered under
 * the name `MOVING_THREADS` with the kit's `LocalRunner`, so the pool
 * schedules, batches and replaces workers exactly as `runIn: "threads"` does.
 *
 * The trade-off: a moved buffer is gone from the sender. Move what you will
 * not read again; copy what you still need, or share it (exercise 04.1).
 *
 * Run `npm run exercise -- 04.2` to test, `npm run hint -- 04.2` if stuck.
 */
import { Worker } from "node:worker_threads";
import {
  LocalRunner,
  Pool,
  registerRunner,
  RemoteHost,
  TaskModule,
  TaskTimings,
  workerExecArgv,
  type FromWorker,
  type PoolOptions,
  type RunIn,
  type TaskFunction,
  type ToWorker,
} from "pools-by-hand";

/**
 * Marks `value`'s memory to be transferred, not copied, the next time it is
 * sent to or from a worker of a {@link movingPool}; returns `value`, so a call
 * can wrap an argument in place: `pool.apply(sum, [move(data)])`. Like
 * piscina's `Piscina.move()`.
 */
export function move<T extends ArrayBuffer | ArrayBufferView>(value: T): T {
  throw new Error("TODO(04.2): move(): check the value, mark its ArrayBuffer in a WeakSet, return the value");
}

/**
 * The buffers marked with {@link move} inside `message` — in arrays, plain
 * objects, typed arrays and DataViews, at any depth — each once, in the order
 * found: the transfer list for `postMessage(message, list)`.
 */
export function transferablesIn(message: unknown): ArrayBuffer[] {
  throw new Error("TODO(04.2): transferablesIn(): walk the message, collect the marked buffers once each");
}

const ENTRY = new URL("./transfer-entry.js", import.meta.url);

/** The tasks module of this exercise's pools. */
export const BUFFER_TASKS = new URL("./buffer-tasks.js", import.meta.url);

/**
 * A pool worker on a worker thread that moves marked buffers instead of
 * copying them. The kit's {@link RemoteHost} does the rest: the
 * conversation with the worker, batches, crashes and replacements.
 */
export class MovingThreadHost extends RemoteHost {
  protected readonly what = "worker thread";
  #worker: Worker | undefined;

  protected spawn(): void {
    const worker = new Worker(ENTRY, { execArgv: workerExecArgv() });
    let error: unknown;
    // A worker's messages posted before it ends are all delivered before 'exit'.
    worker.on("message", (message: FromWorker) => this.received(message));
    worker.on("error", (thrown) => (error = thrown));
    worker.on("exit", (exitCode) => this.died(error === undefined ? { exitCode, signal: null } : { exitCode, signal: null, cause: error }));
    this.#worker = worker;
  }

  protected send(message: ToWorker): void {
    // TODO(04.2): this copies everything; pass the marked buffers as the transfer list.
    this.#worker?.postMessage(message);
  }

  protected forceEnd(): void {
    void this.#worker?.terminate();
  }
}

/** The `runIn` name under which this module registers its runner. */
export const MOVING_THREADS = "moving-threads";

registerRunner(MOVING_THREADS, (options) => {
  const tasks = new TaskModule(options.extra.tasks);
  if (options.initializer) tasks.nameOf(options.initializer); // refused now, not when a worker starts
  const timings = new TaskTimings();
  const check = (fn: TaskFunction) => void tasks.nameOf(fn);
  return new LocalRunner(options, () => new MovingThreadHost(tasks, options, timings), check, timings);
});

/** A {@link Pool} on worker threads whose arguments and results marked with {@link move} are transferred. */
export function movingPool(size: number, options: Omit<PoolOptions, "runIn">): Pool {
  return new Pool(size, { ...options, runIn: MOVING_THREADS as RunIn });
}

/** Round-trip times of one buffer, copied and moved. */
export interface CopyAndMove {
  /** Median milliseconds of `apply(echo, [data])`: copied there and back. */
  copyMs: number;
  /** Median milliseconds of `apply(echoMoved, [move(data)])`: moved there and back. */
  moveMs: number;
}

/**
 * Measures a round trip of a `floats`-long Float64Array through `pool`,
 * copied and then moved, `runs` times each after one warm-up; `echo` copies
 * its argument back, `echoMoved` moves it back.
 */
export async function compareCopyAndMove(
  pool: Pool,
  echo: (data: Float64Array) => Float64Array,
  echoMoved: (data: Float64Array) => Float64Array,
  { floats = 1_000_000, runs = 5 }: { floats?: number; runs?: number } = {},
): Promise<CopyAndMove> {
  throw new Error("TODO(04.2): compareCopyAndMove(): time round trips through the pool, copied and moved");
}
