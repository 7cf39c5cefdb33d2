import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { availableParallelism } from "node:os";
import { inspect } from "node:util";
import { checkInteger, checkTimeout } from "../01-reusable-worker/checks.js";
import { Pool } from "../03-results/index.js";
import "../04-threads-and-processes/index.js"; // registers runIn: "threads"
import { Connection, type Answer, type LineCounters } from "./connection.js";
import { iteratedHash } from "./tasks.js";

/**
 * Where the server computes a `hash <rounds> [seed]` line: `"threads"` on a
 * pool of worker threads (the default), `"event-loop"` right in the loop
 * (blocking every other client of this process while it runs: the chapter's
 * demonstration), or `"off"`, where such a line is echoed like any other.
 *
 * @example
 * ```ts
 * const hashIn: HashIn = "threads";
 * ```
 */
export type HashIn = "threads" | "event-loop" | "off";

/**
 * Options of {@link startEchoServer}. Every limit has a safe default.
 *
 * @example
 * ```ts
 * const options: EchoServerOptions = { port: 7000, poolSize: 100, maxWaiting: 200, idleTimeoutMs: 10_000 };
 * ```
 */
export interface EchoServerOptions {
  /** The TCP port; 0 (the default) lets the system choose one, read it from `port` afterwards. */
  port?: number | undefined;
  /** The address to listen on: `"127.0.0.1"` unless told otherwise, so nothing outside this machine can connect. */
  host?: string | undefined;
  /** How many connections are served at once (the connection pool's size); 256 by default. */
  poolSize?: number | undefined;
  /** How many more may wait for a slot; a client beyond that gets `ERR busy…` and is closed. 1024 by default. */
  maxWaiting?: number | undefined;
  /** The longest line accepted, its `\n` not counted; a longer one gets `ERR line too long…` and the connection closes. 64 KiB by default. */
  maxLineBytes?: number | undefined;
  /** A serving client that sends nothing for this long gets `ERR idle…` and is closed. 30 s by default. */
  idleTimeoutMs?: number | undefined;
  /** How long `close()` lets connections finish their lines before destroying the rest. 5 s by default. */
  shutdownTimeoutMs?: number | undefined;
  /** After the server's last byte, how long it waits for the client to close its side. 1 s by default. */
  lingerMs?: number | undefined;
  /** Where `hash` lines are computed; `"threads"` by default. */
  hashIn?: HashIn | undefined;
  /** Threads of the hash pool, started at the first `hash` line; the number of CPUs by default. */
  hashPoolSize?: number | undefined;
  /** The most rounds one `hash` line may ask for; 2 000 000 (about 3 s here) by default. */
  maxHashRounds?: number | undefined;
}

/**
 * What a running server has done so far.
 *
 * @example
 * ```ts
 * const { linesReceived, linesAnswered } = server.stats();
 * ```
 */
export interface EchoServerStats extends LineCounters {
  /** Connections accepted by the listening socket, refused ones included. */
  accepted: number;
  /** Connections turned away with `ERR busy…` because the waiting room was full. */
  refused: number;
  /** Connections holding a slot now. */
  serving: number;
  /** Connections waiting for a slot now. */
  waiting: number;
}

/**
 * A running echo server, as {@link startEchoServer} resolves it.
 *
 * @example
 * ```ts
 * const server = await startEchoServer();
 * console.log(`listening on ${server.host}:${server.port}`);
 * await server.close();
 * ```
 */
export interface EchoServer {
  /** The port it listens on (the one the system chose, for port 0); still readable after `close()`. */
  readonly port: number;
  /** The address it listens on. */
  readonly host: string;
  /** A snapshot of its counters. */
  stats(): EchoServerStats;
  /**
   * Graceful shutdown: stops accepting, refuses the waiting clients with
   * `ERR shutting down`, answers every line already read from the serving
   * ones, then closes every socket; at `shutdownTimeoutMs` it destroys what
   * is left. Resolves once every socket and thread is gone. Calling it again
   * returns the same promise.
   */
  close(): Promise<void>;
}

/** Every option of an echo server, checked, with its default filled in. */
export interface Settings {
  port: number;
  host: string;
  poolSize: number;
  maxWaiting: number;
  maxLineBytes: number;
  idleTimeoutMs: number;
  shutdownTimeoutMs: number;
  lingerMs: number;
  hashIn: HashIn;
  hashPoolSize: number;
  maxHashRounds: number;
}

