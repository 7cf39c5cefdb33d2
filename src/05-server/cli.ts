/**
 * The command line of chapter 05: `serve` runs the echo server (one process,
 * or a cluster) until SIGINT or SIGTERM; `load` runs the load client against
 * it. `npm run load -- …` and `npm run demo -- 05 serve …` land here.
 */
import { parseArgs } from "node:util";
import { startEchoCluster, type ClusterEvent } from "./cluster.js";
import { startEchoServer, type EchoServerOptions, type HashIn } from "./echo-server.js";
import { formatLoadReport, runLoad } from "./load.js";

const USAGE = `usage:
  serve [--port N] [--host ADDRESS] [--pool-size N] [--max-waiting N] [--max-line-bytes N]
        [--idle-timeout-ms N] [--shutdown-timeout-ms N] [--hash-in threads|event-loop|off]
        [--cluster [--workers N]]
  load  --port N [--host ADDRESS] [--clients N] [--lines N] [--line-bytes N] [--window N] [--timeout-ms N]`;

const number = (value: string | boolean | undefined): number | undefined => (typeof value === "string" ? Number(value) : undefined);

function serverOptions(values: Record<string, string | boolean | undefined>): EchoServerOptions {
  return {
    port: number(values["port"]),
    host: values["host"] as string | undefined,
    poolSize: number(values["pool-size"]),
    maxWaiting: number(values["max-waiting"]),
    maxLineBytes: number(values["max-line-bytes"]),
    idleTimeoutMs: number(values["idle-timeout-ms"]),
    shutdownTimeoutMs: number(values["shutdown-timeout-ms"]),
    hashIn: values["hash-in"] as HashIn | undefined,
  };
}

const SERVE_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "pool-size": { type: "string" },
  "max-waiting": { type: "string" },
  "max-line-bytes": { type: "string" },
  "idle-timeout-ms": { type: "string" },
  "shutdown-timeout-ms": { type: "string" },
  "hash-in": { type: "string" },
  cluster: { type: "boolean" },
  workers: { type: "string" },
} as const;

const LOAD_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  clients: { type: "string" },
  lines: { type: "string" },
  "line-bytes": { type: "string" },
  window: { type: "string" },
  "timeout-ms": { type: "string" },
} as const;

function describeEvent(event: ClusterEvent): string {
  if (event.type === "listening") return `worker ${event.pid} listening`;
  const how = event.signal ?? `code ${event.code}`;
  const next = event.restartInMs === undefined ? "" : `; restarting in ${event.restartInMs} ms`;
  return `worker ${event.pid} exited (${how}) after ${event.livedMs} ms${next}`;
}

/** Waits for SIGINT or SIGTERM, closes gracefully, and resolves to 0; a second signal exits at once with 1. */
function closeOnSignal(close: () => Promise<string>, print: (line: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      print(`${signal}: shutting down (a second signal forces it)`);
      process.removeListener("SIGINT", onSignal).removeListener("SIGTERM", onSignal);
      const force = () => process.exit(1);
      process.once("SIGINT", force).once("SIGTERM", force);
      void close().then((summary) => {
        print(summary);
        resolve(0);
      });
    };
    process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  });
}

async function serve(args: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: SERVE_OPTIONS, strict: true });
  const options = serverOptions(values);
  if (values.cluster) {
    const echo = await startEchoCluster({ ...options, workers: number(values.workers), onEvent: (event) => print(describeEvent(event)) });
    print(`listening on ${echo.host}:${echo.port}: primary ${process.pid}, ${echo.pids().length} workers`);
    return closeOnSignal(() => echo.close().then(() => "closed"), print);
  }
  const server = await startEchoServer(options);
  print(`listening on ${server.host}:${server.port}: pid ${process.pid}`);
  return closeOnSignal(async () => {
    await server.close();
    const { linesReceived, linesAnswered, forced } = server.stats();
    return `closed: ${linesReceived} lines received, ${linesAnswered} answered, ${forced} connections forced`;
  }, print);
}

async function load(args: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: LOAD_OPTIONS, strict: true });
  if (values.port === undefined) throw new TypeError("load needs --port: the port of a running echo server (npm run demo -- 05 serve)");
  const report = await runLoad({
    port: Number(values.port),
    host: values.host,
    clients: number(values.clients),
    lines: number(values.lines),
    lineBytes: number(values["line-bytes"]),
    window: number(values.window),
    timeoutMs: number(values["timeout-ms"]),
  });
  print(formatLoadReport(report));
  return report.errors === 0 ? 0 : 1;
}

/**
 * Runs `serve …` or `load …`; resolves to the exit code: 0 when the server
 * closed gracefully or the load run had no error, 1 when it had, 2 for a
 * command line it cannot use.
 */
export async function runCli(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === "serve") return await serve(args, print);
    if (command === "load") return await load(args, print);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      print(`${error.message}\n${USAGE}`);
      return 2;
    }
    print(`${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  print(USAGE);
  return 2;
}
