/**
 * The messages between {@link startPostgres} and its supervisor process. Both
 * sides import this file, so a typo in a message is a compile error.
 */
import type { SentError } from "../04-threads-and-processes/remote-error.js";
import type { ServerOptions } from "./embedded-server.js";

/** Caller → supervisor. */
export type ToSupervisor = { kind: "start"; options: ServerOptions } | { kind: "stop" };

/** What the caller learns once the server accepts connections. */
export interface ServerReady {
  kind: "ready";
  connectionString: string;
  port: number;
  dataDir: string;
  temporary: boolean;
  postmasterPid: number;
  timings: { initdbMs: number; startMs: number };
}

/** Supervisor → caller. */
export type FromSupervisor = ServerReady | { kind: "failed"; error: SentError };
