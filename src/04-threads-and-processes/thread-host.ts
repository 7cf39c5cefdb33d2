import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from "node:worker_threads";
import type { RunnerOptions } from "../03-results/runner.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { RemoteHost, type Death } from "./remote-host.js";
import { startThread } from "./start-thread.js";
import type { TaskModule } from "./task-module.js";
import type { TaskTimings } from "./task-timings.js";

/**
 * A pool worker that is a `worker_threads` Worker: its own V8 isolate and
 * event loop in this process, so it computes in parallel with the main thread.
 * Arguments and results cross by structured clone (a copy), as Python pickles
 * them for a process.
 *
 * @example
 * ```ts
 * const host = new ThreadHost(new TaskModule("dist/tasks.js"), options, new TaskTimings());
 * await host.start();
 * ```
 */
export class ThreadHost extends RemoteHost {
  protected readonly what = "worker thread";
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #error: unknown;

  /**
   * @example
   * ```ts
   * new ThreadHost(tasks, { size: 2, initargs: [], extra: { resourceLimits: { maxOldGenerationSizeMb: 64 } }, broken }, timings);
   * ```
   */
  constructor(tasks: TaskModule, options: RunnerOptions, timings: TaskTimings) {
    super(tasks, options, timings);
  }

  protected spawn(): void {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = startThread(new URL("./thread-entry.js", import.meta.url), {
      workerData: { port: port2 },
      transferList: [port2],
      resourceLimits: this.options.extra.resourceLimits,
    });
    // One 'message' event, then every reply already waiting is read at once:
    // far cheaper than one event per reply when tasks are tiny.
    port1.on("message", (first: FromWorker) => {
      this.received(first);
      this.#readWaiting();
    });
    this.#worker.on("error", (error) => (this.#error = error));
    this.#worker.on("exit", (exitCode) => {
      this.#readWaiting(); // replies sent just before the end still count
      port1.close();
      const death: Death = { exitCode, signal: null };
      if (this.#error !== undefined) death.cause = this.#error;
      this.died(death);
    });
  }

  #readWaiting(): void {
    const port = this.#port as MessagePort;
    for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) {
      this.received(next.message as FromWorker);
    }
  }

  protected send(message: ToWorker): void {
    this.#port?.postMessage(message);
  }

  protected forceEnd(): void {
    void this.#worker?.terminate();
  }
}
