import { checkInteger } from "../01-reusable-worker/checks.js";

const NEWLINE = 0x0a;

/**
 * What {@link LineBuffer.next} returns for a line longer than the limit: the
 * server answers it with an error line and closes the connection.
 *
 * @example
 * ```ts
 * if (buffer.next() === TOO_LONG) socket.end("ERR line too long\n");
 * ```
 */
export const TOO_LONG: unique symbol = Symbol("line too long");

/**
 * Cuts a byte stream into lines, each ending in `\n`. TCP delivers bytes, not
 * messages: one chunk may hold many lines, or a piece of one, so the bytes
 * after the last `\n` wait here for the next chunk.
 *
 * Lines are bytes, never decoded, so binary junk and any encoding go through
 * unchanged. A line is handed out as a view of the chunk it arrived in, not a
 * copy; only a line split across chunks is joined.
 *
 * The limit is what makes it safe on a socket: a client that never sends `\n`
 * would otherwise make the buffer grow without end. As soon as the bytes of
 * one line (its `\n` not counted) pass `maxLineBytes`, `next()` returns
 * {@link TOO_LONG} and the buffer keeps nothing more.
 *
 * @example
 * ```ts
 * const lines = new LineBuffer(1024);
 * lines.push(Buffer.from("hello\nwor"));
 * lines.next(); // <Buffer "hello\n">
 * lines.next(); // undefined: "wor" waits for the rest
 * lines.push(Buffer.from("ld\n"));
 * lines.next(); // <Buffer "world\n">
 * ```
 */
export class LineBuffer {
  /** The longest line accepted, in bytes, its `\n` not counted. */
  readonly maxLineBytes: number;
  #buffer: Buffer = Buffer.alloc(0);
  #offset = 0;
  #tooLong = false;

  /**
   * @param maxLineBytes - the longest line accepted, `\n` not counted; at least 1.
   * @throws TypeError or RangeError when `maxLineBytes` is not a whole number ≥ 1.
   * @example
   * ```ts
   * new LineBuffer(64 * 1024);
   * ```
   */
  constructor(maxLineBytes: number) {
    this.maxLineBytes = checkInteger("maxLineBytes", maxLineBytes, 1);
  }

  /**
   * How many bytes wait for their `\n`, complete lines not yet taken included.
   *
   * @example
   * ```ts
   * lines.push(Buffer.from("abc"));
   * lines.pendingBytes; // 3
   * ```
   */
  get pendingBytes(): number {
    return this.#buffer.length - this.#offset;
  }

  /**
   * Adds the bytes of a chunk. After a line was too long, nothing is kept.
   *
   * @example
   * ```ts
   * socket.on("data", (chunk: Buffer) => lines.push(chunk));
   * ```
   */
  push(chunk: Buffer): void {
    if (this.#tooLong) return;
    if (this.#offset === this.#buffer.length) this.#buffer = chunk;
    else this.#buffer = Buffer.concat([this.#buffer.subarray(this.#offset), chunk]);
    this.#offset = 0;
  }

  /**
   * The next complete line with its `\n`; `undefined` when none is complete
   * yet; {@link TOO_LONG}, from then on, once a line passed the limit.
   *
   * @example
   * ```ts
   * for (let line = lines.next(); line !== undefined; line = lines.next()) {
   *   if (line === TOO_LONG) break;
   *   socket.write(line);
   * }
   * ```
   */
  next(): Buffer | typeof TOO_LONG | undefined {
    if (this.#tooLong) return TOO_LONG;
    const end = this.#buffer.indexOf(NEWLINE, this.#offset);
    const length = (end === -1 ? this.#buffer.length : end) - this.#offset;
    if (length > this.maxLineBytes) {
      this.#tooLong = true;
      this.#buffer = Buffer.alloc(0);
      this.#offset = 0;
      return TOO_LONG;
    }
    if (end === -1) return undefined;
    const line = this.#buffer.subarray(this.#offset, end + 1);
    this.#offset = end + 1;
    return line;
  }
}
