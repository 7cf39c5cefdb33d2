/**
 * The tasks of chapter 04's demo. The demo's pools load this module in every
 * worker thread and child process and find each task here by its export name;
 * the demo's serial run calls the same functions directly.
 */
import { threadId } from "node:worker_threads";

/**
 * Seed 000's task: the sum of the whole numbers from `start` to `end`. With
 * plain numbers it is exact while every partial sum stays below 2^53, which
 * holds for any end up to about 1.34e8 (n(n+1)/2 < 2^53).
 */
export function sumRange(start: number, end: number): number {
  let sum = 0;
  for (let i = start; i <= end; i++) sum += i;
  return sum;
}

/** An IO-bound task: it only waits (a timer stands for a socket or a disk). */
export async function waitFor(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

/** Does nothing: a round trip to the worker and back. */
export function noop(): void {}

/** Sends its argument straight back: what crossing costs, with no work. */
export function echo<T>(value: T): T {
  return value;
}

/** Which worker ran the task: process id and thread id. */
export function whoAmI(): string {
  return `pid ${process.pid}, thread ${threadId}`;
}

/** {@link whoAmI} after a short wait, so that one worker cannot answer a whole round of these alone. */
export async function whoAmIAfter(ms: number): Promise<string> {
  await waitFor(ms);
  return whoAmI();
}

/** Kills the worker under the task, as a bug or a native crash would. */
export function exitWith(code: number): never {
  process.exit(code);
}
