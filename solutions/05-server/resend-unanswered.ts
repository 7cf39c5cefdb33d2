/**
 * Solution 05.2 · A client that loses no line across a server restart
 *
 * The client keeps the index of the first line without an answer. Whatever
 * ends a connection — the server's graceful close, `ERR shutting down` for a
 * client still waiting, a reset — the next connection starts at that index,
 * so every line is answered once, in order.
 */
import { connect, type Socket } from "node:net";
import { checkInteger, checkTimeout, LineBuffer, TOO_LONG } from "pools-by-hand";

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

/** Answers that mean "this connection is over", not "here is your answer". */
const NOT_AN_ANSWER = /^ERR (busy|shutting down)/;

function open(port: number, host: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}

/** Sends `lines[answers.length…]` on one connection, `window` ahead, until it ends or all are answered. */
function useConnection(socket: Socket, lines: readonly string[], answers: string[], window: number): Promise<number> {
  return new Promise((resolve) => {
    const received = new LineBuffer(1024 * 1024);
    let sent = answers.length;
    const sendMore = () => {
      while (sent < lines.length && sent - answers.length < window) socket.write(`${lines[sent++]}\n`);
    };
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      for (let line = received.next(); line !== undefined; line = received.next()) {
        const text = line === TOO_LONG ? undefined : line.toString("utf8").replace(/\n$/, "");
        if (text === undefined || NOT_AN_ANSWER.test(text)) return void socket.destroy();
        answers.push(text);
      }
      if (answers.length === lines.length) socket.end();
      else sendMore();
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => resolve(sent));
    sendMore();
  });
}

/**
 * Sends every line and resolves once each has its answer, reconnecting and
 * resending the unanswered ones whenever a connection ends early.
 */
export function sendAll(lines: readonly string[], options: SendAllOptions): Promise<SendAllResult> {
  if (!Array.isArray(lines) || lines.some((line) => typeof line !== "string" || line.includes("\n"))) {
    throw new TypeError("lines must be an array of strings without \\n");
  }
  const window = checkInteger("window", options.window ?? 16, 1);
  const attempts = checkInteger("reconnectAttempts", options.reconnectAttempts ?? 50, 1);
  const delayMs = checkTimeout("reconnectDelayMs", options.reconnectDelayMs) ?? 20;
  const host = options.host ?? "127.0.0.1";
  const run = async (): Promise<SendAllResult> => {
    const answers: string[] = [];
    let connections = 0;
    let resent = 0;
    let highestSent = 0;
    while (answers.length < lines.length) {
      let socket: Socket | undefined;
      for (let tried = 0; !socket; tried++) {
        if (tried === attempts) throw new ConnectionLostError(answers.length, lines.length);
        if (tried > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        socket = await open(options.port, host);
      }
      connections += 1;
      resent += highestSent - answers.length;
      highestSent = Math.max(highestSent, await useConnection(socket, lines, answers, window));
    }
    return { answers, connections, resent };
  };
  return run();
}