const HASH_PREFIX = "hash ";

function checkMs(name: string, value: unknown, fallback: number): number {
  return checkTimeout(name, value) ?? fallback;
}

/**
 * Checks every option of {@link startEchoServer} and fills in the defaults;
 * the cluster's primary calls it too, so a bad option fails at its call and
 * not in every worker.
 */
export function serverSettings(options: EchoServerOptions): Settings {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${inspect(options, { depth: 0 })}`);
  }
  const { host = "127.0.0.1", hashIn = "threads" } = options;
  if (typeof host !== "string" || host === "") throw new TypeError(`host must be a non-empty string, got ${inspect(host, { depth: 0 })}`);
  if (!["threads", "event-loop", "off"].includes(hashIn)) {
    throw new RangeError(`hashIn must be "threads", "event-loop" or "off", got ${inspect(hashIn, { depth: 0 })}`);
  }
  const port = checkInteger("port", options.port ?? 0, 0);
  if (port > 65535) throw new RangeError(`port must be at most 65535, got ${port}`);
  return {
    port,
    host,
    poolSize: checkInteger("poolSize", options.poolSize ?? 256, 1),
    maxWaiting: checkInteger("maxWaiting", options.maxWaiting ?? 1024, 0),
    maxLineBytes: checkInteger("maxLineBytes", options.maxLineBytes ?? 64 * 1024, 1),
    idleTimeoutMs: checkMs("idleTimeoutMs", options.idleTimeoutMs, 30_000),
    shutdownTimeoutMs: checkMs("shutdownTimeoutMs", options.shutdownTimeoutMs, 5_000),
    lingerMs: checkMs("lingerMs", options.lingerMs, 1_000),
    hashIn,
    hashPoolSize: checkInteger("hashPoolSize", options.hashPoolSize ?? availableParallelism(), 1),
    maxHashRounds: checkInteger("maxHashRounds", options.maxHashRounds ?? 2_000_000, 1),
  };
}

/** The slot a connection holds in the pool: exactly as long as its socket lives. */
function serveConnection(connection: Connection): Promise<void> {
  return connection.serve();
}

/**
 * The server behind {@link startEchoServer}: the accept loop on this thread,
 * a kit {@link 03-results!Pool} on the event loop whose slots are
 * connections, and a second `Pool` on worker threads for the `hash` lines.
 */
class PooledEchoServer implements EchoServer {
  readonly host: string;
  #settings: Settings;
  #net: Server;
  #connections = new Set<Connection>();
  #pool: Pool;
  #hashPool: Pool | undefined;
  #counters = { accepted: 0, refused: 0, linesReceived: 0, linesAnswered: 0, tooLong: 0, idleClosed: 0, forced: 0 };
  #closing: Promise<void> | undefined;

  constructor(settings: Settings) {
    this.#settings = settings;
    this.host = settings.host;
    this.#pool = new Pool(settings.poolSize);
    // Paused on accept: a waiting client's bytes stay in the kernel until it has a slot.
    // Half-open: a client that sends its last line and its FIN still gets every answer.
    this.#net = createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (socket) => this.#accept(socket));
  }

  /** The port it listened on: still known after `close()`, to start a successor on it. */
  port = 0;

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#net.once("error", reject);
      this.#net.listen(this.#settings.port, this.#settings.host, () => {
        this.#net.off("error", reject);
        this.port = (this.#net.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  stats(): EchoServerStats {
    let waiting = 0;
    for (const connection of this.#connections) if (connection.waiting) waiting += 1;
    return { ...this.#counters, serving: this.#connections.size - waiting, waiting };
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  #accept(socket: Socket): void {
    this.#counters.accepted += 1;
    const settings = this.#settings;
    const connection = new Connection(socket, {
      maxLineBytes: settings.maxLineBytes,
      idleTimeoutMs: settings.idleTimeoutMs,
      lingerMs: settings.lingerMs,
      answer: (line) => this.#answer(line),
      counters: this.#counters,
    });
    if (this.#connections.size >= settings.poolSize + settings.maxWaiting) {
      this.#counters.refused += 1;
      connection.refuse(`ERR busy: ${settings.poolSize} clients served and ${settings.maxWaiting} waiting; try again later\n`);
      return;
    }
    this.#connections.add(connection);
    void connection.closed.then(() => this.#connections.delete(connection));
    this.#pool.applyAsync(serveConnection, [connection]);
  }

  #answer(line: Buffer): Answer {
    if (this.#settings.hashIn === "off" || !line.toString("latin1", 0, HASH_PREFIX.length).startsWith(HASH_PREFIX)) return line;
    const [rounds = "", seed = ""] = line.toString("utf8", HASH_PREFIX.length).trim().split(/\s+/, 2);
    const count = Number(rounds);
    const max = this.#settings.maxHashRounds;
    if (!/^\d+$/.test(rounds) || count < 1 || count > max) {
      return Buffer.from(`ERR hash needs a number of rounds from 1 to ${max}, got ${JSON.stringify(rounds)}\n`);
    }
    if (this.#settings.hashIn === "event-loop") return Buffer.from(`${iteratedHash(count, seed)}\n`);
    this.#hashPool ??= new Pool(this.#settings.hashPoolSize, { runIn: "threads", tasks: new URL("./tasks.js", import.meta.url) });
    return this.#hashPool.apply(iteratedHash, [count, seed]).then((hex) => Buffer.from(`${hex}\n`));
  }

  async #shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#net.close(() => resolve()));
    for (const connection of this.#connections) connection.shutdown("ERR shutting down\n");
    this.#pool.close();
    let deadline: NodeJS.Timeout | undefined;
    const forced = new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, this.#settings.shutdownTimeoutMs);
    });
    await Promise.race([this.#pool.join(), forced]);
    clearTimeout(deadline);
    // Past the deadline: whatever is left is destroyed, its hashes abandoned.
    for (const connection of this.#connections) connection.destroy();
    if (this.#hashPool) await this.#hashPool.terminate();
    await this.#pool.join();
    await closed;
  }
}

/**
 * Starts a line-based TCP echo server: every line a client sends (bytes up to
 * and including `\n`) comes back to it unchanged, in order. Seed 002's
 * servers, with what production needs and the seed left out.
 *
 * **A pool bounds the connections.** The accept loop runs here, on the main
 * thread. Each accepted connection becomes a task of a kit
 * {@link 03-results!Pool} of `poolSize` slots on the event loop, and holds its
 * slot until its socket closes — seed 002's `ThreadPool(10)` handing each
 * accepted socket to `apply_async`, without a thread per connection: waiting
 * on a socket costs the event loop nothing. So at most `poolSize` clients are
 * served at once; the next `maxWaiting` wait their turn, accepted but unread;
 * one more is answered `ERR busy…` and closed at once. Answering beats
 * refusing silently (a closed listen queue, Node's `maxConnections`): the
 * client learns why, and that trying later makes sense.
 *
 * **Limits.** A line longer than `maxLineBytes`: `ERR line too long…`, then the
 * connection closes. A serving client silent for `idleTimeoutMs`:
 * `ERR idle…`, then it closes. Each limit ends one connection; the others are
 * served on.
 *
 * **CPU-heavy lines.** `hash <rounds> [seed]` is answered with the hex digest of
 * SHA-256 applied `rounds` times ({@link iteratedHash}). On the event loop it
 * would stop every other client of the process; by default it runs on a
 * second `Pool` with `runIn: "threads"` (chapter 04), and the loop stays free.
 *
 * **Shutdown.** `close()` is graceful, with a deadline (see {@link EchoServer.close}).
 *
 * @param options - see {@link EchoServerOptions}; none is required.
 * @returns a promise of the running server, resolved once it listens.
 * @throws TypeError or RangeError, at the call, for an option of the wrong
 *   type or out of range; the promise rejects if the port cannot be had.
 * @example
 * ```ts
 * const server = await startEchoServer({ poolSize: 100, maxWaiting: 100 });
 * // $ nc 127.0.0.1 <server.port>   then type: hello ↵  → hello
 * process.once("SIGTERM", () => void server.close());
 * ```
 */
export function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const server = new PooledEchoServer(serverSettings(options));
  return server.listen().then(() => server);
}
