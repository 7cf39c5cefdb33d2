/**
 * Exercise 04.1's tasks, run in the pool's worker threads (see
 * shared-counter.ts for the whole exercise). Each receives the counter's
 * `SharedArrayBuffer`: not a copy, the same memory the main thread reads.
 * View it as an `Int32Array`; the counter is element 0.
 */

/** How many numbers `sumCounting` adds before it reports them. */
export const PROGRESS_STEP = 1 << 16;

/** Adds 1 to the counter `times` times with `++`: a read, then a write. */
export function addPlain(buffer: SharedArrayBuffer, times: number): void {
  throw new Error("TODO(04.1): addPlain(): counter[0]++, `times` times");
}

/** Adds 1 to the counter `times` times with `Atomics.add`: one indivisible step. */
export function addAtomic(buffer: SharedArrayBuffer, times: number): void {
  throw new Error("TODO(04.1): addAtomic(): Atomics.add(counter, 0, 1), `times` times");
}

/**
 * Seed 000's task, reporting as it goes: the sum of `start..end`, adding to
 * the counter how many numbers it has summed, every `PROGRESS_STEP` numbers
 * and once more at the end.
 */
export function sumCounting(buffer: SharedArrayBuffer, start: number, end: number): number {
  throw new Error("TODO(04.1): sumCounting(): sum start..end, Atomics.add the count every PROGRESS_STEP numbers");
}
