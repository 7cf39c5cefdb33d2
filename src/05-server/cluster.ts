import cluster, { type Worker } from "node:cluster";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { checkInteger } from "../01-reusable-worker/checks.js";
import { workerExecArgv } from "../04-threads-and-processes/exec-argv.js";
import { RestartBackoff, type RestartBackoffOptions } from "./backoff.js";
import { serverSettings, startEchoServer, type EchoServer, type EchoServerOptions } from "./echo-server.js";

/** The environment variable that carries the server's options to each worker. */
const OPTIONS_VARIABLE = "POOLS_BY_HAND_ECHO_OPTIONS";
const KIT_WORKER = new URL("./cluster-worker.js", import.meta.url);

/**
 * Something that happened to the cluster's workers, as `onEvent` hears it.
 *
 * @example
 * ```ts
 * const onEvent = (event: ClusterEvent) => {
 *   if (event.type === "exit") console.log(`worker ${event.pid} exited; restart in ${event.restartInMs} ms`);
 * };
 * ```
 */
export type ClusterEvent =
  | { type: "listening"; pid: number; port: number }
  | {
      type: "exit";
      pid: number;
      /** The exit code, or null when a signal ended it. */
      code: number | null;
      signal: string | null;
      livedMs: number;
      /** When it will be replaced; absent when it is not (retired, or the cluster is closing). */
      restartInMs?: number;
    };

/**
 * Options of {@link startEchoCluster}: those of every worker's server, and the primary's own.
 *
 * @example
 * ```ts
 * const options: EchoClusterOptions = { port: 7000, workers: 4, poolSize: 100, restart: { maxMs: 30_000 } };
 * ```
 */
export interface EchoClusterOptions extends EchoServerOptions {
  /** How many worker processes; one per CPU by default. */
  workers?: number | undefined;
  /** The back-off of restarts (see {@link RestartBackoff}). */
  restart?: RestartBackoffOptions | undefined;
  /**
   * The script each worker runs: by default the kit's, which calls
   * {@link runClusterWorker}. Another script must listen on the options' port
   * and leave on a `{ type: "shutdown" }` message, as that function does.
   */
  exec?: string | URL | undefined;
  /** Told about every worker that starts listening or exits. */
  onEvent?: ((event: ClusterEvent) => void) | undefined;
}

/**
 * A running cluster, as {@link startEchoCluster} resolves it.
 *
 * @example
 * ```ts
 * const echo = await startEchoCluster({ workers: 2 });
 * echo.pids(); // [41237, 41238]
 * await echo.close();
 * ```
 */
export interface EchoCluster {
  /** The port every worker serves; the primary owns the listening socket. */
  readonly port: number;
  readonly host: string;
  /** The process ids of the workers alive now. */
  pids(): number[];
  /**
   * Starts one more worker, running `exec` if given (a new version of the
   * script, say); resolves to its pid once it listens. A worker that exits
   * before listening rejects the promise and is not restarted.
   */
  addWorker(options?: { exec?: string | URL | undefined }): Promise<number>;
  /**
   * Shuts one worker down gracefully (its server's `close()`), without a
   * replacement; resolves once it has exited. Killed at its shutdown deadline
   * plus two seconds if it has not.
   */
  retireWorker(pid: number): Promise<void>;
  /** Retires every worker, stops restarting, and resolves once all have exited. */
  close(): Promise<void>;
}

/** One place in the cluster: the worker in it now, and how quickly its workers have been dying. */
interface Slot {
  exec: string;
  worker: Worker;
  startedAt: number;
  /** The worker in the slot now listens. */
  listening: boolean;
  /** Some worker in this slot has listened: only then is a death restarted. */
  everListened: boolean;
  retiring: boolean;
  backoff: RestartBackoff;
  restartTimer?: NodeJS.Timeout | undefined;
}

function scriptPath(exec: unknown): string {
  if (exec instanceof URL) return fileURLToPath(exec);
  if (typeof exec === "string" && exec !== "") return exec.startsWith("file:") ? fileURLToPath(exec) : exec;
  throw new TypeError(`exec must be a path or a file: URL, got ${inspect(exec, { depth: 0 })}`);
}

