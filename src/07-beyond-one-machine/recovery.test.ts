import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { sleep, within } from "../../testkit/index.js";
import { Pool } from "../03-results/index.js";
import { until } from "./fixtures/until.js";
import { killMyself, recorded, recordedSpin, slowSquare, square } from "./fixtures/tasks.js";
import {
  AttemptsExhaustedError,
  createPgPool,
  migrate,
  startPostgres,
  startWorkerProcess,
  type RunningPostgres,
  type WorkerProcess,
  type WorkerProcessOptions,
} from "./index.js";

const TASKS = new URL("./fixtures/tasks.js", import.meta.url);
const WINDOW = 1_000;
let db: RunningPostgres;
let sql: pg.Pool;
let scratch: string;
const workers: WorkerProcess[] = [];
const pools: Pool[] = [];

before(async () => {
  db = await within(startPostgres(), "startPostgres()", 60_000);
  sql = createPgPool(db.connectionString, 2);
  await migrate(sql, db.connectionString);
  scratch = await mkdtemp(join(tmpdir(), "pbh-recovery-"));
});
after(async () => {
  await Promise.all(pools.map((pool) => pool.terminate()));
  await Promise.all(workers.map((worker) => worker.kill()));
  await sql?.end();
  await db?.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function worker(options: Partial<WorkerProcessOptions> = {}): Promise<WorkerProcess> {
  const started = await within(
    startWorkerProcess({ connectionString: db.connectionString, tasks: TASKS, recoverAfterMs: WINDOW, ...options }),
    "a worker process",
    30_000,
  );
  workers.push(started);
  return started;
}

function makePool(size: number, options: object): Pool {
  const pool = new Pool(size, { runIn: "postgres", connectionString: db.connectionString, tasks: TASKS, recoverAfterMs: WINDOW, ...options });
  pools.push(pool);
  return pool;
}

/** The log's lines as [pid, tag] pairs: one per run of a task. */
function runs(log: string): [number, number][] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ").map(Number) as [number, number]);
}

describe("crashes: at-least-once delivery, exactly one settlement", () => {
  test("a worker SIGKILLed mid-task: its task runs again elsewhere, and every result settles once, right", async () => {
    const [a, b] = [await worker({ queueName: "crash" }), await worker({ queueName: "crash" })] as [WorkerProcess, WorkerProcess];
    const pool = makePool(0, { queueName: "crash" });
    const log = join(scratch, "crash.log");
    const results = Array.from({ length: 12 }, (_, tag) => pool.applyAsync(recorded, [log, tag, 300]));
    // Kill A the moment it starts its second task: that task is surely running.
    await until(() => runs(log).filter(([pid]) => pid === a.pid).length >= 2, "worker A to start its second task");
    await a.kill();
    const [, victim] = runs(log).filter(([pid]) => pid === a.pid)[1] as [number, number];
    for (const [tag, result] of results.entries()) {
      const value = await within(result.get(), `task ${tag}`, 20_000);
      assert.equal(value.tag, tag);
    }
    assert.equal((await results[victim]?.get())?.pid, b.pid, "the killed task's result came from B");
    const ranTwice = [...new Set(runs(log).map(([, tag]) => tag))].filter((tag) => runs(log).filter(([, t]) => t === tag).length > 1);
    assert.deepEqual(ranTwice, [victim], "only the task A was running ran twice");
    await b.stop();
    pool.close();
    await within(pool.join(), "join()");
  });

  test("a task that computes for longer than the window is not mistaken for a dead worker", async () => {
    await worker({ queueName: "spin" });
    await worker({ queueName: "spin" });
    const pool = makePool(0, { queueName: "spin" });
    const log = join(scratch, "spin.log");
    // One task each; each blocks its worker's main thread for 2.5 windows.
    assert.deepEqual(await within(pool.map(recordedSpin as (item: unknown) => number, [], 1), "nothing"), []);
    assert.deepEqual(await within(pool.starmap(recordedSpin, [[log, 1, 2_500], [log, 2, 2_500]], 1), "two long tasks", 20_000), [1, 2]);
    await sleep(WINDOW * 1.5); // room for a wrong recovery to show
    assert.equal(runs(log).length, 2, `each ran once: the heartbeat thread kept beating; runs as [pid, tag]: ${JSON.stringify(runs(log))}`);
    pool.close();
    await within(pool.join(), "join()");
  });

  test("a poison task fails with AttemptsExhaustedError after maxAttempts; the dead local workers are replaced", async () => {
    const pool = makePool(1, { queueName: "poison", maxAttempts: 2 });
    const error = (await within(pool.apply(killMyself).catch((e: unknown) => e), "the poison task's result", 25_000)) as AttemptsExhaustedError;
    assert.ok(error instanceof AttemptsExhaustedError, String(error));
    assert.equal(error.attempts, 2);
    assert.equal(await within(pool.apply(square, [6]), "a task on the replacement worker", 20_000), 36);
    pool.close();
    await within(pool.join(), "join()", 20_000);
  });
});

describe("the worker command", () => {
  test("SIGTERM lets the running task finish, then exits 0 with its heartbeat removed; a second signal exits at once", async () => {
    const gentle = await worker({ queueName: "sigterm", waitForDisk: true });
    const pool = makePool(0, { queueName: "sigterm" });
    const running = pool.applyAsync(slowSquare, [5, 700]);
    const locked = async () => (await sql.query("select 1 from graphile_worker.jobs where task_identifier = 'sigterm' and locked_at is not null")).rowCount === 1;
    await until(locked, "the worker to take the task");
    process.kill(gentle.pid, "SIGTERM");
    assert.equal(await within(running.get(), "the task running at SIGTERM", 10_000), 25);
    assert.deepEqual(await within(gentle.exited, "the worker to exit", 10_000), { code: 0, signal: null });
    const beats = await sql.query("select 1 from pools_by_hand.heartbeats where worker = $1", [gentle.name]);
    assert.equal(beats.rowCount, 0);

    const impatient = await worker({ queueName: "sigterm" });
    const slow = pool.applyAsync(slowSquare, [6, 20_000]);
    await until(locked, "the worker to take the slow task");
    process.kill(impatient.pid, "SIGTERM");
    await sleep(100);
    process.kill(impatient.pid, "SIGINT");
    assert.deepEqual(await within(impatient.exited, "the worker to leave at once", 5_000), { code: 1, signal: null });
    await pool.terminate();
    await assert.rejects(slow.get());
  });

  test("in a terminal (no IPC channel) it says what it does and prints its ready line; SIGTERM exits 0", async () => {
    const cli = fileURLToPath(new URL("./worker-cli.js", import.meta.url));
    const child = spawn(process.execPath, [cli, "--db", db.connectionString, "--tasks", fileURLToPath(TASKS), "--queue", "terminal", "--poll-interval-ms", "500"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk));
    try {
      const line = await within(new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve)), "the ready line", 20_000);
      const ready = JSON.parse(line) as { event: string; pid: number; lockIds: string[] };
      assert.equal(ready.event, "ready");
      assert.equal(ready.pid, child.pid);
      assert.ok(ready.lockIds.length > 0);
      child.kill("SIGTERM");
      const [code] = await within(once(child, "exit"), "the worker to exit", 10_000);
      assert.equal(code, 0);
      assert.match(errors, /taking jobs from postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
      assert.match(errors, /SIGTERM: finishing the running jobs/);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("runWorker runs in a `node -e` script too, its heartbeat thread included", async () => {
    const kit = fileURLToPath(new URL("./index.js", import.meta.url));
    const script = `import { runWorker } from ${JSON.stringify(kit)};
      const worker = await runWorker({ connectionString: ${JSON.stringify(db.connectionString)}, tasks: ${JSON.stringify(fileURLToPath(TASKS))}, queueName: "eval" });
      await worker.stop();
      console.log("stopped");`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), "stopped");
  });

  test("bad arguments exit 2 with the usage", () => {
    const cli = fileURLToPath(new URL("./worker-cli.js", import.meta.url));
    for (const args of [[], ["--tasks", fileURLToPath(TASKS), "--concurrency", "x"], ["--tasks", fileURLToPath(TASKS), "--db", db.connectionString, "--concurrency", "0"], ["--nope"]]) {
      const run = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 20_000, env: { ...process.env, DATABASE_URL: "" } });
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /usage: npm run worker/);
    }
  });
});
