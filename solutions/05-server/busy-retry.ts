/**
 * Solution 05.1 · A client that retries a busy server, with back-off and jitter
 *
 * One attempt is one connection: send the line, read one answer line with the
 * kit's LineBuffer. `ERR busy` and a refused connection are worth another
 * try; anything else is the answer. Between tries, "full jitter": a random
 * delay between 0 and min(maxMs, baseMs · 2^(attempt−1)).
 */
import { connect } from "node:net";
import { checkInteger, checkTimeout, LineBuffer, TOO_LONG } from "pools-by-hand";

/** Options of {@link echoWithRetry}. */
export interface RetryOptions {
  port: number;
  host?: string;
  /** How many tries in all, at least 1; 5 by default. */
  attempts?: number;
  /** The cap of the first delay; it doubles each time. 100 ms by default. */
  baseMs?: number;
  /** The largest cap. 2000 ms by default. */
  maxMs?: number;
  /** A number in [0, 1): Math.random by default. */
  random?: () => number;
  /** How to wait; a timer by default. */
  sleep?: (ms: number) => Promise<void>;
}

/** What a successful call returns. */
export interface RetryResult {
  /** The server's answer line, without its `\n`. */
  answer: string;
  /** How many tries it took. */
  attempts: number;
  /** The delays waited between them, in order. */
  delays: number[];
}

/** Thrown when every try was turned away. */
export class GaveUpError extends Error {
  override name = "GaveUpError";
  constructor(
    readonly attempts: number,
    readonly lastAnswer: string,
  ) {
    super(`gave up after ${attempts} attempts; the last answer was ${JSON.stringify(lastAnswer)}`);
  }
}

type Outcome = { retry: false; answer: string } | { retry: true; why: string };

/** One connection: send the line, read one line back. */
function attempt(line: string, port: number, host: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const lines = new LineBuffer(64 * 1024);
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.on("connect", () => socket.write(`${line}\n`));
    socket.on("data", (chunk: Buffer) => {
      lines.push(chunk);
      const answer = lines.next();
      if (answer === undefined) return;
      if (answer === TOO_LONG) return settle({ retry: false, answer: "" });
      const text = answer.toString("utf8").replace(/\n$/, "");
      settle(text.startsWith("ERR busy") ? { retry: true, why: text } : { retry: false, answer: text });
    });
    socket.on("error", (error: NodeJS.ErrnoException) => settle({ retry: true, why: error.code ?? error.message }));
    socket.on("close", () => settle({ retry: true, why: "closed without an answer" }));
  });
}

/**
 * Sends `line` and resolves to the server's answer, trying again after a
 * jittered, growing delay while the server is busy or refuses to connect.
 */
export function echoWithRetry(line: string, options: RetryOptions): Promise<RetryResult> {
  if (typeof line !== "string" || line.includes("\n")) throw new TypeError("line must be a string without \\n");
  const attempts = checkInteger("attempts", options.attempts ?? 5, 1);
  const baseMs = checkTimeout("baseMs", options.baseMs) ?? 100;
  const maxMs = checkTimeout("maxMs", options.maxMs) ?? 2000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const host = options.host ?? "127.0.0.1";
  const run = async (): Promise<RetryResult> => {
    const delays: number[] = [];
    let why = "";
    for (let tried = 1; tried <= attempts; tried++) {
      const outcome = await attempt(line, options.port, host);
      if (!outcome.retry) return { answer: outcome.answer, attempts: tried, delays };
      why = outcome.why;
      if (tried === attempts) break;
      const delay = random() * Math.min(maxMs, baseMs * 2 ** (tried - 1));
      delays.push(delay);
      await sleep(delay);
    }
    throw new GaveUpError(attempts, why);
  };
  return run();
}