/** The primary's side: forks, watches, restarts and retires workers. */
class EchoClusterPrimary implements EchoCluster {
  readonly host: string;
  #port: number | undefined;
  #serverOptions: EchoServerOptions;
  #backoffOptions: RestartBackoffOptions;
  #onEvent: (event: ClusterEvent) => void;
  #shutdownTimeoutMs: number;
  #slots = new Set<Slot>();
  #closing: Promise<void> | undefined;

  constructor(options: EchoClusterOptions) {
    const { workers: _workers, restart = {}, exec: _exec, onEvent = () => {}, ...serverOptions } = options;
    const settings = serverSettings(serverOptions);
    if (settings.port !== 0) this.#port = settings.port;
    new RestartBackoff(restart); // checks the options now
    if (typeof onEvent !== "function") throw new TypeError("onEvent must be a function");
    this.host = settings.host;
    this.#serverOptions = serverOptions;
    this.#backoffOptions = restart;
    this.#onEvent = onEvent;
    this.#shutdownTimeoutMs = settings.shutdownTimeoutMs;
  }

  get port(): number {
    return this.#port ?? 0;
  }

  /**
   * Workers share the primary's listening socket only when they ask for the
   * same port, and port 0 would give a new one whenever every worker had
   * died: so port 0 is turned into a free port once, here.
   */
  async choosePort(): Promise<void> {
    if (this.#port !== undefined) return;
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, this.host, resolve));
    this.#port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  }

