/**
 * Exercise 04.1's tasks, run in the pool's worker threads. Each receives the
 * counter's `SharedArrayBuffer`: not a copy, the same memory the main thread
 * reads.
 */

/** How many numbers `sumCounting` adds before it reports them. */
export const PROGRESS_STEP = 1 << 16;

/** Adds 1 to the counter `times` times with `++`: a read, then a write. */
export function addPlain(buffer: SharedArrayBuffer, times: number): void {
  const counter = new Int32Array(buffer);
  for (let i = 0; i < times; i++) counter[0]!++;
}

/** Adds 1 to the counter `times` times with `Atomics.add`: one indivisible step. */
export function addAtomic(buffer: SharedArrayBuffer, times: number): void {
  const counter = new Int32Array(buffer);
  for (let i = 0; i < times; i++) Atomics.add(counter, 0, 1);
}

/**
 * Seed 000's task, reporting as it goes: the sum of `start..end`, adding to
 * the counter how many numbers it has summed, every `PROGRESS_STEP` numbers
 * and once more at the end.
 */
export function sumCounting(buffer: SharedArrayBuffer, start: number, end: number): number {
  const counter = new Int32Array(buffer);
  let sum = 0;
  let unreported = 0;
  for (let i = start; i <= end; i++) {
    sum += i;
    if (++unreported === PROGRESS_STEP) {
      Atomics.add(counter, 0, unreported);
      unreported = 0;
    }
  }
  Atomics.add(counter, 0, unreported);
  return sum;
}
