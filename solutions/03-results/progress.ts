/**
 * Exercise 03.3 · a progress display driven by `imapUnordered` — a reference
 * solution.
 *
 * `imapUnordered` hands out each value as soon as its item finishes, so the
 * count of finished items is always current; tagging each item with its index
 * puts the values back in input order at the end.
 */
import type { Pool } from "pools-by-hand";

/** How far a run has come. */
export interface Progress {
  /** Items finished so far. */
  done: number;
  /** Items in all. */
  total: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

/** Options of {@link mapWithProgress}. */
export interface ProgressOptions {
  /** Items per job, as in `imapUnordered`; 1 by default. */
  chunksize?: number;
  /** The clock, in milliseconds; `performance.now()` by default. */
  now?: () => number;
}

function checkCount(name: string, value: unknown, min: number): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be a whole number >= ${min}, got ${value}`);
  return value;
}

/** `3.7s` under a minute, `6m39s` from one minute up. */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}

/** One line: `[#######.............]   7/20   35%  3.5/s  ETA 3.7s`. */
export function formatProgress({ done, total, elapsedMs }: Progress, width = 20): string {
  checkCount("total", total, 0);
  checkCount("done", done, 0);
  if (done > total) throw new RangeError(`done (${done}) cannot exceed total (${total})`);
  if (typeof elapsedMs !== "number") throw new TypeError(`elapsedMs must be a number, got ${typeof elapsedMs}`);
  if (!Number.isFinite(elapsedMs) || elapsedMs < 0) throw new RangeError(`elapsedMs must be a finite number >= 0, got ${elapsedMs}`);
  checkCount("width", width, 1);
  const filled = total === 0 ? width : Math.floor((done * width) / total);
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  const percent = `${String(total === 0 ? 100 : Math.floor((done * 100) / total)).padStart(3)}%`;
  const rate = done > 0 && elapsedMs > 0 ? done / (elapsedMs / 1000) : undefined;
  const speed = rate === undefined ? "-/s" : `${rate.toFixed(1)}/s`;
  const tail =
    done === total ? `done in ${duration(elapsedMs / 1000)}` : rate === undefined ? "ETA ?" : `ETA ${duration((total - done) / rate)}`;
  return [bar, count, percent, speed, tail].join("  ");
}

/**
 * `pool.map(fn, items)` that calls `onProgress` once at the start and once as
 * each item finishes, in the order they finish; resolves to the values in
 * input order, or rejects with the first error to arrive.
 */
export function mapWithProgress<T, R>(
  pool: Pool,
  fn: (item: T) => R,
  items: Iterable<T>,
  onProgress: (progress: Progress) => void,
  { chunksize = 1, now = () => performance.now() }: ProgressOptions = {},
): Promise<Awaited<R>[]> {
  if (typeof fn !== "function") throw new TypeError(`fn must be a function, got ${typeof fn}`);
  if (typeof onProgress !== "function") throw new TypeError(`onProgress must be a function, got ${typeof onProgress}`);
  const tagged = [...items].map((item, index): [number, T] => [index, item]);
  const run = async ([index, item]: [number, T]): Promise<[number, Awaited<R>]> => [index, await fn(item)];
  const stream = pool.imapUnordered(run, tagged, chunksize);
  const started = now();
  const values = new Array<Awaited<R>>(tagged.length);
  let done = 0;
  const report = () => onProgress({ done, total: tagged.length, elapsedMs: Math.max(0, now() - started) });
  return (async () => {
    report();
    for await (const [index, value] of stream) {
      values[index] = value;
      done += 1;
      report();
    }
    return values;
  })();
}

/**
 * An `onProgress` that redraws one terminal line: `\r` and the line on each
 * report, and a newline after the last.
 */
export function progressLine(out: { write(text: string): unknown }, width = 20): (progress: Progress) => void {
  checkCount("width", width, 1);
  return (progress) => {
    out.write(`\r${formatProgress(progress, width)}`);
    if (progress.done === progress.total) out.write("\n");
  };
}
