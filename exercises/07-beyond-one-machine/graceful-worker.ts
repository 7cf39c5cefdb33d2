/**
 * Exercise 07.2 · A worker that drains on SIGTERM, within a grace period
 *
 * A process manager stops a worker in two steps: SIGTERM, and, if the worker
 * is still there after a grace period, SIGKILL (Kubernetes waits
 * `terminationGracePeriodSeconds`, 30 s by default; systemd `TimeoutStopSec`).
 * A good worker uses the time: it takes no new job, lets the running ones
 * finish and publish their results, and leaves. If a job cannot finish in
 * time, the worker should leave anyway, before the SIGKILL, with an exit code
 * that says so: the queue's recovery gives that job to another worker.
 *
 * Build `runGracefully(options)` on the kit's `runWorker`:
 * - start the worker with `options` (all of `WorkerOptions`), listen for the
 *   signals, and then call `options.onReady?.()` — a signal sent as soon as
 *   the caller hears "ready" must find your listeners;
 * - on the first SIGTERM or SIGINT, call the worker's `stop()` and resolve to
 *   `"drained"` if it finishes within `options.graceMs`, or to `"deadline"` if
 *   it does not (leave it running: the caller is about to exit);
 * - on a second signal before that, resolve to `"interrupted"` at once;
 * - remove the signal listeners you added once you have resolved.
 *
 * The tests start `runGracefully` in a child process, which exits 0 for
 * "drained" and 1 otherwise. `nap` is the task they give it.
 *
 * Run `npm run exercise -- 07.2` to test, `npm run hint -- 07.2` if stuck.
 */
import { runWorker, type WorkerOptions } from "pools-by-hand";

/** How a graceful stop ended. */
export type Ending = "drained" | "deadline" | "interrupted";

/** The worker's options, the grace period, and a call for when it is ready. */
export interface GracefulOptions extends WorkerOptions {
  /** How long the running jobs may take to finish after the first signal. */
  graceMs: number;
  onReady?: () => void;
}

/** Runs a worker until a signal, then stops it within the grace period. */
export async function runGracefully(options: GracefulOptions): Promise<Ending> {
  throw new Error("TODO(07.2): start runWorker(options), then wait for SIGTERM or SIGINT and race worker.stop() against graceMs");
}

/** A task for the tests: waits `ms`, then returns it. */
export async function nap(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
