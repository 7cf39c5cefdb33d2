/**
 * Exercise 06.3 · choosing a pool size from a measured curve (solution). See
 * the stub in exercises/06-built-in-pools/ for the task.
 */
import { checkFunction, checkInteger, type Pool } from "pools-by-hand";

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

/** The middle of a few measurements of one size, robust to one spoiled run. */
function middle(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const half = sorted.length / 2;
  return Number.isInteger(half) ? (sorted[half - 1] + sorted[half]) / 2 : sorted[Math.floor(half)];
}

/** The knee of a throughput-against-size curve. */
export function chooseSize(points: Iterable<CurvePoint>, options: { tolerance?: number } = {}): SizeChoice {
  if (typeof (points as Partial<Iterable<CurvePoint>> | null)?.[Symbol.iterator] !== "function") throw new TypeError("points must be iterable");
  const { tolerance = 0.1 } = options;
  if (typeof tolerance !== "number" || !(tolerance >= 0 && tolerance < 1)) throw new RangeError(`tolerance must be in [0, 1), got ${String(tolerance)}`);
  const bySize = new Map<number, number[]>();
  for (const { size, throughput } of points) {
    checkInteger("size", size, 1);
    if (typeof throughput !== "number" || !Number.isFinite(throughput) || throughput < 0) {
      throw new RangeError(`throughput must be a finite number ≥ 0, got ${String(throughput)} for size ${size}`);
    }
    bySize.set(size, [...(bySize.get(size) ?? []), throughput]);
  }
  if (bySize.size === 0) throw new RangeError("no points: measure at least one size");
  const curve = [...bySize].map(([size, values]) => ({ size, throughput: middle(values) })).sort((a, b) => a.size - b.size);
  // Strictly greater, so that on a tie the smaller size stays the best.
  const best = curve.reduce((top, point) => (point.throughput > top.throughput ? point : top));
  const knee = curve.find((point) => point.throughput >= (1 - tolerance) * best.throughput) as CurvePoint;
  return { size: knee.size, throughput: knee.throughput, best, curve };
}

/** Throughput against pool size, measured on the kit. */
export function measureCurve(options: CurveOptions): Promise<CurvePoint[]> {
  const { sizes, open, work, repetitions = 3, now = () => performance.now() } = options;
  if (!Array.isArray(sizes) || sizes.length === 0) throw new RangeError("sizes must list at least one pool size");
  sizes.forEach((size) => checkInteger("size", size, 1));
  if (new Set(sizes).size !== sizes.length) throw new RangeError(`sizes must not repeat, got ${sizes.join(", ")}`);
  checkFunction("open", open);
  checkFunction("work", work);
  checkFunction("now", now);
  checkInteger("repetitions", repetitions, 1);
  return (async () => {
    const points: CurvePoint[] = [];
    for (let round = 0; round < repetitions; round++) {
      const order = round % 2 === 0 ? sizes : [...sizes].reverse();
      for (const size of order) points.push({ size, throughput: await measureOne(open(size), work, now) });
    }
    return points;
  })();
}

/** Warms `pool` up with one run of `work`, times a second run, and terminates it whatever happens. */
async function measureOne(pool: Pool, work: (pool: Pool) => Promise<number>, now: () => number): Promise<number> {
  try {
    await work(pool);
    const started = now();
    const items = await work(pool);
    const ms = now() - started;
    if (!(ms > 0)) throw new RangeError(`the work took no measurable time on ${pool.size} workers; give it more items`);
    if (!(items > 0)) throw new RangeError(`the work did ${String(items)} items on ${pool.size} workers; it must do at least one`);
    return (items / ms) * 1000;
  } finally {
    await pool.terminate();
  }
}
