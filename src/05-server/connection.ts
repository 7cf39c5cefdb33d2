import type { Socket } from "node:net";
import { LineBuffer, TOO_LONG } from "./line-buffer.js";

/**
 * What a connection answers to one line: at once, or later (a line computed on a thread).
 *
 * @example
 * ```ts
 * const echo = (line: Buffer): Answer => line;
 * const slow = (line: Buffer): Answer => pool.apply(upper, [line.toString()]).then((text) => Buffer.from(text));
 * ```
 */
export type Answer = Buffer | Promise<Buffer>;

/**
 * The counters a server keeps over all its connections; each
 * {@link Connection} adds to them.
 *
 * @example
 * ```ts
 * const counters: LineCounters = { linesReceived: 0, linesAnswered: 0, tooLong: 0, idleClosed: 0, forced: 0 };
 * ```
 */
export interface LineCounters {
  /** Complete lines read from clients and accepted for an answer. */
  linesReceived: number;
  /** Answers handed to the socket. After a graceful close, equal to `linesReceived`. */
  linesAnswered: number;
  /** Connections closed because a line passed `maxLineBytes`. */
  tooLong: number;
  /** Connections closed because their client was silent for `idleTimeoutMs`. */
  idleClosed: number;
  /** Connections destroyed at the shutdown deadline, with work unfinished. */
  forced: number;
}

/**
 * The rules a {@link Connection} follows, set by its server.
 *
 * @example
 * ```ts
 * const rules: ConnectionRules = { maxLineBytes: 1024, idleTimeoutMs: 30_000, lingerMs: 1000, answer: (line) => line, counters };
 * ```
 */
export interface ConnectionRules {
  /** The longest line accepted, its `\n` not counted. */
  maxLineBytes: number;
  /** How long a served client may send nothing before it is closed. */
  idleTimeoutMs: number;
  /** After the server's last byte, how long to wait for the client to close its side before destroying the socket. */
  lingerMs: number;
  /** Computes the answer to a line (its `\n` included). */
  answer(line: Buffer): Answer;
  /** Where the connection counts what it did. */
  counters: LineCounters;
}

type State = "waiting" | "serving" | "finishing" | "closing" | "closed";

const isBuffer = (answer: Answer): answer is Buffer => Buffer.isBuffer(answer);

/**
 * One client of the echo server, from the moment it is accepted to the moment
 * its socket is gone. It waits (its socket paused: nothing is read) until the
 * server's pool gives it a slot; then {@link Connection.serve} reads lines and
 * answers each, in order, one at a time.
 *
 * Back-pressure both ways: while an answer is being computed, or while the
 * client does not read what was written, the socket is paused, so a fast
 * sender is slowed by TCP itself and nothing piles up in this process.
 *
 * Every way out ends in one place: the server's last line (if any), then its
 * FIN, then a short *linger* while the client's remaining bytes are read and
 * dropped until it closes too. Destroying a socket that still has unread
 * bytes would send a reset, and a reset can make the client's kernel discard
 * answers it has received but not yet handed to the client.
 *
 * @example
 * ```ts
 * const connection = new Connection(socket, rules);
 * pool.applyAsync((c: Connection) => c.serve(), [connection]); // holds a slot until the socket closes
 * ```
 */
export class Connection {
  readonly #socket: Socket;
  readonly #rules: ConnectionRules;
  readonly #lines: LineBuffer;
  readonly #closed: Promise<void>;
  #state: State = "waiting";
  #pumping = false;
  #computing = false;
  #clientEnded = false;
  #idle: NodeJS.Timeout | undefined;
  #linger: NodeJS.Timeout | undefined;

