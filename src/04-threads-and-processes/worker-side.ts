/**
 * What runs inside every worker thread and child process of a pool: load the
 * tasks module, run the initializer, then run jobs one after another and send
 * each outcome back as soon as it is known.
 */
import { callWith } from "../03-results/runner.js";
import { pack } from "./packing.js";
import type { Channel, SentJob, ToWorker } from "./protocol.js";
import { sendableError } from "./remote-error.js";

type Task = (...args: unknown[]) => unknown;

/** Runs one job's calls in order; a plain value costs no `await`. */
async function runJob(task: Task, job: SentJob): Promise<unknown[]> {
  const values: unknown[] = [];
  for (const item of job.items) {
    let value = callWith(task, item, job.star);
    if (typeof (value as { then?: unknown } | null)?.then === "function") value = await value;
    values.push(value);
  }
  return values;
}

/**
 * Serves a pool over `channel` until the worker is ended from outside.
 *
 * @example
 * ```ts
 * serveJobs({ send: (m) => port.postMessage(m), onMessage: (l) => port.on("message", l) });
 * ```
 */
export function serveJobs(channel: Channel): void {
  let tasks: Record<string, unknown> = {};
  let queue: SentJob[] = [];
  let running = false;
  let stopping = false;

  const reply = (job: SentJob, values: unknown[]) => {
    try {
      channel.send({ kind: "done", id: job.id, ok: true, values: pack(values) });
    } catch (error) {
      // Python's MaybeEncodingError: the task ran, but its value cannot travel.
      const reason = error instanceof Error ? error.message : String(error);
      const failure = new TypeError(`the result of ${job.name} cannot be sent back from the worker: ${reason}`);
      channel.send({ kind: "done", id: job.id, ok: false, error: sendableError(failure) });
    }
  };

  const drain = async () => {
    if (running) return;
    running = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      for (const job of batch) {
        const task = tasks[job.name];
        try {
          if (typeof task !== "function") throw new TypeError(`the tasks module has no function named ${job.name}`);
          reply(job, await runJob(task as Task, job));
        } catch (error) {
          channel.send({ kind: "done", id: job.id, ok: false, error: sendableError(error) });
        }
      }
    }
    running = false;
    // Asked to stop: go once the work given so far is done, as Python's worker
    // returns on its sentinel. Whatever the tasks left running ends with it.
    if (stopping) process.exit(0);
  };

  channel.onMessage(async (message: ToWorker) => {
    if (message.kind === "run") {
      // Say so before running anything: if this worker dies from now on, the
      // pool knows the first unanswered job was running, not still on its way.
      channel.send({ kind: "took" });
      queue = queue.length === 0 ? message.jobs : queue.concat(message.jobs);
      void drain();
      return;
    }
    if (message.kind === "stop") {
      stopping = true;
      void drain();
      return;
    }
    try {
      tasks = (await import(message.tasks)) as Record<string, unknown>;
      if (message.initializer !== undefined) {
        const initializer = tasks[message.initializer];
        if (typeof initializer !== "function") throw new TypeError(`the tasks module has no function named ${message.initializer}`);
        await initializer(...message.initargs);
      }
      channel.send({ kind: "ready" });
    } catch (error) {
      channel.send({ kind: "init-failed", error: sendableError(error) });
    }
  });
}
