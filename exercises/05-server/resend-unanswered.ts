/**
 * Exercise 05.2 · A client that loses no line across a server restart
 *
 * Chapter 05's server shuts down gracefully: it stops reading, answers every
 * line it has read, then closes. So a line is either answered, or was never
 * read by that server at all — never half-done. That promise is only worth
 * something if the client keeps its half: know which lines have their answer,
 * and send the others again to the next server (a restarted one, on the
 * same port).
 *
 * Build `sendAll(lines, options)`:
 * - Connect to `host:port` (127.0.0.1 by default) and send the lines, each
 *   with a `\n`, keeping up to `window` (16 by default) of them sent and not
 *   yet answered. Answers come back in order; collect them (without their
 *   `\n`) in `answers`, one per line.
 * - A connection can end before every line is answered: the server closed
 *   gracefully, or it answered `ERR shutting down` (or `ERR busy`) — those two
 *   are not answers to your line and must not be collected — or it was reset.
 *   Then connect again and resend from the first line without an answer.
 *   While nothing listens (ECONNREFUSED), retry the connection every
 *   `reconnectDelayMs` (20 by default); after `reconnectAttempts` (50) failed
 *   tries in a row, reject with `ConnectionLostError`.
 * - Resolve to `{ answers, connections, resent }`: how many connections were
 *   used, and how many lines were sent a second time (sent on a connection
 *   that ended before answering them).
 * - Throw at the call for `lines` that is not an array of strings without
 *   `\n` (`TypeError`) and a `window` or `reconnectAttempts` below 1.
 *
 * Run `npm run exercise -- 05.2` to test, `npm run hint -- 05.2` if stuck.
 */
import { LineBuffer, TOO_LONG } from "pools-by-hand"; // the kit cuts bytes into lines

/** Options of {@link sendAll}. */
export interface SendAllOptions {
  port: number;
  host?: string;
  /** Lines sent ahead of their answers on one connection; 16 by default. */
  window?: number;
  /** Connection attempts in a row before giving up; 50 by default. */
  reconnectAttempts?: number;
  /** The pause between two attempts; 20 ms by default. */
  reconnectDelayMs?: number;
}

/** What {@link sendAll} resolves to. */
export interface SendAllResult {
  /** One answer per line, in the lines' order, without `\n`. */
  answers: string[];
  /** Connections used. */
  connections: number;
  /** Lines sent again because their first connection ended without answering them. */
  resent: number;
}

/** Thrown when no connection could be made `reconnectAttempts` times in a row. */
export class ConnectionLostError extends Error {
  override name = "ConnectionLostError";
  constructor(
    readonly answered: number,
    readonly total: number,
  ) {
    super(`could not reconnect; ${answered} of ${total} lines were answered`);
  }
}

/**
 * Sends every line and resolves once each has its answer, reconnecting and
 * resending the unanswered ones whenever a connection ends early.
 */
export function sendAll(lines: readonly string[], options: SendAllOptions): Promise<SendAllResult> {
  throw new Error(`TODO(05.2): send ${lines.length} lines to port ${options.port}, resending what a closed connection left unanswered`);
}
