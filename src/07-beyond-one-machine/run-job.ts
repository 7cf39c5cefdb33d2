import type { Outcome } from "../03-results/async-result.js";
import { callWith } from "../03-results/runner.js";

/**
 * Runs one job's calls in order on a worker, awaiting each, and returns its
 * outcome; it never throws. A task that throws (or a name that is not a
 * function of the module) fails the job for the caller, but not for the
 * queue: graphile-worker retries a job whose handler throws, up to its
 * `max_attempts`, and a task's own error would be raised again each time.
 *
 * @example
 * ```ts
 * await runJob(tasks, "square", [1, 2, 3], false); // { ok: true, value: [1, 4, 9] }
 * await runJob(tasks, "nope", [1], false);         // { ok: false, error: TypeError(…) }
 * ```
 */
export async function runJob(tasks: Readonly<Record<string, unknown>>, name: string, items: readonly unknown[], star: boolean): Promise<Outcome<unknown[]>> {
  try {
    const task = Object.hasOwn(tasks, name) ? tasks[name] : undefined;
    if (typeof task !== "function") throw new TypeError(`the tasks module has no function named ${name}`);
    const values: unknown[] = [];
    for (const item of items) values.push(await callWith(task as (...args: unknown[]) => unknown, item, star));
    return { ok: true, value: values };
  } catch (error) {
    return { ok: false, error };
  }
}
