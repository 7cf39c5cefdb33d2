import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RunnerOptions } from "../03-results/runner.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { workerExecArgv } from "./exec-argv.js";
import { RemoteHost } from "./remote-host.js";
import type { TaskModule } from "./task-module.js";
import type { TaskTimings } from "./task-timings.js";

/**
 * A pool worker that is a child process started with `child_process.fork`: a
 * whole Node process of its own, so a crash or a runaway heap cannot touch the
 * pool's process. Messages cross the IPC channel with V8's serializer
 * (`serialization: "advanced"`), so Maps, Sets, BigInts and typed arrays
 * travel as they do to a thread; nothing can be shared or transferred.
 *
 * A child process has no `resourceLimits`; its `maxOldGenerationSizeMb`, if
 * given, becomes the child's `--max-old-space-size`.
 *
 * @example
 * ```ts
 * const host = new ProcessHost(new TaskModule("dist/tasks.js"), options, new TaskTimings());
 * await host.start();
 * ```
 */
export class ProcessHost extends RemoteHost {
  protected readonly what = "child process";
  #child: ChildProcess | undefined;

  /**
   * @example
   * ```ts
   * new ProcessHost(tasks, { size: 2, initargs: [], extra: {}, broken }, timings);
   * ```
   */
  constructor(tasks: TaskModule, options: RunnerOptions, timings: TaskTimings) {
    super(tasks, options, timings);
  }

  protected spawn(): void {
    const heap = this.options.extra.resourceLimits?.maxOldGenerationSizeMb;
    const execArgv = heap === undefined ? workerExecArgv() : [...workerExecArgv(), `--max-old-space-size=${heap}`];
    const child = fork(fileURLToPath(new URL("./process-entry.js", import.meta.url)), [], {
      serialization: "advanced",
      execArgv,
    });
    this.#child = child;
    child.on("message", (message) => this.received(message as FromWorker));
    // The child is gone only once it has exited and its channel is closed:
    // messages it sent before the end are delivered before 'disconnect'.
    let exit: { exitCode: number | null; signal: string | null } | undefined;
    let disconnected = false;
    const settle = () => {
      if (exit && disconnected) this.died(exit);
    };
    child.on("exit", (exitCode, signal) => {
      exit = { exitCode, signal };
      settle();
    });
    child.on("disconnect", () => {
      disconnected = true;
      settle();
    });
    child.on("error", () => {
      // A failed spawn or send is followed by 'exit'; nothing more to do here.
    });
  }

  protected send(message: ToWorker): void {
    const child = this.#child as ChildProcess;
    if (!child.connected) return;
    child.send(message);
  }

  protected forceEnd(): void {
    this.#child?.kill("SIGKILL");
  }
}
