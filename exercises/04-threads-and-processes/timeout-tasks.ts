/**
 * Exercise 04.3's tasks, loaded by every worker of a `TimeoutPool`.
 */
import { threadId } from "node:worker_threads";

/** Waits `ms` and returns it: a task that finishes. */
export async function wait(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

/** Never returns, and never yields: only ending its worker stops it. */
export function spin(): never {
  for (;;) {
    // stuck
  }
}

/** Which worker ran the task. */
export function whoAmI(): string {
  return `${process.pid}/${threadId}`;
}

/** Fails with its own error. */
export function fail(message: string): never {
  throw new RangeError(message);
}
