/**
 * A worker process's heartbeat: its row in `pools_by_hand.heartbeats`,
 * refreshed about every second, tells every recoverer that the jobs it holds
 * are being worked on.
 *
 * The beating runs in a worker thread with its own connection. On the main
 * thread, a task that computes for longer than the recovery window would stop
 * the heartbeat, look dead, have its job handed to another worker — which
 * would then look dead too. From a thread, the heartbeat goes on as long as
 * the process lives and reaches the database, whatever its tasks do. The
 * price: a process whose main thread is stuck for ever (an endless loop) keeps
 * beating, and its job is never recovered; only a task timeout would help.
 */
import { once } from "node:events";
import { startThread } from "../04-threads-and-processes/start-thread.js";
import { withDeadline } from "./deadline.js";

/** What the heartbeat thread is given. */
export interface HeartbeatOptions {
  connectionString: string;
  /** The worker process's name: the row's key. */
  worker: string;
  /** What graphile-worker writes into `jobs.locked_by` for this process. */
  lockIds: string[];
  intervalMs: number;
}

/** Messages from the thread. */
export type HeartbeatReport = { kind: "beating" } | { kind: "error"; message: string } | { kind: "stopped" };

/**
 * Starts the heartbeat and resolves once the first beat has landed.
 *
 * @throws Error when the first beat cannot be written within 10 s.
 * @example
 * ```ts
 * const heartbeat = await startHeartbeat({ connectionString, worker: name, lockIds, intervalMs: 1_000 });
 * // … when the worker's last job is done:
 * await heartbeat.stop(); // deletes the row
 * ```
 */
export async function startHeartbeat(options: HeartbeatOptions): Promise<{ stop(): Promise<void> }> {
  const thread = startThread(new URL("./heartbeat-thread.js", import.meta.url), { workerData: options });
  let failure = "";
  thread.on("message", (report: HeartbeatReport) => {
    if (report.kind === "error") {
      failure = report.message;
      console.error(`[pools-by-hand] heartbeat of ${options.worker}: ${report.message}`);
    }
  });
  const firstBeat = new Promise<void>((resolve, reject) => {
    thread.on("message", (report: HeartbeatReport) => report.kind === "beating" && resolve());
    thread.once("exit", () => reject(new Error(`the heartbeat thread ended before its first beat${failure ? `: ${failure}` : ""}`)));
  });
  try {
    await withDeadline(firstBeat, 10_000, "the first heartbeat");
  } catch (error) {
    await thread.terminate();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        const stopped = new Promise<void>((resolve) => thread.on("message", (report: HeartbeatReport) => report.kind === "stopped" && resolve()));
        thread.postMessage("stop");
        await withDeadline(stopped, 5_000, "the heartbeat thread to stop").catch(() => undefined);
        await thread.terminate();
      })()),
  };
}
