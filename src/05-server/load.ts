import { connect, isIP, type Socket } from "node:net";
import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import { inspect } from "node:util";
import { checkInteger } from "../01-reusable-worker/checks.js";
import { LineBuffer, TOO_LONG } from "./line-buffer.js";

/**
 * Options of {@link runLoad}. Every count is bounded, so a typo cannot turn
 * the load client into a flood.
 *
 * @example
 * ```ts
 * const options: LoadOptions = { port: 7000, clients: 200, lines: 100, window: 4, timeoutMs: 10_000 };
 * ```
 */
export interface LoadOptions {
  /** The server's port. */
  port: number;
  /** The server's address; loopback only (`127.x.x.x`, `::1`, `localhost`). `"127.0.0.1"` by default. */
  host?: string | undefined;
  /** Concurrent clients, each on its own connection: 1 to 10 000, 10 by default. */
  clients?: number | undefined;
  /** Lines each client sends: 1 to 1 000 000, 100 by default; at most 10 000 000 in all. */
  lines?: number | undefined;
  /** Bytes per line, its `\n` included: 16 to 65 536, 64 by default. */
  lineBytes?: number | undefined;
  /** Lines a client may have sent and not yet seen answered: 1 (the default) waits for each echo before the next line. */
  window?: number | undefined;
  /** The whole run ends by then, finished or not: up to 10 minutes, 60 s by default. */
  timeoutMs?: number | undefined;
}

/**
 * What a load run measured. Latency is per line: from writing it to reading
 * its echo, so for a client that waited for a slot its first line counts the
 * wait too.
 *
 * @example
 * ```ts
 * const report = await runLoad({ port });
 * report.linesAnswered === report.clients * report.linesPerClient; // nothing lost
 * ```
 */
export interface LoadReport {
  /** The server's address and port, as given. */
  host: string;
  port: number;
  /** The run's shape, as given (the window no larger than the lines). */
  clients: number;
  linesPerClient: number;
  lineBytes: number;
  window: number;
  /** Lines written to the server. */
  linesSent: number;
  /** Lines echoed back byte for byte. */
  linesAnswered: number;
  /** From the first connect to the last close. */
  seconds: number;
  /** `linesAnswered / seconds`. */
  linesPerSecond: number;
  /** Per-line latency percentiles, in milliseconds (0 when no line was answered). */
  latencyMs: { p50: number; p99: number; max: number };
  /** Clients that ended with an error. */
  errors: number;
  /** How many clients ended with each kind of error. */
  errorKinds: Record<string, number>;
  /** The first few errors, one sentence each. */
  errorSamples: string[];
}

/** Why a client stopped early. */
interface ClientError {
  kind: "connect" | "busy" | "server error" | "mismatch" | "closed early" | "reset" | "timeout";
  message: string;
}

interface ClientResult {
  sent: number;
  answered: number;
  error?: ClientError | undefined;
}

interface Settings {
  host: string;
  port: number;
  clients: number;
  lines: number;
  lineBytes: number;
  window: number;
  timeoutMs: number;
}

const FILLER = "abcdefghijklmnopqrstuvwxyz0123456789";
const SAMPLES = 5;

function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

