import { Fifo } from "../01-reusable-worker/fifo.js";
import type { Outcome } from "./async-result.js";

/**
 * The async iterator behind `imap` and `imapUnordered`. Chunks of results
 * arrive as their jobs finish; the stream hands out their items either in
 * input order (holding back later chunks until the earlier ones arrive) or in
 * the order the chunks finished.
 *
 * A chunk that failed makes one `next()` reject with its error, at its
 * position; calling `next()` again carries on with the following chunk, as
 * Python's `imap` does (python-semantics item 64). A `for await` loop stops at
 * the first rejection, so use `next()` directly to read past a failure.
 *
 * @typeParam R - the type of each item's value.
 * @example
 * ```ts
 * const stream = new ResultStream<number>("input order");
 * stream.expect(2);
 * stream.deliver(1, { ok: true, value: [30, 40] });
 * stream.deliver(0, { ok: true, value: [10, 20] });
 * for await (const value of stream) console.log(value); // 10, 20, 30, 40
 * ```
 */
export class ResultStream<R> implements AsyncIterableIterator<R> {
  #order: "input order" | "completion order";
  #early = new Map<number, Outcome<R[]>>();
  #nextChunk = 0;
  #expected: number | undefined;
  #delivered = 0;
  #inputError: { error: unknown } | undefined;
  #ready = new Fifo<Outcome<R>>();
  #readers = new Fifo<{ resolve(result: IteratorResult<R>): void; reject(error: unknown): void }>();

  /**
   * @example
   * ```ts
   * new ResultStream<string>("completion order");
   * ```
   */
  constructor(order: "input order" | "completion order") {
    this.#order = order;
  }

  /**
   * Says how many chunks there will be, once the input has been read; if
   * reading the input failed after those chunks, `inputError` comes last.
   *
   * @example
   * ```ts
   * stream.expect(3);
   * ```
   */
  expect(chunks: number, inputError?: { error: unknown }): void {
    this.#expected = chunks;
    this.#inputError = inputError;
    this.#flush();
  }

  /**
   * Hands over the outcome of chunk number `index` (counted from 0).
   *
   * @example
   * ```ts
   * stream.deliver(0, { ok: false, error: new Error("chunk 0 failed") });
   * ```
   */
  deliver(index: number, outcome: Outcome<R[]>): void {
    if (this.#order === "completion order") this.#release(outcome);
    else {
      this.#early.set(index, outcome);
      for (let next = this.#early.get(this.#nextChunk); next; next = this.#early.get(this.#nextChunk)) {
        this.#early.delete(this.#nextChunk);
        this.#nextChunk += 1;
        this.#release(next);
      }
    }
    this.#flush();
  }

  /**
   * The next value, a rejection for a failed chunk, or `done` after the last.
   *
   * @example
   * ```ts
   * const { value, done } = await stream.next();
   * ```
   */
  next(): Promise<IteratorResult<R>> {
    return new Promise((resolve, reject) => {
      this.#readers.push({ resolve, reject });
      this.#flush();
    });
  }

  /**
   * Makes the stream usable in `for await`.
   *
   * @example
   * ```ts
   * for await (const value of stream) console.log(value);
   * ```
   */
  [Symbol.asyncIterator](): this {
    return this;
  }

  #release(outcome: Outcome<R[]>): void {
    this.#delivered += 1;
    if (outcome.ok) for (const value of outcome.value) this.#ready.push({ ok: true, value });
    else this.#ready.push(outcome);
  }

  /** Answers waiting readers with what is ready, or with the end once everything is. */
  #flush(): void {
    while (this.#readers.size > 0) {
      const outcome = this.#ready.shift();
      if (outcome === undefined && this.#expected === this.#delivered && this.#inputError) {
        const { error } = this.#inputError;
        this.#inputError = undefined;
        (this.#readers.shift() as { reject(error: unknown): void }).reject(error);
        continue;
      }
      if (outcome === undefined && this.#expected !== this.#delivered) return;
      const reader = this.#readers.shift() as { resolve(r: IteratorResult<R>): void; reject(e: unknown): void };
      if (outcome === undefined) reader.resolve({ done: true, value: undefined });
      else if (outcome.ok) reader.resolve({ done: false, value: outcome.value });
      else reader.reject(outcome.error);
    }
  }
}
