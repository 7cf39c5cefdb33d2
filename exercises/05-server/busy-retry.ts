/**
 * Exercise 05.1 · A client that retries a busy server, with back-off and jitter
 *
 * Chapter 05's server serves `poolSize` clients, lets `maxWaiting` more wait,
 * and turns the next one away at once with a line that starts `ERR busy`.
 * That answer is an invitation to come back later — but when a thousand
 * clients are turned away at the same moment and all come back after the
 * same fixed delay, they arrive together again. Spread them out: wait longer
 * after each refusal (exponential back-off) and pick a random point under
 * that limit ("full jitter").
 *
 * Build `echoWithRetry(line, options)`:
 * - One attempt is one connection to `host:port` (127.0.0.1 by default): send
 *   `line` with a `\n`, read the first answer line (the kit's `LineBuffer`
 *   cuts the bytes into lines), close.
 * - An answer that starts with `ERR busy`, a connection that fails (for
 *   example ECONNREFUSED while the server restarts) or one closed without an
 *   answer is worth another try. Any other answer — an echo, or another `ERR`
 *   line — is the result: resolve to `{ answer, attempts, delays }`, the
 *   answer without its `\n`.
 * - Before try number k+1, wait `random() * min(maxMs, baseMs * 2 ** (k - 1))`
 *   milliseconds, using `options.sleep(ms)` (a timer by default) and
 *   `options.random()` (Math.random by default); record each delay in
 *   `delays`. No delay after the last try.
 * - After `attempts` tries (5 by default) that all needed another, reject with
 *   `GaveUpError`, whose `lastAnswer` says why the last one failed (the `ERR
 *   busy` line, or the error code).
 * - Bad input throws at the call: `attempts` below 1 or not a whole number
 *   (`RangeError`/`TypeError`), a negative `baseMs` or `maxMs`, a `line` that
 *   holds a `\n` (`TypeError`). `baseMs` is 100 and `maxMs` 2000 by default.
 *
 * Run `npm run exercise -- 05.1` to test, `npm run hint -- 05.1` if stuck.
 */
import { LineBuffer, TOO_LONG } from "pools-by-hand"; // the kit cuts bytes into lines

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

/**
 * Sends `line` and resolves to the server's answer, trying again after a
 * jittered, growing delay while the server is busy or refuses to connect.
 */
export function echoWithRetry(line: string, options: RetryOptions): Promise<RetryResult> {
  throw new Error(`TODO(05.1): check the options, then try ${JSON.stringify(line)} on port ${options.port} until it is answered`);
}