  /**
   * Takes charge of a socket accepted paused (`pauseOnConnect`), and of its errors.
   *
   * @example
   * ```ts
   * net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => new Connection(socket, rules));
   * ```
   */
  constructor(socket: Socket, rules: ConnectionRules) {
    this.#socket = socket;
    this.#rules = rules;
    this.#lines = new LineBuffer(rules.maxLineBytes);
    // A client that resets or vanishes is this connection's problem only.
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("end", () => this.#onEnd());
    this.#closed = new Promise((resolve) => socket.once("close", resolve)).then(() => this.#onClose());
  }

  /**
   * Resolves once the socket is closed, whichever way.
   *
   * @example
   * ```ts
   * await connection.closed;
   * ```
   */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /**
   * True while the connection waits for a slot.
   *
   * @example
   * ```ts
   * if (connection.waiting) connection.refuse("ERR shutting down\n");
   * ```
   */
  get waiting(): boolean {
    return this.#state === "waiting";
  }

  /**
   * Starts serving: reads lines and answers them until the client leaves, a
   * limit is hit or the server shuts down. Resolves when the socket is
   * closed, so a pool slot running it is held for exactly that long. Does
   * nothing more if the connection was closed while it waited.
   *
   * @example
   * ```ts
   * await connection.serve();
   * ```
   */
  serve(): Promise<void> {
    if (this.#state === "waiting") {
      this.#state = "serving";
      this.#idle = setTimeout(() => this.#onIdle(), this.#rules.idleTimeoutMs).unref();
      this.#socket.resume();
    }
    return this.#closed;
  }

  /**
   * Ends a connection that has no answer coming: sends `line`, then closes.
   * Used for a client refused because the waiting room is full, or still
   * waiting when the server shuts down.
   *
   * @example
   * ```ts
   * connection.refuse("ERR busy: try again later\n");
   * ```
   */
  refuse(line: string): void {
    if (this.#state === "waiting" || this.#state === "serving") this.#close(line);
  }

  /**
   * Graceful shutdown: reads nothing more, answers every complete line
   * already read, then closes. A connection still waiting is refused with
   * `line` instead.
   *
   * @example
   * ```ts
   * connection.shutdown("ERR shutting down\n");
   * await connection.closed;
   * ```
   */
  shutdown(line: string): void {
    if (this.#state === "waiting") return this.refuse(line);
    if (this.#state !== "serving") return;
    this.#state = "finishing";
    this.#socket.pause();
    if (!this.#pumping) this.#close();
  }

  /**
   * Destroys the socket now, whatever is unfinished: the shutdown deadline.
   *
   * @example
   * ```ts
   * connection.destroy();
   * ```
   */
  destroy(): void {
    if (this.#state === "closed") return;
    if (this.#state !== "closing" && this.#state !== "waiting") this.#rules.counters.forced += 1;
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    // Bytes that arrive after the server stopped accepting lines are dropped.
    if (this.#state !== "serving") return;
    this.#idle?.refresh();
    this.#lines.push(chunk);
    void this.#pump();
  }

  #onEnd(): void {
    this.#clientEnded = true;
    // A line cut off by the client's FIN never got its `\n`: it was never a line.
    if (this.#state === "serving" || this.#state === "finishing") {
      if (!this.#pumping) this.#close();
    }
  }

  #onIdle(): void {
    if (this.#state !== "serving") return;
    // Waiting for our own answer is not the client's silence.
    if (this.#computing) return void this.#idle?.refresh();
    this.#rules.counters.idleClosed += 1;
    this.#close(`ERR idle: nothing received for ${this.#rules.idleTimeoutMs} ms\n`);
  }

  /** Answers the complete lines read so far, in order; pauses reading while an answer is outstanding. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    const socket = this.#socket;
    const counters = this.#rules.counters;
    socket.cork(); // many answers to one chunk leave in one write
    try {
      for (let line = this.#lines.next(); line !== undefined; line = this.#lines.next()) {
        if (line === TOO_LONG) {
          counters.tooLong += 1;
          socket.uncork();
          return this.#close(`ERR line too long: more than ${this.#rules.maxLineBytes} bytes\n`);
        }
        counters.linesReceived += 1;
        let answer = this.#answerTo(line);
        if (!isBuffer(answer)) {
          socket.uncork();
          socket.pause();
          this.#computing = true;
          answer = await answer;
          this.#computing = false;
          if (!this.#answering()) return;
          socket.cork();
        }
        const flushed = socket.write(answer);
        counters.linesAnswered += 1;
        if (!flushed) {
          // The client is not reading: stop reading it until it catches up.
          socket.uncork();
          socket.pause();
          await Promise.race([new Promise((resolve) => socket.once("drain", resolve)), this.#closed]);
          if (!this.#answering()) return;
          socket.cork();
        }
      }
      socket.uncork();
    } finally {
      this.#pumping = false;
    }
    if (this.#state === "finishing" || (this.#clientEnded && this.#state === "serving")) this.#close();
    else if (this.#state === "serving") socket.resume();
  }

  // A method, not a field read, because the state changes across awaits.
  #answering(): boolean {
    return this.#state === "serving" || this.#state === "finishing";
  }

  #answerTo(line: Buffer): Answer {
    try {
      const answer = this.#rules.answer(line);
      return isBuffer(answer) ? answer : answer.catch(errorLine);
    } catch (error) {
      return errorLine(error);
    }
  }

  /** The one way out: an optional last line, the FIN, then linger until the client closes too. */
  #close(lastLine?: string): void {
    if (this.#state === "closing" || this.#state === "closed") return;
    this.#state = "closing";
    clearTimeout(this.#idle);
    const socket = this.#socket;
    socket.uncork();
    if (lastLine === undefined) socket.end();
    else socket.end(lastLine);
    socket.resume(); // read (and drop) until the client's FIN
    this.#linger = setTimeout(() => socket.destroy(), this.#rules.lingerMs).unref();
  }

  #onClose(): void {
    this.#state = "closed";
    clearTimeout(this.#idle);
    clearTimeout(this.#linger);
  }
}

function errorLine(error: unknown): Buffer {
  const message = error instanceof Error ? error.message : String(error);
  return Buffer.from(`ERR ${message.replace(/\n/g, " ")}\n`);
}
