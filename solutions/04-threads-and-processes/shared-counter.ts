/**
 * Exercise 04.1 · a progress counter in shared memory (solution)
 */
import { checkFunction, checkInteger, type Pool } from "pools-by-hand";
import { sumCounting } from "./counter-tasks.js";

/** The tasks module for a pool that runs this exercise's tasks. */
export const COUNTER_TASKS = new URL("./counter-tasks.js", import.meta.url);

const INT32_MAX = 2 ** 31 - 1;
/** The largest n whose sum 1..n stays below 2^53, where plain numbers stop being exact. */
const LARGEST_EXACT_N = 2 ** 27 - 1;

/** A whole number in shared memory: worker threads add to it, any thread reads it. */
export class SharedCounter {
  /** The counter's memory; send it to tasks, which see the same bytes. */
  readonly buffer: SharedArrayBuffer;
  #view: Int32Array;

  constructor(initial = 0) {
    checkInteger("initial", initial, 0);
    if (initial > INT32_MAX) throw new RangeError(`initial must fit in 32 bits (at most ${INT32_MAX}), got ${initial}`);
    this.buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.#view = new Int32Array(this.buffer);
    Atomics.store(this.#view, 0, initial);
  }

  /** The counter now, as every thread's writes so far have left it. */
  get value(): number {
    return Atomics.load(this.#view, 0);
  }
}

/** What {@link countInParallel} runs: a task that adds `times` to the counter in `buffer`. */
export type CountingTask = (buffer: SharedArrayBuffer, times: number) => void;

/**
 * Runs `task(counter.buffer, times)` as `jobs` separate jobs on `pool`, as
 * many at once as the pool has workers, and resolves to the counter's value
 * once all have finished.
 */
export async function countInParallel(pool: Pool, task: CountingTask, counter: SharedCounter, { jobs, times }: { jobs: number; times: number }): Promise<number> {
  checkInteger("jobs", jobs, 1);
  checkInteger("times", times, 0);
  // Chunk size 1: one job per call, so every worker can take one.
  await pool.starmap(task, Array.from({ length: jobs }, (): [SharedArrayBuffer, number] => [counter.buffer, times]), 1);
  return counter.value;
}

/** How far {@link sumWithProgress} has come: numbers summed so far, out of `total`. */
export interface SumProgress {
  done: number;
  total: number;
}

/** Options of {@link sumWithProgress}. */
export interface SumOptions {
  /** The ranges the sum is cut into, one job each; 10 by default, as in seed 000. */
  chunks?: number;
  /** How often the main thread reads the counter; 10 ms by default. */
  everyMs?: number;
  /** Told each time the counter has moved, and once at the end with `done === total`. */
  onProgress: (progress: SumProgress) => void;
}

/**
 * Seed 000's sum of 1..n on `pool` (whose tasks module is
 * {@link COUNTER_TASKS}), reporting progress while the chunks run: each task
 * adds to a shared counter, and the main thread, free while the workers
 * compute, reads it every `everyMs`.
 */
export async function sumWithProgress(pool: Pool, n: number, { chunks = 10, everyMs = 10, onProgress }: SumOptions): Promise<number> {
  checkInteger("n", n, 1);
  if (n > LARGEST_EXACT_N) throw new RangeError(`n must be at most 2^27 - 1 = ${LARGEST_EXACT_N}, so that the sum stays below 2^53, got ${n}`);
  checkInteger("chunks", chunks, 1);
  checkInteger("everyMs", everyMs, 1);
  checkFunction("onProgress", onProgress);
  const counter = new SharedCounter();
  const ranges = Array.from({ length: chunks }, (_, i): [SharedArrayBuffer, number, number] => [
    counter.buffer,
    Math.floor((i * n) / chunks) + 1,
    Math.floor(((i + 1) * n) / chunks),
  ]);
  let reported = -1;
  const report = () => {
    const done = counter.value;
    if (done === reported) return;
    reported = done;
    onProgress({ done, total: n });
  };
  // An onProgress that throws inside the timer would crash the process;
  // keep its error and fail the sum with it instead.
  let failed: { error: unknown } | undefined;
  const timer = setInterval(() => {
    try {
      report();
    } catch (error) {
      failed = { error };
      clearInterval(timer);
    }
  }, everyMs);
  try {
    const sums = await pool.starmap(sumCounting, ranges, 1);
    if (failed) throw failed.error;
    report();
    return sums.reduce((total, sum) => total + sum, 0);
  } finally {
    clearInterval(timer);
  }
}
