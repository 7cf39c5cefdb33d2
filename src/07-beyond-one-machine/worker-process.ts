import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { workerExecArgv } from "../04-threads-and-processes/exec-argv.js";
import { withDeadline } from "./deadline.js";
import { BAD_ARGUMENTS, CANNOT_START } from "./exit-codes.js";
import type { WorkerReady } from "./worker-cli.js";

/**
 * Options of {@link startWorkerProcess}: the worker command's flags.
 *
 * @example
 * ```ts
 * const options: WorkerProcessOptions = { connectionString: db.connectionString, tasks: "dist/tasks.js", concurrency: 2 };
 * ```
 */
export interface WorkerProcessOptions {
  /** Where the queue is; without it, the worker reads `DATABASE_URL` from the environment it inherits. */
  connectionString?: string | undefined;
  /** The path or `file:` URL of the tasks module. */
  tasks: string | URL;
  concurrency?: number | undefined;
  queueName?: string | undefined;
  recoverAfterMs?: number | undefined;
  name?: string | undefined;
  prefetch?: number | undefined;
  pollIntervalMs?: number | undefined;
  /** Make the worker's commits wait for the disk (`--wait-for-disk`). */
  waitForDisk?: boolean | undefined;
}

/**
 * A worker command running as a child process of this one.
 *
 * @example
 * ```ts
 * const worker: WorkerProcess = await startWorkerProcess(options);
 * worker.pid; // 12345
 * await worker.stop();
 * ```
 */
export interface WorkerProcess {
  readonly pid: number;
  /** Its name in results and heartbeats. */
  readonly name: string;
  /** What graphile-worker writes into `locked_by` for its jobs. */
  readonly lockIds: readonly string[];
  /** Resolves when the process has exited, with how. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** SIGTERM: it finishes its running jobs and exits. Resolves once it has (SIGKILL after 35 s). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. Resolves once it has exited. */
  kill(): Promise<void>;
}

const WORKER_CLI = fileURLToPath(new URL("./worker-cli.js", import.meta.url));

/**
 * Why {@link startWorkerProcess} failed: the worker exited before it was
 * ready. `cannotStart` tells a worker that gave up (bad arguments, no
 * database, a tasks module that fails to load) from one that died — killed by
 * a signal, or by a job it took at once.
 *
 * @example
 * ```ts
 * const error = await startWorkerProcess(options).catch((e) => e);
 * if (error instanceof WorkerStartError && error.cannotStart) console.error(error.message);
 * ```
 */
export class WorkerStartError extends Error {
  override name = "WorkerStartError";
  /** Its exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;

  /**
   * @example
   * ```ts
   * new WorkerStartError(3, null, "worker: could not start: could not connect to Postgres at …");
   * ```
   */
  constructor(exitCode: number | null, signal: string | null, errorOutput: string) {
    super(`the worker process exited before it was ready (${signal ?? `exit code ${exitCode}`})${errorOutput ? `: ${errorOutput}` : ""}`);
    this.exitCode = exitCode;
    this.signal = signal;
  }

  /** Whether the worker gave up by itself (exit code 2 or 3): starting it again would fail again. */
  get cannotStart(): boolean {
    return this.exitCode === BAD_ARGUMENTS || this.exitCode === CANNOT_START;
  }
}

function flags(options: WorkerProcessOptions): string[] {
  const tasks = options.tasks instanceof URL ? fileURLToPath(options.tasks) : options.tasks.startsWith("file:") ? fileURLToPath(options.tasks) : options.tasks;
  const args = ["--tasks", tasks];
  if (options.connectionString !== undefined) args.push("--db", options.connectionString);
  const optional: [string, unknown][] = [
    ["--concurrency", options.concurrency],
    ["--queue", options.queueName],
    ["--recover-after-ms", options.recoverAfterMs],
    ["--name", options.name],
    ["--prefetch", options.prefetch],
    ["--poll-interval-ms", options.pollIntervalMs],
  ];
  for (const [flag, value] of optional) if (value !== undefined) args.push(flag, String(value));
  if (options.waitForDisk) args.push("--wait-for-disk");
  return args;
}

/**
 * Starts the worker command (`npm run worker`) as a child process with an IPC
 * channel, and resolves once it takes jobs. The channel ties its life to this
 * process: if this one dies, the worker drains and exits. The pool uses it for
 * its local workers; tests, the demo and the benchmark use it to get workers
 * they can kill.
 *
 * @returns a promise that rejects, with the end of the worker's error output,
 *   when it exits before it is ready, or is not ready within 30 s.
 * @example
 * ```ts
 * const worker = await startWorkerProcess({ connectionString: db.connectionString, tasks: TASKS });
 * await worker.kill(); // SIGKILL: its running jobs are recovered by others
 * ```
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const child: ChildProcess = fork(WORKER_CLI, flags(options), { execArgv: workerExecArgv(), stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4_000);
    process.stderr.write(chunk);
  });
  const exited = once(child, "exit").then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
  const ready = new Promise<WorkerReady>((resolve, reject) => {
    child.on("message", (message: WorkerReady) => message.kind === "ready" && resolve(message));
    void exited.then(({ code, signal }) => reject(new WorkerStartError(code, signal, errors.trim())));
  });
  let hello: WorkerReady;
  try {
    hello = await withDeadline(ready, 30_000, "the worker process to be ready");
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid as number,
    name: hello.name,
    lockIds: hello.lockIds,
    exited,
    async stop() {
      if (gone()) return;
      child.kill("SIGTERM");
      await withDeadline(exited, 35_000, `worker ${hello.name} to stop`).catch(async () => {
        child.kill("SIGKILL");
        await exited;
      });
    },
    async kill() {
      if (!gone()) child.kill("SIGKILL");
      await exited;
    },
  };
}
