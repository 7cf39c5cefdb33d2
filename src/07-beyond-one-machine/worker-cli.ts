#!/usr/bin/env node
/**
 * The worker command: `npm run worker -- --db URL --tasks PATH --concurrency N`.
 * It runs {@link runWorker} until SIGTERM or SIGINT: the first lets the
 * running jobs finish and exits 0; a second exits 1 at once. Bad arguments
 * exit 2; a worker that cannot start (no database, a tasks module that fails
 * to load) exits 3. When it is ready it prints one JSON line on stdout,
 * `{"event":"ready","worker":…,"pid":…,"lockIds":[…]}`, for scripts.
 *
 * Started by a pool (with an IPC channel), it also tells its parent it is
 * ready over that channel, and drains and exits when the channel closes: a
 * pool that dies leaves no worker behind.
 */
import { parseArgs } from "node:util";
import { redact } from "./connection.js";
import { BAD_ARGUMENTS, CANNOT_START } from "./exit-codes.js";
import { runWorker, type RunningWorker } from "./worker.js";

/** What a worker process tells the pool that started it. */
export interface WorkerReady {
  kind: "ready";
  name: string;
  lockIds: readonly string[];
}

const USAGE = `usage: npm run worker -- --db URL --tasks PATH [--concurrency N] [--queue NAME]
                         [--recover-after-ms MS] [--name NAME] [--prefetch N] [--poll-interval-ms MS] [--wait-for-disk]
  --db URL            the Postgres connection string (default: DATABASE_URL)
  --tasks PATH        the compiled module whose exported functions are the tasks
  --concurrency N     the most jobs run at once (default 1)
  --queue NAME        the queue name the callers use (default pools_by_hand)
  --recover-after-ms  release the jobs of a worker silent this long (default 10000)
  --prefetch N        lock up to N jobs ahead (default 0: off)
  --poll-interval-ms  look for due jobs this often besides notifications (default 2000)
  --wait-for-disk     make this worker's commits wait for the disk`;

function fail(message: string): never {
  console.error(`worker: ${message}\n${USAGE}`);
  process.exit(BAD_ARGUMENTS);
}

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) fail(`${flag} must be a whole number, got ${JSON.stringify(text)}`);
  return value;
}

let values: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      db: { type: "string" },
      tasks: { type: "string" },
      concurrency: { type: "string" },
      queue: { type: "string" },
      "recover-after-ms": { type: "string" },
      name: { type: "string" },
      prefetch: { type: "string" },
      "poll-interval-ms": { type: "string" },
      "wait-for-disk": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
}
try {
  values = parse();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.tasks === undefined) fail("--tasks PATH is required");

// Started by a pool (an IPC channel), the worker speaks only of trouble; in a terminal, of what it does.
const say = (line: string) => process.send === undefined && console.error(line);

let worker: RunningWorker;
try {
  worker = await runWorker({
    connectionString: values.db,
    tasks: values.tasks,
    concurrency: integer("--concurrency", values.concurrency),
    queueName: values.queue,
    recoverAfterMs: integer("--recover-after-ms", values["recover-after-ms"]),
    name: values.name,
    prefetch: integer("--prefetch", values.prefetch),
    pollIntervalMs: integer("--poll-interval-ms", values["poll-interval-ms"]),
    waitForDisk: values["wait-for-disk"],
    onRecovery: ({ owners, jobs }) => say(`worker: released ${jobs} job(s) of silent worker(s) ${owners.join(", ")}`),
  });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError || error instanceof RangeError) fail(message);
  console.error(`worker: could not start: ${message}`);
  process.exit(CANNOT_START);
}

let stopping = false;
const stop = (why: string) => {
  if (stopping) {
    console.error(`worker ${worker.name}: ${why} again, leaving now`);
    process.exit(1);
  }
  stopping = true;
  say(`worker ${worker.name}: ${why}: finishing the running jobs…`);
  worker.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`worker ${worker.name}: stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
// Started by a pool: when the pool's process goes, so does this worker.
process.on("disconnect", () => stop("the pool that started it is gone"));
// Ready only once the signals are handled: a SIGTERM sent on seeing this line must find them.
say(`worker ${worker.name}: taking jobs from ${redact(values.db ?? (process.env.DATABASE_URL as string))}`);
console.log(JSON.stringify({ event: "ready", worker: worker.name, pid: process.pid, lockIds: worker.lockIds }));
process.send?.({ kind: "ready", name: worker.name, lockIds: worker.lockIds } satisfies WorkerReady);

worker.done.catch((error: unknown) => {
  console.error(`worker ${worker.name}: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