  pids(): number[] {
    return [...this.#slots].filter((slot) => !slot.worker.isDead()).map((slot) => slot.worker.process.pid as number);
  }

  addWorker(options: { exec?: string | URL | undefined } = {}): Promise<number> {
    if (this.#closing) return Promise.reject(new Error("the cluster is closing"));
    const exec = scriptPath(options.exec ?? KIT_WORKER);
    const slot = { exec, backoff: new RestartBackoff(this.#backoffOptions), listening: false, everListened: false, retiring: false } as Slot;
    this.#slots.add(slot);
    return this.#fork(slot);
  }

  retireWorker(pid: number): Promise<void> {
    const slot = [...this.#slots].find((candidate) => candidate.worker.process.pid === pid);
    if (!slot) throw new RangeError(`no worker of this cluster has pid ${pid}; its workers are ${this.pids().join(", ")}`);
    return this.#retire(slot);
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all([...this.#slots].map((slot) => this.#retire(slot))).then(() => undefined);
    return this.#closing;
  }

  #fork(slot: Slot): Promise<number> {
    cluster.setupPrimary({ exec: slot.exec, execArgv: workerExecArgv(), args: [] });
    const options = { ...this.#serverOptions, port: this.#port };
    const worker = cluster.fork({ [OPTIONS_VARIABLE]: JSON.stringify(options) });
    slot.worker = worker;
    slot.startedAt = performance.now();
    slot.listening = false;
    return new Promise<number>((resolve, reject) => {
      worker.once("listening", (address) => {
        slot.listening = true;
        slot.everListened = true;
        this.#onEvent({ type: "listening", pid: worker.process.pid as number, port: address.port });
        resolve(worker.process.pid as number);
      });
      worker.once("exit", (code, signal) => {
        const listened = slot.everListened;
        this.#onExit(slot, worker, code, signal);
        if (!listened) reject(new Error(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) before it listened`));
      });
    });
  }

  #onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    const pid = worker.process.pid as number;
    const livedMs = Math.round(performance.now() - slot.startedAt);
    // A worker that never listened is not restarted: the call that started it hears of it instead.
    if (slot.retiring || this.#closing || !slot.everListened) {
      this.#slots.delete(slot);
      this.#onEvent({ type: "exit", pid, code, signal, livedMs });
      return;
    }
    const restartInMs = slot.backoff.delayAfter(livedMs);
    this.#onEvent({ type: "exit", pid, code, signal, livedMs, restartInMs });
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      // A replacement that dies before listening is restarted in turn, later each time.
      this.#fork(slot).catch(() => {});
    }, restartInMs);
  }

  async #retire(slot: Slot): Promise<void> {
    slot.retiring = true;
    clearTimeout(slot.restartTimer);
    const worker = slot.worker;
    if (slot.restartTimer !== undefined || worker.isDead()) {
      this.#slots.delete(slot);
      return;
    }
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    // A worker still starting has no server to close and may not hear a message yet.
    if (slot.listening && worker.isConnected()) worker.send({ type: "shutdown" });
    else worker.process.kill("SIGTERM");
    const deadline = setTimeout(() => worker.process.kill("SIGKILL"), this.#shutdownTimeoutMs + 2000);
    await exited;
    clearTimeout(deadline);
  }
}

/**
 * Seed 001's master/worker model, nginx's, on `node:cluster`: this process
 * (the primary) forks `workers` processes, one per CPU by default, and each
 * runs {@link startEchoServer} with the same options. The primary owns the
 * listening socket and hands each new connection to the next worker in turn,
 * so one port is served by every core.
 *
 * A worker that exits is replaced, at once if it had run for a while, after a
 * growing delay if it keeps dying ({@link RestartBackoff}). A worker that
 * cannot start at all fails the start instead: the promise rejects and every
 * worker is shut down.
 *
 * Call it in the primary only; the workers run the kit's worker script (or
 * `exec`). Handle SIGINT and SIGTERM in the primary with `close()`: the
 * workers ignore SIGINT, which a terminal sends to the whole process group,
 * and leave when the primary tells them to.
 *
 * @param options - the servers' options, plus `workers`, `restart`, `exec`
 *   and `onEvent`; none is required.
 * @returns a promise of the running cluster, resolved once every worker listens.
 * @throws TypeError or RangeError, at the call, for a bad option.
 * @example
 * ```ts
 * const echo = await startEchoCluster({ port: 7000, workers: 4 });
 * process.once("SIGTERM", () => void echo.close());
 * ```
 */
export function startEchoCluster(options: EchoClusterOptions = {}): Promise<EchoCluster> {
  if (!cluster.isPrimary) throw new Error("startEchoCluster runs in the primary process, not in a cluster worker");
  const primary = new EchoClusterPrimary(options);
  const workers = checkInteger("workers", options.workers ?? availableParallelism(), 1);
  const exec = options.exec ?? KIT_WORKER;
  scriptPath(exec);
  const started = primary.choosePort().then(async () => {
    await Promise.all(Array.from({ length: workers }, () => primary.addWorker({ exec })));
  });
  return started.then(
    () => primary,
    async (error: unknown) => {
      await primary.close();
      throw error;
    },
  );
}

/**
 * What a cluster worker runs: the echo server with the options the primary
 * put in its environment, until the primary says `shutdown`, the process gets
 * SIGTERM, or the primary is gone; then a graceful `close()` and exit 0.
 * SIGINT is ignored: on Ctrl-C the terminal signals every process of the
 * group, and the primary decides.
 *
 * @param overrides - options that replace the primary's (a script that runs
 *   a variant of the server, say).
 * @returns the running server.
 * @example
 * ```ts
 * // my-worker.ts, started with startEchoCluster({ exec: new URL("./my-worker.js", import.meta.url) })
 * await runClusterWorker({ hashIn: "event-loop" });
 * ```
 */
export async function runClusterWorker(overrides: EchoServerOptions = {}): Promise<EchoServer> {
  if (!cluster.isWorker) throw new Error("runClusterWorker runs in a cluster worker, started by startEchoCluster");
  const options = JSON.parse(process.env[OPTIONS_VARIABLE] ?? "{}") as EchoServerOptions;
  const server = await startEchoServer({ ...options, ...overrides });
  let leaving = false;
  const leave = () => {
    if (leaving) return;
    leaving = true;
    void server.close().then(() => process.exit(0));
  };
  process.on("message", (message: { type?: string } | null) => {
    if (message?.type === "shutdown") leave();
  });
  process.on("SIGTERM", leave);
  process.on("SIGINT", () => {});
  process.on("disconnect", leave);
  return server;
}
