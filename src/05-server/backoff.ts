import { checkTimeout } from "../01-reusable-worker/checks.js";

/**
 * Options of {@link RestartBackoff}.
 *
 * @example
 * ```ts
 * const options: RestartBackoffOptions = { baseMs: 100, maxMs: 10_000, stableMs: 5_000 };
 * ```
 */
export interface RestartBackoffOptions {
  /** The delay after the first quick death; it doubles with each one after. 100 ms by default. */
  baseMs?: number | undefined;
  /** The longest delay. 10 s by default. */
  maxMs?: number | undefined;
  /** A worker that lived this long was healthy: its death is restarted at once and the doubling starts over. 5 s by default. */
  stableMs?: number | undefined;
}

/**
 * How long a supervisor waits before restarting a worker that died. A worker
 * that ran a good while and then died is restarted at once. One that dies
 * soon after starting will most likely die again — a bad configuration, a
 * port it cannot have, a crash on the first request — and restarting it in a
 * tight loop would burn the CPU its siblings need and flood the logs, so each
 * quick death in a row doubles the delay, up to `maxMs`.
 *
 * @example
 * ```ts
 * const backoff = new RestartBackoff({ baseMs: 100, maxMs: 1_000, stableMs: 5_000 });
 * backoff.delayAfter(60_000); // 0: it had been healthy
 * backoff.delayAfter(20);     // 100
 * backoff.delayAfter(20);     // 200
 * backoff.delayAfter(20);     // 400
 * backoff.delayAfter(9_000);  // 0, and the next quick death waits 100 again
 * ```
 */
export class RestartBackoff {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #stableMs: number;
  #quickDeaths = 0;

  /**
   * @throws TypeError or RangeError for an option that is not a number of milliseconds ≥ 0.
   * @example
   * ```ts
   * new RestartBackoff({ maxMs: 30_000 });
   * ```
   */
  constructor(options: RestartBackoffOptions = {}) {
    this.#baseMs = checkTimeout("baseMs", options.baseMs) ?? 100;
    this.#maxMs = checkTimeout("maxMs", options.maxMs) ?? 10_000;
    this.#stableMs = checkTimeout("stableMs", options.stableMs) ?? 5_000;
  }

  /**
   * The delay before restarting a worker that lived `livedMs` milliseconds.
   *
   * @example
   * ```ts
   * setTimeout(restart, backoff.delayAfter(Date.now() - startedAt));
   * ```
   */
  delayAfter(livedMs: number): number {
    if (livedMs >= this.#stableMs) {
      this.#quickDeaths = 0;
      return 0;
    }
    this.#quickDeaths += 1;
    return Math.min(this.#maxMs, this.#baseMs * 2 ** (this.#quickDeaths - 1));
  }
}
