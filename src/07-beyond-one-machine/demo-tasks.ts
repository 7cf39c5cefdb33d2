/** The demo's task module: each worker process loads its own copy. */
import { appendFileSync } from "node:fs";

/**
 * Squares `i` in `ms` milliseconds. Each run is written to `log` first
 * (synchronously, so a SIGKILL cannot lose it) with the process and the time,
 * so the demo can tell which tasks ran twice, and when.
 */
export async function work(i: number, ms: number, log: string): Promise<{ i: number; square: number; pid: number }> {
  appendFileSync(log, `${process.pid} ${i} ${Date.now()}\n`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { i, square: i * i, pid: process.pid };
}
