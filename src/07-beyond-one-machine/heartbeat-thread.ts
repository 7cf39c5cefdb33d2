/** The heartbeat thread (see heartbeat.ts): beats until told to stop, then deletes its row. */
import { parentPort, workerData } from "node:worker_threads";
import type pg from "pg";
import { connectClient } from "./connection.js";
import { pause } from "./deadline.js";
import type { HeartbeatOptions, HeartbeatReport } from "./heartbeat.js";

const { connectionString, worker, lockIds, intervalMs } = workerData as HeartbeatOptions;
const port = parentPort as NonNullable<typeof parentPort>;
const report = (message: HeartbeatReport) => port.postMessage(message);

let stopping = false;
port.on("message", (message) => {
  if (message === "stop") stopping = true;
});

// An upsert: a recoverer may have deleted the row while the database was out
// of reach; the next beat puts it back.
const BEAT = `
  insert into pools_by_hand.heartbeats (worker, lock_ids, last_seen) values ($1, $2, now())
  on conflict (worker) do update set lock_ids = excluded.lock_ids, last_seen = now()`;

let client: pg.Client | undefined;
let beaten = false;
let failures = 0;
while (!stopping) {
  try {
    client ??= await connectClient(connectionString);
    await client.query(BEAT, [worker, lockIds]);
    if (!beaten) report({ kind: "beating" });
    beaten = true;
    failures = 0;
  } catch (error) {
    // Try again on a fresh connection; say so on the first failure and every tenth.
    if (failures++ % 10 === 0) report({ kind: "error", message: error instanceof Error ? error.message : String(error) });
    await client?.end().catch(() => undefined);
    client = undefined;
  }
  // Short naps, so a stop request is heard at once.
  for (let slept = 0; slept < intervalMs && !stopping; slept += 50) await pause(50);
}

// A clean stop removes the row, so nobody takes this worker for a dead one.
try {
  client ??= await connectClient(connectionString);
  await client.query("delete from pools_by_hand.heartbeats where worker = $1", [worker]);
} catch {
  // A row left behind is harmless: it goes stale, and a recovery pass deletes it.
}
await client?.end().catch(() => undefined);
report({ kind: "stopped" });
