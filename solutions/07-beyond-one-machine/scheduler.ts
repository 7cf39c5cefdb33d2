/**
 * Exercise 07.3 · Delayed, urgent and periodic tasks — a solution. Every
 * method is one `submit` with graphile-worker's job options; `every` keeps one
 * run in the queue at a time and computes each due time from the start, so
 * lateness does not accumulate.
 */
import type { JobOptions, QueueClient } from "pools-by-hand";

/** A periodic task, until stopped. */
export interface Repeating {
  stop(): Promise<void>;
}

/** Delayed, urgent and periodic jobs on a QueueClient. */
export class Scheduler {
  constructor(readonly client: QueueClient) {}

  /** Runs `task(...args)` no earlier than `when`. */
  at<R>(when: Date, task: string, args: unknown[]): Promise<R> {
    return this.#run(task, args, { runAt: when });
  }

  /** Runs `task(...args)` no earlier than `delayMs` from now. */
  later<R>(delayMs: number, task: string, args: unknown[]): Promise<R> {
    return this.at(new Date(Date.now() + delayMs), task, args);
  }

  /** Runs `task(...args)` before the jobs of default priority that are waiting. */
  urgent<R>(task: string, args: unknown[]): Promise<R> {
    return this.#run(task, args, { priority: -10 });
  }

  /** Runs `task(...args)` every `intervalMs`, on a fixed schedule, until stopped. */
  every<R>(intervalMs: number, task: string, args: unknown[], onValue: (value: R) => void): Repeating {
    const start = Date.now();
    let stopped = false;
    let inFlight: Promise<void> = Promise.resolve();
    const submit = (k: number) => {
      if (stopped) return;
      inFlight = this.at<R>(new Date(start + k * intervalMs), task, args).then(
        (value) => {
          if (stopped) return;
          onValue(value);
          submit(k + 1);
        },
        () => submit(k + 1), // a failed run does not end the schedule
      );
    };
    submit(1);
    return {
      async stop() {
        stopped = true;
        await inFlight;
      },
    };
  }

  async #run<R>(task: string, args: unknown[], options: JobOptions): Promise<R> {
    const [value] = await this.client.submit({ task, items: [args], star: true }, options);
    return value as R;
  }
}

/** A task for the tests: the worker's clock when it ran. */
export function stamp(): number {
  return Date.now();
}

/** A task for the tests: waits `ms`, then returns it. */
export async function nap(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
