/**
 * Exercise 07.2 · A worker that drains on SIGTERM, within a grace period — a
 * solution. One promise settles the whole thing: the first of "the drain
 * finished", "the grace period ran out" and "a second signal came".
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

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** Runs a worker until a signal, then stops it within the grace period. */
export async function runGracefully(options: GracefulOptions): Promise<Ending> {
  const worker = await runWorker(options);
  let onSignal = () => {};
  const ending = await new Promise<Ending>((resolve) => {
    let signalled = false;
    onSignal = () => {
      if (signalled) return resolve("interrupted");
      signalled = true;
      const deadline = setTimeout(() => resolve("deadline"), options.graceMs);
      void worker.stop().then(() => {
        clearTimeout(deadline);
        resolve("drained");
      });
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
    // Ready only now: a signal sent as soon as the caller hears it finds the listeners.
    options.onReady?.();
  });
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  return ending;
}

/** A task for the tests: waits `ms`, then returns it. */
export async function nap(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
