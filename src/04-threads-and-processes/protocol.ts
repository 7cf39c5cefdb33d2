/**
 * The messages between the pool and one of its workers. Both sides import this
 * file, so a typo in a message is a compile error, not a silent hang.
 */
import type { Packed } from "./packing.js";
import type { SentError } from "./remote-error.js";

/** A job as it travels to a worker: the task is named, not sent. */
export interface SentJob {
  id: number;
  /** The export of the tasks module to call. */
  name: string;
  items: Packed;
  /** Whether each item is a list of arguments to spread (see the Job of step 03). */
  star: boolean;
}

/** Pool → worker. */
export type ToWorker =
  | { kind: "init"; tasks: string; initializer: string | undefined; initargs: readonly unknown[] }
  | { kind: "run"; jobs: SentJob[] }
  | { kind: "stop" };

/** Worker → pool. */
export type FromWorker =
  | { kind: "ready" }
  /** Sent as the worker takes a `run` message, before its first job starts. */
  | { kind: "took" }
  | { kind: "init-failed"; error: SentError }
  /** A child process is about to die of this uncaught error. */
  | { kind: "fatal"; error: SentError }
  | { kind: "done"; id: number; ok: true; values: Packed }
  | { kind: "done"; id: number; ok: false; error: SentError };

/**
 * What the worker side needs from its channel to the pool: a thread's
 * `MessagePort` and a child process's IPC channel both fit.
 */
export interface Channel {
  send(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
}
