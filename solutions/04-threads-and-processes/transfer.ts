/**
 * Exercise 04.2 · transfer instead of copy (solution)
 */
import { Worker } from "node:worker_threads";
import {
  checkInteger,
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

const marked = new WeakSet<ArrayBuffer>();

/** The buffer behind a view, or the buffer itself. */
function bufferOf(value: ArrayBuffer | ArrayBufferView): ArrayBufferLike {
  return ArrayBuffer.isView(value) ? value.buffer : value;
}

/**
 * Marks `value`'s memory to be transferred, not copied, the next time it is
 * sent to or from a worker of a {@link movingPool}; returns `value`, so a call
 * can wrap an argument in place: `pool.apply(sum, [move(data)])`. Like
 * piscina's `Piscina.move()`.
 */
export function move<T extends ArrayBuffer | ArrayBufferView>(value: T): T {
  if (!(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)) {
    throw new TypeError("move() takes an ArrayBuffer or a view of one (a typed array, a DataView)");
  }
  const buffer = bufferOf(value);
  if (!(buffer instanceof ArrayBuffer)) throw new TypeError("move() cannot transfer a SharedArrayBuffer: it is shared already, never copied");
  marked.add(buffer);
  return value;
}

/**
 * The buffers marked with {@link move} inside `message` — in arrays, plain
 * objects, typed arrays and DataViews, at any depth — each once, in the order
 * found: the transfer list for `postMessage(message, list)`.
 */
export function transferablesIn(message: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const buffer = bufferOf(value);
      if (buffer instanceof ArrayBuffer && marked.has(buffer)) found.add(buffer);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(message);
  return [...found];
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
    this.#worker?.postMessage(message, transferablesIn(message));
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

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
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
  checkInteger("floats", floats, 1);
  checkInteger("runs", runs, 1);
  let data: Float64Array = new Float64Array(floats).fill(1);
  const time = async (send: () => Promise<Float64Array>): Promise<number> => {
    const times: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      data = await send();
      if (run > 0) times.push(performance.now() - started);
    }
    return median(times);
  };
  const copyMs = await time(() => pool.apply(echo, [data]));
  const moveMs = await time(() => pool.apply(echoMoved, [move(data)]));
  return { copyMs, moveMs };
}
