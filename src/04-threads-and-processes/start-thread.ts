import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread that runs the module at `entry`. The thread imports
 * it from a one-line script rather than being given the file, so that it can
 * inherit this process's Node options as they are: V8 flags such as
 * `--expose-gc` are refused when listed again in a Worker's `execArgv`, and a
 * Worker given a file refuses the `--input-type` of `node -e`.
 *
 * @example
 * ```ts
 * const worker = startThread(new URL("./thread-entry.js", import.meta.url), { workerData: { port } });
 * ```
 */
export function startThread(entry: URL, options: Omit<WorkerOptions, "eval" | "execArgv"> = {}): Worker {
  return new Worker(`import(${JSON.stringify(entry.href)});`, { ...options, eval: true });
}
