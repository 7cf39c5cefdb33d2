/**
 * Exercise 06.3 · choosing a pool size from a measured curve
 *
 * How many workers? Seed 004 gives the CPU count for a process pool and five
 * times that for a thread pool (Python 3.8 made it `min(32, cores + 4)`,
 * python-semantics item 108); piscina takes 1.5 × the cores, libuv 4 on any
 * machine. Rules of thumb, because the right answer depends on the work:
 * CPU-bound work stops gaining at the number of cores, IO-bound work keeps
 * gaining until whatever it waits on is saturated. Measure instead: run the
 * same job on pools of several sizes, plot throughput against size, and take
 * the knee — the smallest size that gets nearly all of the best throughput.
 * Every worker beyond it costs memory and start-up and buys almost nothing.
 *
 * Build:
 * - `chooseSize(points, { tolerance = 0.1 })`, a pure function. `points` are
 *   measurements `{ size, throughput }`, in any order, several per size if
 *   the run was repeated. It returns `{ size, throughput, best, curve }`:
 *   `curve` has one point per size, the median of that size's throughputs
 *   (the mean of the two middle ones for an even count), sorted by size;
 *   `best` is the point of `curve` with the highest throughput (the smaller
 *   size on a tie); `size` and `throughput` are the knee: the smallest size
 *   whose throughput is at least `(1 - tolerance) × best.throughput`. With
 *   `tolerance` 0 the knee is `best`. Refused with a RangeError: no points, a
 *   size that is not a whole number ≥ 1, a throughput that is negative or not
 *   finite, a `tolerance` outside [0, 1); with a TypeError: points that are
 *   not iterable.
 * - `measureCurve({ sizes, open, work, repetitions = 3, now })`, which makes
 *   those points on the kit. For each round and each size, `open(size)`
 *   creates a pool, `work(pool)` runs once untimed (the workers start and
 *   warm up), then once more between two readings of `now()`; it resolves to
 *   the number of items it did, and the point is `{ size, throughput: items
 *   per second }`. The pool is then terminated, even when `work` fails (which
 *   rejects the whole measurement with that error). Rounds alternate their
 *   direction — sizes in the order given, then reversed, then in order… — so a
 *   machine that gets busier during the run does not always hurt the same
 *   sizes. It resolves to the points in the order measured. A run whose work
 *   took no measurable time, or did no items, is a RangeError (give it more
 *   work). Bad options throw at the call: `sizes` empty, with a repeat or a
 *   size below 1 (RangeError); `open`, `work` or `now` not functions
 *   (TypeError); `repetitions` below 1 (RangeError).
 *
 * Then run it for real and read your curves: `sumRange` from
 * tools/bench/tasks.ts on `runIn: "threads"` for sizes 1–6 (CPU-bound: the
 * knee should be at the core count, `os.availableParallelism()`), and a task
 * that waits 10 ms on the event-loop pool for sizes 1–64 (IO-bound: it keeps
 * climbing). Chapter 06 shows both curves as measured on the course's
 * machine.
 *
 * Run `npm run exercise -- 06.3` to test, `npm run hint -- 06.3` if stuck.
 */
import type { Pool } from "pools-by-hand";

/** One measurement: a pool size and the throughput it reached, in items per second. */
export interface CurvePoint {
  size: number;
  throughput: number;
}

/** What {@link chooseSize} decided, and from what. */
export interface SizeChoice {
  /** The knee: the smallest size within `tolerance` of the best throughput. */
  size: number;
  /** The knee's (median) throughput. */
  throughput: number;
  /** The size with the highest median throughput. */
  best: CurvePoint;
  /** One point per size, the median of its measurements, by size. */
  curve: CurvePoint[];
}

/** Options of {@link measureCurve}. */
export interface CurveOptions {
  /** The pool sizes to try. */
  sizes: readonly number[];
  /** Creates a pool of `size` workers. */
  open: (size: number) => Pool;
  /** Runs the same job on `pool`; resolves to the number of items it did. */
  work: (pool: Pool) => Promise<number>;
  /** Rounds over all the sizes; 3 by default. */
  repetitions?: number;
  /** The clock, in milliseconds; `performance.now` by default. */
  now?: () => number;
}

/** The knee of a throughput-against-size curve. */
export function chooseSize(points: Iterable<CurvePoint>, options: { tolerance?: number } = {}): SizeChoice {
  throw new Error("TODO(06.3): chooseSize(): the median per size, the best, then the smallest size near the best");
}

/** Throughput against pool size, measured on the kit. */
export function measureCurve(options: CurveOptions): Promise<CurvePoint[]> {
  throw new Error("TODO(06.3): measureCurve(): for each round and size, open, warm up, time the work, terminate");
}
