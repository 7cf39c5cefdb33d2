/**
 * The raw graphile-worker baseline's worker process (implementations/postgres.ts):
 * graphile-worker and nothing of the kit, one task `raw_double` that writes its
 * value into a table — the least a job can do to give a result back.
 *
 *   node raw-graphile-entry.js URL QUEUE CONCURRENCY   (ready: an IPC message; stop: SIGTERM)
 */
import { Logger, run } from "graphile-worker";

const [connectionString, queue, concurrency] = process.argv.slice(2) as [string, string, string];
const quiet = new Logger(() => (level, message) => {
  if (level === "error") console.error(message);
});
const runner = await run({
  connectionString,
  concurrency: Number(concurrency),
  noHandleSignals: true,
  logger: quiet,
  preset: { worker: { localQueue: { size: -1 } } },
  taskList: {
    [queue]: async (payload, helpers) => {
      const { i, x } = payload as { i: number; x: number };
      await helpers.query("insert into raw_results (i, value) values ($1, $2) on conflict do nothing", [i, 2 * x]);
    },
  },
});
process.send?.("ready");
const stop = () => void runner.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("disconnect", stop);
