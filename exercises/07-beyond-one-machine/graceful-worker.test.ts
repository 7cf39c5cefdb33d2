import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import { Pool, createPgPool, startPostgres, startWorkerProcess, type RunningPostgres, type WorkerProcess } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { nap } from "#exercise/07-beyond-one-machine/graceful-worker.js";

const MODULE = "#exercise/07-beyond-one-machine/graceful-worker.js";
const TASKS = import.meta.resolve(MODULE);
const WINDOW = 1_000;
let db: RunningPostgres | undefined;
let sql: pg.Pool | undefined;
const children: ChildProcess[] = [];
const helpers: WorkerProcess[] = [];
const pools: Pool[] = [];

before(async () => {
  db = await within(startPostgres(), "startPostgres()", 60_000);
  sql = createPgPool(db.connectionString, 1);
});
after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(pools.map((pool) => pool.terminate()));
  await Promise.all(helpers.map((helper) => helper.kill()));
  await sql?.end();
  await db?.stop();
});

/** A child process running runGracefully on `queueName`; resolves once its worker is ready. */
async function gracefulWorker(queueName: string, graceMs: number): Promise<ChildProcess> {
  const options = { connectionString: db?.connectionString, tasks: TASKS, queueName, graceMs, recoverAfterMs: WINDOW };
  const script = `import { runGracefully } from ${JSON.stringify(MODULE)};
    const ending = await runGracefully({ ...${JSON.stringify(options)}, onReady: () => console.log("ready") });
    console.log(ending);
    process.exit(ending === "drained" ? 0 : 1);`;
  // The same --conditions as this test, so the child loads the same file (stub or solution).
  const child = spawn(process.execPath, [...process.execArgv, "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  let errors = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", () => output.includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`the worker exited (code ${code}) before it was ready: ${errors}`)));
  });
  await within(ready, "the graceful worker to be ready", 20_000);
  (child as ChildProcess & { output: () => string }).output = () => output;
  return child;
}

/** Resolves once a worker has taken a job of `queueName`. */
async function taken(queueName: string): Promise<void> {
  const check = async () => ((await sql?.query("select 1 from graphile_worker.jobs where task_identifier = $1 and locked_at is not null", [queueName]))?.rowCount ?? 0) > 0;
  const giveUpAt = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`no worker took the job of ${queueName} within 10 s`);
    await sleep(20);
  }
}

function printed(child: ChildProcess): string {
  return (child as ChildProcess & { output: () => string }).output().trim().split("\n").at(-1) ?? "";
}

function makePool(queueName: string): Pool {
  const pool = new Pool(0, { runIn: "postgres", connectionString: db?.connectionString, tasks: TASKS, queueName, recoverAfterMs: WINDOW });
  pools.push(pool);
  return pool;
}

describe("07.2 runGracefully", () => {
  test("SIGTERM while a job runs: the job finishes and is published, then the worker exits 0", async () => {
    const child = await gracefulWorker("drain", 5_000);
    const pool = makePool("drain");
    const result = pool.applyAsync(nap, [800]);
    await taken("drain");
    child.kill("SIGTERM");
    assert.equal(await within(result.get(), "the running job's result", 10_000), 800);
    const [code] = await within(once(child, "exit"), "the worker to exit", 10_000);
    assert.equal(code, 0);
    assert.equal(printed(child), "drained");
  });

  test("a job longer than the grace period: the worker leaves with code 1, and recovery gives the job to another worker", async () => {
    const child = await gracefulWorker("deadline", 300);
    const pool = makePool("deadline");
    const result = pool.applyAsync(nap, [2_500]);
    await taken("deadline");
    child.kill("SIGTERM");
    const [code] = await within(once(child, "exit"), "the worker to give up after its grace period", 3_000);
    assert.equal(code, 1);
    assert.equal(printed(child), "deadline");
    helpers.push(await within(startWorkerProcess({ connectionString: db?.connectionString, tasks: TASKS, queueName: "deadline", recoverAfterMs: WINDOW }), "a second worker", 20_000));
    assert.equal(await within(result.get(), "the job, run again by the second worker", 15_000), 2_500);
  });

  test("a second signal during the drain leaves at once", async () => {
    const child = await gracefulWorker("impatient", 10_000);
    const pool = makePool("impatient");
    pool.applyAsync(nap, [5_000]).get().catch(() => undefined);
    await taken("impatient");
    child.kill("SIGTERM");
    await sleep(100);
    child.kill("SIGINT");
    const [code] = await within(once(child, "exit"), "the worker to leave on the second signal", 3_000);
    assert.equal(code, 1);
    assert.equal(printed(child), "interrupted");
  });
});
