/**
 * Chapter 07's demo: the pool's queue in Postgres, two worker processes
 * sharing it, one of them SIGKILLed in the middle of a `map` of 1,000 tasks —
 * and every task still settles, once.
 *
 *   npm run demo -- 07
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "../03-results/index.js";
import { work } from "./demo-tasks.js";
import { isAlive } from "./embedded-server.js";
import { startPostgres, startWorkerProcess, type WorkerProcess } from "./index.js";

const TASKS = 1_000;
const TASK_MS = 10;
const CHUNK = 25;
const CONCURRENCY = 2;
const RECOVER_AFTER_MS = 2_000;
const KILL_AT_MS = 1_000;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const count = (n: number) => n.toLocaleString("en-US");

/** [0, 1, 2, 5, 6] → "0–2, 5–6" */
function ranges(numbers: readonly number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j += 1;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

const scratch = await mkdtemp(join(tmpdir(), "pools-by-hand-demo-"));
const log = join(scratch, "runs.log");
const tasks = new URL("./demo-tasks.js", import.meta.url);
let started = performance.now();
const db = await startPostgres();
console.log(
  `Postgres ready in ${seconds(performance.now() - started)} (initdb ${seconds(db.timings.initdbMs)}, start ${seconds(db.timings.startMs)}), ` +
    `on 127.0.0.1:${db.port}`,
);

const workers: WorkerProcess[] = [];
const pool = new Pool(0, { runIn: "postgres", connectionString: db.connectionString, tasks, recoverAfterMs: RECOVER_AFTER_MS });
try {
  for (const name of ["A", "B"]) {
    const worker = await startWorkerProcess({ connectionString: db.connectionString, tasks, concurrency: CONCURRENCY, recoverAfterMs: RECOVER_AFTER_MS });
    workers.push(worker);
    console.log(`worker ${name}: pid ${worker.pid}, ${CONCURRENCY} tasks at a time`);
  }
  const [a, b] = workers as [WorkerProcess, WorkerProcess];
  const name = (pid: number) => (pid === a.pid ? "A" : pid === b.pid ? "B" : `pid ${pid}`);

  console.log(`\nmap(work, 0…${TASKS - 1}): ${count(TASKS)} tasks of ${TASK_MS} ms, ${TASKS / CHUNK} jobs of ${CHUNK}; a silent worker's jobs are recovered after ${seconds(RECOVER_AFTER_MS)}`);
  started = performance.now();
  const all = pool.starmap(work, Array.from({ length: TASKS }, (_, i) => [i, TASK_MS, log] as [number, number, string]), CHUNK);
  all.catch(() => undefined); // awaited below
  await new Promise((resolve) => setTimeout(resolve, KILL_AT_MS));
  await a.kill();
  const killedAt = Date.now();
  const killedAfter = performance.now() - started;
  console.log(`  ${seconds(killedAfter).padStart(7)}  SIGKILL worker A`);
  const results = await all;
  const doneAfter = performance.now() - started;

  // Every run of every task, from the log: who ran it, and when.
  const runs = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(" ").map(Number) as [number, number, number]);
  const byTask = new Map<number, [number, number][]>();
  for (const [pid, i, at] of runs) byTask.set(i, [...(byTask.get(i) ?? []), [pid, at]]);
  const twice = [...byTask].filter(([, its]) => its.length > 1).map(([i]) => i);
  const reruns = twice.flatMap((i) => (byTask.get(i) as [number, number][]).filter(([pid]) => pid !== a.pid).map(([, at]) => at));
  const recoveredAt = Math.min(...reruns);
  if (reruns.length > 0) console.log(`  ${seconds(killedAfter + recoveredAt - killedAt).padStart(7)}  worker B takes A's unfinished jobs again`);
  console.log(`  ${seconds(doneAfter).padStart(7)}  all results in`);

  const correct = results.length === TASKS && results.every((r, i) => r.i === i && r.square === i * i);
  console.log(`\n${count(results.length)} results, one per task, all correct and in input order: ${correct ? "yes" : "NO"}`);
  console.log("whose result each task has:");
  for (const pid of [a.pid, b.pid]) {
    const mine = results.filter((r) => r.pid === pid).map((r) => r.i);
    console.log(`  ${name(pid)}${pid === a.pid ? " (killed)" : "         "} pid ${pid}: ${String(mine.length).padStart(4)} tasks: ${ranges(mine)}`);
  }
  console.log(`runs logged: ${count(runs.length)} for ${count(byTask.size)} tasks`);
  console.log(`ran twice: ${twice.length} tasks${twice.length ? `, ${ranges(twice)}: started by A before the kill, run again by B` : ""}`);
  if (reruns.length > 0) console.log(`from the kill to recovery: ${seconds(recoveredAt - killedAt)} to the first re-run, ${seconds(doneAfter - killedAfter)} until the last result`);
  if (!correct || byTask.size !== TASKS) process.exitCode = 1;
} finally {
  pool.close();
  await pool.join();
  await Promise.all(workers.map((worker) => worker.stop()));
  await db.stop();
  await rm(scratch, { recursive: true, force: true });
}

const left = [...workers.map((w) => w.pid), db.supervisorPid, db.postmasterPid].filter(isAlive);
console.log(left.length === 0 ? "left behind: no Postgres, supervisor or worker process" : `LEFT BEHIND: pids ${left.join(", ")}`);
if (left.length > 0) process.exitCode = 1;