function settingsOf(options: LoadOptions): Settings {
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object, got ${inspect(options, { depth: 0 })}`);
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || !isLoopback(host)) {
    throw new RangeError(`the load client only talks to this machine: host must be a loopback address (127.x.x.x, ::1, localhost), got ${inspect(host)}`);
  }
  const port = checkInteger("port", options.port, 1);
  if (port > 65535) throw new RangeError(`port must be at most 65535, got ${port}`);
  const clients = checkInteger("clients", options.clients ?? 10, 1);
  const lines = checkInteger("lines", options.lines ?? 100, 1);
  const lineBytes = checkInteger("lineBytes", options.lineBytes ?? 64, 16);
  const window = checkInteger("window", options.window ?? 1, 1);
  const timeoutMs = checkInteger("timeoutMs", options.timeoutMs ?? 60_000, 1);
  if (clients > 10_000) throw new RangeError(`clients must be at most 10000, got ${clients}`);
  if (lines > 1_000_000) throw new RangeError(`lines must be at most 1000000, got ${lines}`);
  if (clients * lines > 10_000_000) throw new RangeError(`clients × lines must be at most 10000000, got ${clients * lines}`);
  if (lineBytes > 65_536) throw new RangeError(`lineBytes must be at most 65536, got ${lineBytes}`);
  if (timeoutMs > 600_000) throw new RangeError(`timeoutMs must be at most 600000 (10 minutes), got ${timeoutMs}`);
  return { host, port, clients, lines, lineBytes, window: Math.min(window, lines), timeoutMs };
}

/** Line `index` of client `client`: unique, exactly `bytes` long with its `\n`. */
function lineFor(client: number, index: number, bytes: number): Buffer {
  const text = `${client} ${index} ${FILLER.repeat(Math.ceil(bytes / FILLER.length))}`;
  return Buffer.from(`${text.slice(0, bytes - 1)}\n`, "latin1");
}

function preview(line: Buffer): string {
  const text = line.toString("latin1").replace(/\n$/, "");
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** One client: connects, keeps up to `window` lines in flight, checks every echo. */
function runClient(client: number, settings: Settings, latency: RecordableHistogram, sockets: Set<Socket>): Promise<ClientResult> {
  return new Promise((resolve) => {
    const result: ClientResult = { sent: 0, answered: 0 };
    // The lines in flight, to compare the echoes with, and when each was sent.
    const inFlight: Buffer[] = new Array<Buffer>(settings.window);
    const sentAt = new Float64Array(settings.window);
    // Server error lines may be longer than the client's own lines.
    const lines = new LineBuffer(Math.max(settings.lineBytes, 1024));
    const socket = connect({ host: settings.host, port: settings.port, noDelay: true });
    sockets.add(socket);
    let connected = false;
    const fail = (kind: ClientError["kind"], message: string) => {
      result.error ??= { kind, message: `client ${client}: ${message}` };
      socket.destroy();
    };
    const sendMore = () => {
      socket.cork();
      while (result.sent < settings.lines && result.sent - result.answered < settings.window) {
        const line = lineFor(client, result.sent, settings.lineBytes);
        inFlight[result.sent % settings.window] = line;
        sentAt[result.sent % settings.window] = performance.now();
        socket.write(line);
        result.sent += 1;
      }
      socket.uncork();
    };
    socket.on("connect", () => {
      connected = true;
      sendMore();
    });
    socket.on("data", (chunk: Buffer) => {
      lines.push(chunk);
      for (let line = lines.next(); line !== undefined && !result.error; line = lines.next()) {
        const slot = result.answered % settings.window;
        const expected = inFlight[slot] as Buffer;
        if (line === TOO_LONG) return fail("mismatch", `line ${result.answered}: an answer longer than any line sent`);
        if (result.answered >= result.sent || !line.equals(expected)) {
          const said = line.toString("latin1");
          if (said.startsWith("ERR busy")) return fail("busy", `refused: ${preview(line)}`);
          if (said.startsWith("ERR ")) return fail("server error", `line ${result.answered}: the server said ${preview(line)}`);
          return fail("mismatch", `line ${result.answered}: expected ${preview(expected)}, got ${preview(line)}`);
        }
        latency.record(Math.max(1, Math.round((performance.now() - (sentAt[slot] as number)) * 1e6)));
        result.answered += 1;
      }
      if (result.error) return;
      if (result.answered === settings.lines) socket.end();
      else sendMore();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => fail(connected ? "reset" : "connect", `${error.code ?? error.message}`));
    socket.on("close", () => {
      sockets.delete(socket);
      if (!result.error && result.answered < settings.lines) {
        result.error = { kind: "closed early", message: `client ${client}: the server closed after ${result.answered} of ${settings.lines} lines` };
      }
      resolve(result);
    });
  });
}

/**
 * Runs `clients` concurrent clients against an echo server on this machine.
 * Each sends `lines` lines of `lineBytes` bytes, keeps at most `window` of
 * them unanswered, and checks every echo byte for byte against what it sent;
 * the first wrong byte, error line or early close ends that client and is
 * counted, and the others go on.
 *
 * @param options - see {@link LoadOptions}; only `port` is required.
 * @returns the report: lines per second, p50/p99 latency, errors by kind.
 * @throws RangeError, at the call, for a host that is not loopback or a count
 *   out of bounds; TypeError for an option of the wrong type.
 * @example
 * ```ts
 * const report = await runLoad({ port: server.port, clients: 200, lines: 100 });
 * console.log(formatLoadReport(report));
 * ```
 */
export function runLoad(options: LoadOptions): Promise<LoadReport> {
  const settings = settingsOf(options);
  return run(settings);
}

async function run(settings: Settings): Promise<LoadReport> {
  const latency = createHistogram();
  const sockets = new Set<Socket>();
  const started = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    for (const socket of sockets) socket.destroy();
  }, settings.timeoutMs);
  const results = await Promise.all(Array.from({ length: settings.clients }, (_, client) => runClient(client, settings, latency, sockets)));
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const errorKinds: Record<string, number> = {};
  const errorSamples: string[] = [];
  let linesSent = 0;
  let linesAnswered = 0;
  for (const result of results) {
    linesSent += result.sent;
    linesAnswered += result.answered;
    let error = result.error;
    if (timedOut && result.answered < settings.lines) error = { kind: "timeout", message: `${error?.message ?? "a client"}: stopped at ${settings.timeoutMs} ms` };
    if (!error) continue;
    errorKinds[error.kind] = (errorKinds[error.kind] ?? 0) + 1;
    if (errorSamples.length < SAMPLES) errorSamples.push(error.message);
  }
  const ms = (ns: number) => (latency.count === 0 ? 0 : ns / 1e6);
  return {
    host: settings.host,
    port: settings.port,
    clients: settings.clients,
    linesPerClient: settings.lines,
    lineBytes: settings.lineBytes,
    window: settings.window,
    linesSent,
    linesAnswered,
    seconds,
    linesPerSecond: seconds > 0 ? linesAnswered / seconds : 0,
    latencyMs: { p50: ms(latency.percentile(50)), p99: ms(latency.percentile(99)), max: ms(latency.max) },
    errors: Object.values(errorKinds).reduce((sum, n) => sum + n, 0),
    errorKinds,
    errorSamples,
  };
}

const figure = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const millis = (value: number) => (value < 10 ? figure(value, 2) : figure(value, 1));

/**
 * The report as a few lines of text, as `npm run load` prints it.
 *
 * @example
 * ```ts
 * console.log(formatLoadReport(await runLoad({ port })));
 * // 10 clients × 100 lines of 64 bytes (1 in flight each) → 127.0.0.1:7000
 * //   1,000 of 1,000 lines echoed intact in 0.08 s: 12,500 lines/s
 * //   latency per line: p50 0.52 ms · p99 2.10 ms · max 4.31 ms
 * //   errors: none
 * ```
 */
export function formatLoadReport(report: LoadReport): string {
  const total = report.clients * report.linesPerClient;
  const lines = [
    `${figure(report.clients)} clients × ${figure(report.linesPerClient)} lines of ${report.lineBytes} bytes (${report.window} in flight each) → ${report.host}:${report.port}`,
    `  ${figure(report.linesAnswered)} of ${figure(total)} lines echoed intact in ${figure(report.seconds, 2)} s: ${figure(report.linesPerSecond)} lines/s`,
    `  latency per line: p50 ${millis(report.latencyMs.p50)} ms · p99 ${millis(report.latencyMs.p99)} ms · max ${millis(report.latencyMs.max)} ms`,
  ];
  if (report.errors === 0) lines.push("  errors: none");
  else {
    const kinds = Object.entries(report.errorKinds).map(([kind, count]) => `${count} ${kind}`);
    lines.push(`  errors: ${report.errors} clients (${kinds.join(", ")})`, ...report.errorSamples.map((sample) => `    ${sample}`));
  }
  return lines.join("\n");
}
