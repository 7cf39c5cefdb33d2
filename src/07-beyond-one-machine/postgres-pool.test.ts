import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { within } from "../../testkit/index.js";
import { BrokenPoolError, Pool, PoolTerminatedError } from "../03-results/index.js";
import { RemoteTraceback } from "../04-threads-and-processes/index.js";
import { isAlive } from "./embedded-server.js";
import { until } from "./fixtures/until.js";
import { add, fail, failRange, identity, pid, slowSquare, square, unsendable } from "./fixtures/tasks.js";
import {
  QueueClient,
  connectClient,
  createPgPool,
  encodeOutcome,
  migrate,
  publishResult,
  ResultPublisher,
  startPostgres,
  startWorkerProcess,
  type RunningPostgres,
  type WorkerProcess,
} from "./index.js";

const TASKS = new URL("./fixtures/tasks.js", import.meta.url);
let db: RunningPostgres;
let sql: pg.Pool;
let workers: WorkerProcess[] = [];
const pools: Pool[] = [];
const clients: QueueClient[] = [];
/** Workers some tests start for themselves. */
const others: WorkerProcess[] = [];

before(async () => {
  db = await within(startPostgres(), "startPostgres()", 60_000);
  sql = createPgPool(db.connectionString, 3);
  await migrate(sql, db.connectionString);
  workers = await within(
    Promise.all([0, 1].map(() => startWorkerProcess({ connectionString: db.connectionString, tasks: TASKS }))),
    "two worker processes",
    60_000,
  );
});
// Whatever failed, no pool, worker or server outlives this file.
after(async () => {
  await Promise.all(pools.map((pool) => pool.terminate()));
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all([...workers, ...others].map((worker) => worker.kill()));
  await sql?.end();
  await db?.stop();
});

function makePool(size = 0, options: object = {}): Pool {
  const pool = new Pool(size, { runIn: "postgres", connectionString: db.connectionString, tasks: TASKS, ...options });
  pools.push(pool);
  return pool;
}

async function finish(pool: Pool): Promise<void> {
  pool.close();
  await within(pool.join(), "join() after close()", 20_000);
}

describe('Pool with runIn: "postgres", two worker processes started by the test', () => {
  test("apply, map, starmap, imap and callbacks give chapter 03's results, in order", async () => {
    const pool = makePool();
    assert.equal(await within(pool.apply(add, [2, 3]), "apply(add)", 10_000), 5);
    const items = Array.from({ length: 500 }, (_, i) => i);
    assert.deepEqual(await within(pool.map(square, items), "map, default chunks", 10_000), items.map((i) => i * i));
    assert.deepEqual(await within(pool.map(square, items.slice(0, 50), 1), "map, chunksize 1", 10_000), items.slice(0, 50).map((i) => i * i));
    assert.deepEqual(await within(pool.starmap(add, [[1, 2], [3, 4]]), "starmap"), [3, 7]);
    const streamed: number[] = [];
    for await (const value of pool.imap(slowSquare as (item: unknown) => Promise<number>, [])) streamed.push(value);
    for await (const value of pool.imapUnordered(square, [1, 2, 3])) streamed.push(value);
    assert.deepEqual(streamed.sort(), [1, 4, 9]);
    const seen: number[] = [];
    const result = pool.applyAsync(square, [9], { callback: (value) => seen.push(value) });
    assert.equal(await within(result.get(), "applyAsync().get()", 10_000), 81);
    assert.deepEqual(seen, [81]);
    await finish(pool);
  });

  test("both workers take jobs, and only their share", async () => {
    const pool = makePool();
    const ran = await within(pool.map(pid, Array.from({ length: 40 }), 1), "40 jobs", 20_000);
    assert.deepEqual(new Set(ran), new Set(workers.map((worker) => worker.pid)));
    await finish(pool);
  });

  test("a thrown error keeps its type, fields and the worker's stack; values V8 cannot serialize fail clearly", async () => {
    const pool = makePool();
    const error = (await within(pool.apply(fail, ["bad input"]).catch((e: unknown) => e), "apply(fail)", 10_000)) as Error & { code: string };
    assert.equal(error.name, "ParseError");
    assert.equal(error.message, "bad input");
    assert.equal(error.code, "E_PARSE");
    assert.ok(error.cause instanceof RemoteTraceback);
    assert.match((error.cause as Error).stack ?? "", /fixtures\/tasks\.(ts|js)/);
    await assert.rejects(within(pool.map(failRange, ["a", "b"]), "map(failRange)", 10_000), RangeError);
    await assert.rejects(within(pool.apply(unsendable), "apply(unsendable)", 10_000), { name: "TypeError", message: /result of unsendable cannot be sent back/ });
    await assert.rejects(within(pool.apply(identity, [() => 1]), "apply(identity, [a function])"), { name: "TypeError", message: /arguments of identity cannot be sent/ });
    const value = { map: new Map([["a", 1]]), big: 2n ** 70n, when: new Date(0), bytes: new Uint8Array([1, 2]) };
    assert.deepEqual(await within(pool.apply(identity, [value]), "apply(identity, structured)", 10_000), value);
    const big = "é".repeat(10_000); // 20,000 bytes: too big for a notification, read from the table
    assert.equal(await within(pool.apply(identity, [big]), "a 20 kB result", 10_000), big);
    await finish(pool);
  });

  test("a function that is not an export is refused at the call, and nothing is queued", async () => {
    const pool = makePool();
    assert.throws(() => pool.apply((x: number) => x, [1]), { name: "TypeError", message: /not an export of/ });
    await finish(pool);
  });

  test("size 0 only submits; options the queue cannot honour are refused at construction", () => {
    const options = { runIn: "postgres" as const, connectionString: db.connectionString, tasks: TASKS };
    assert.throws(() => new Pool(-1, options), { name: "RangeError", message: "size must be at least 0, got -1" });
    assert.throws(() => new Pool(0, { ...options, tasks: undefined }), { name: "TypeError", message: /needs the `tasks` option/ });
    assert.throws(() => new Pool(0, { ...options, initializer: square }), { name: "TypeError", message: /no initializer/ });
    assert.throws(() => new Pool(0, { ...options, maxTasksPerChild: 3 }), { name: "TypeError", message: /maxTasksPerChild/ });
    assert.throws(() => new Pool(0, { ...options, connectionString: "not a url" }), { name: "TypeError", message: /postgres:\/\/ URL/ });
    assert.throws(() => new Pool(0, { ...options, queueName: "" }), { name: "TypeError", message: /queueName/ });
    assert.throws(() => new Pool(0, { ...options, maxAttempts: 0 }), RangeError);
  });

  test("DATABASE_URL is used when no connection string is given, by the pool and by a worker", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = db.connectionString;
    try {
      const fromEnv = await within(startWorkerProcess({ tasks: TASKS, queueName: "from_env" }), "a worker started without --db", 20_000);
      others.push(fromEnv);
      const pool = new Pool(0, { runIn: "postgres", tasks: TASKS, queueName: "from_env" });
      pools.push(pool);
      assert.equal(await within(pool.apply(square, [7]), "apply through DATABASE_URL", 10_000), 49);
      await finish(pool);
      await within(fromEnv.stop(), "the worker to stop", 10_000);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  test("a database that cannot be reached breaks the pool within seconds, with the address but not the password", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const pool = makePool(0, { connectionString: `postgres://u:secret@127.0.0.1:${port}/db` });
    const error = (await within(pool.apply(square, [2]).catch((e: unknown) => e), "apply on a broken pool", 10_000)) as Error;
    assert.ok(error instanceof BrokenPoolError);
    assert.match((error.cause as Error).message, new RegExp(`could not connect to Postgres at postgres://u:\\*\\*\\*@127\\.0\\.0\\.1:${port}/db`));
    assert.doesNotMatch((error.cause as Error).message, /secret/);
    pool.close();
    await within(pool.join(), "join() of a broken pool");
  });

  test("a server that accepts and never answers fails the connection after the 5 s connect timeout", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      await assert.rejects(within(connectClient(`postgres://u:secret@127.0.0.1:${port}/db`), "a connect that must time out", 10_000), /could not connect to Postgres at postgres:\/\/u:\*\*\*@/);
    } finally {
      silent.close();
    }
  });

  test("close() and join() let a script exit by itself, its local workers gone", async () => {
    const kit = fileURLToPath(new URL("../index.js", import.meta.url));
    const script = `import { Pool } from ${JSON.stringify(kit)};
      import { square, pid } from ${JSON.stringify(fileURLToPath(TASKS))};
      const pool = new Pool(2, { runIn: "postgres", tasks: ${JSON.stringify(fileURLToPath(TASKS))}, queueName: "script_exit" });
      const values = await pool.map(square, [1, 2, 3]);
      const pids = await pool.map(pid, [0, 1, 2, 3, 4, 5, 6, 7], 1);
      pool.close();
      await pool.join();
      console.log(JSON.stringify({ values, pids: [...new Set(pids)] }));`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, DATABASE_URL: db.connectionString },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    try {
      const [code] = await within(once(child, "exit"), "the script to exit by itself", 25_000);
      assert.equal(code, 0);
      const { values, pids } = JSON.parse(output) as { values: number[]; pids: number[] };
      assert.deepEqual(values, [1, 4, 9]);
      for (const localPid of pids) assert.equal(isAlive(localPid), false, `local worker ${localPid} is gone`);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("terminate() rejects what is unfinished, kills its local worker and removes its queued jobs", async () => {
    const pool = makePool(1, { queueName: "terminate_test" });
    const results = Array.from({ length: 4 }, (_, i) => pool.applyAsync(slowSquare, [i, 5_000]));
    const running = async () => (await sql.query("select 1 from graphile_worker.jobs where task_identifier = 'terminate_test' and locked_at is not null")).rowCount === 1;
    await until(running, "the local worker to take the first job", 20_000);
    await within(pool.terminate(), "terminate()", 20_000);
    for (const result of results) await assert.rejects(within(result.get(), "a terminated result"), PoolTerminatedError);
    const left = await sql.query("select 1 from graphile_worker.jobs where task_identifier = 'terminate_test'");
    assert.equal(left.rowCount, 0, "the running job, released, and the queued ones are gone");
    await within(pool.join(), "join() after terminate()");
  });
});

describe("QueueClient: the caller's side", () => {
  async function client(queueName: string, sweepMs = 2_000): Promise<QueueClient> {
    const made = await within(QueueClient.connect({ connectionString: db.connectionString, queueName, sweepMs }), "QueueClient.connect()", 10_000);
    clients.push(made);
    return made;
  }

  test("the first result wins, and a result whose notification was missed is found by the sweep", async () => {
    const queue = await client("nobody_listens", 200);
    const first = queue.submit({ task: "square", items: [3], star: false });
    const second = queue.submit({ task: "square", items: [4], star: false });
    // No worker takes "nobody_listens": the results are written by hand.
    assert.equal(await publishResult(sql, { poolId: queue.poolId, jobId: 1 }, encodeOutcome({ ok: true, value: ["first"] }, "square"), "w1"), true);
    assert.equal(await publishResult(sql, { poolId: queue.poolId, jobId: 1 }, encodeOutcome({ ok: true, value: ["second"] }, "square"), "w2"), false);
    assert.deepEqual(await within(first, "the published result"), ["first"]);
    await sql.query("insert into pools_by_hand.results (pool_id, job_id, outcome, worker) values ($1, 2, $2, 'by hand')", [queue.poolId, encodeOutcome({ ok: true, value: [16] }, "square")]);
    assert.deepEqual(await within(second, "the swept result", 5_000), [16]);
    await until(async () => (await sql.query("select 1 from pools_by_hand.results where pool_id = $1", [queue.poolId])).rowCount === 0, "read rows to be deleted", 5_000);
    await queue.close();
    assert.throws(() => queue.enqueue({ task: "square", items: [1], star: false }, () => {}), /closed/);
  });

  test("results that wait for a statement go together in the next one, and each learns whether it was first", async () => {
    const queue = await client("published_together", 200);
    const results = [3, 4, 5].map((n) => queue.submit({ task: "square", items: [n], star: false }));
    let statements = 0;
    const counting = { query: (...args: Parameters<pg.Pool["query"]>) => ((statements += 1), sql.query(...args)) } as unknown as pg.Pool;
    const publisher = new ResultPublisher(counting, "w1");
    const outcome = (value: number) => encodeOutcome({ ok: true, value: [value] }, "square");
    // Job 1 goes alone; jobs 2, 3 and job 1 again wait for it, then go together.
    const published = [1, 2, 3, 1].map((jobId, i) => publisher.publish({ poolId: queue.poolId, jobId }, outcome(i * 10)));
    assert.deepEqual(await within(Promise.all(published), "four publications"), [true, true, true, false]);
    assert.equal(statements, 2, "one statement for the first, one for the three that waited");
    assert.deepEqual(await within(Promise.all(results), "the three results"), [[0], [10], [20]]);
    // The same job twice in one batch: only its first entry counts.
    const twice = [9, 4, 4].map((jobId, i) => publisher.publish({ poolId: "published_twice", jobId }, outcome(i)));
    assert.deepEqual(await within(Promise.all(twice), "a job published twice in one batch"), [true, true, false]);
    const stored = await sql.query<{ outcome: string }>("select outcome from pools_by_hand.results where pool_id = 'published_twice' and job_id = 4");
    assert.deepEqual(stored.rows, [{ outcome: outcome(1) }]);
    await sql.query("delete from pools_by_hand.results where pool_id = 'published_twice'");
  });

  test("a batch that fails rejects each of its results, and the next batch still goes", async () => {
    let calls = 0;
    const flaky = { query: (...args: Parameters<pg.Pool["query"]>) => (++calls === 1 ? Promise.reject(new Error("connection lost")) : sql.query(...args)) } as unknown as pg.Pool;
    const publisher = new ResultPublisher(flaky, "w1");
    const outcome = encodeOutcome({ ok: true, value: [1] }, "square");
    await assert.rejects(within(publisher.publish({ poolId: "flaky_batch", jobId: 1 }, outcome), "a failed publication"), /connection lost/);
    assert.equal(await within(publisher.publish({ poolId: "flaky_batch", jobId: 1 }, outcome), "the retried publication"), true);
    await sql.query("delete from pools_by_hand.results where pool_id = 'flaky_batch'");
  });

  test("a job deleted from the queue by hand settles with an error instead of waiting for ever", async () => {
    const queue = await client("deleted_by_hand", 200);
    const result = queue.submit({ task: "square", items: [3], star: false }, { runAt: new Date(Date.now() + 60_000), priority: 5, maxAttempts: 2 });
    await until(async () => (await sql.query("select 1 from graphile_worker.jobs where task_identifier = 'deleted_by_hand'")).rowCount === 1, "the job in the queue");
    await sql.query("delete from graphile_worker._private_jobs where task_id = (select id from graphile_worker._private_tasks where identifier = 'deleted_by_hand')");
    await assert.rejects(within(result, "a deleted job's result", 5_000), /left the queue without a result/);
    assert.throws(() => queue.enqueue({ task: "square", items: [1], star: false }, () => {}, { runAt: new Date(Number.NaN) }), TypeError);
  });

  test("a results connection that drops is made again, and results keep coming", async () => {
    const queue = await QueueClient.connect({ connectionString: db.connectionString });
    clients.push(queue);
    assert.deepEqual(await within(queue.submit({ task: "square", items: [2], star: false }), "a result before", 10_000), [4]);
    const killed = await sql.query("select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN%' and query like $1", [`%${queue.poolId}%`]);
    assert.equal(killed.rowCount, 1);
    assert.deepEqual(await within(queue.submit({ task: "square", items: [3], star: false }), "a result after", 10_000), [9]);
    await queue.close();
  });

  test("processes that create the tables at the same moment do not trip over each other", async () => {
    await sql.query("create database race_test");
    const url = new URL(db.connectionString);
    url.pathname = "/race_test";
    const schema = fileURLToPath(new URL("./schema.js", import.meta.url));
    const connection = fileURLToPath(new URL("./connection.js", import.meta.url));
    const script = `import { migrate } from ${JSON.stringify(schema)};
      import { createPgPool } from ${JSON.stringify(connection)};
      const db = createPgPool(${JSON.stringify(url.toString())}, 2);
      await migrate(db, ${JSON.stringify(url.toString())});
      await db.end();`;
    try {
      const children = [0, 1, 2, 3].map(() => spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "ignore", "pipe"] }));
      const errors: string[] = [];
      for (const child of children) child.stderr.on("data", (chunk: Buffer) => errors.push(String(chunk)));
      const codes = await within(Promise.all(children.map((child) => once(child, "exit").then(([code]) => code))), "four migrations", 30_000);
      assert.deepEqual(codes, [0, 0, 0, 0], errors.join("\n"));
    } finally {
      await sql.query("drop database race_test with (force)");
    }
  });
});
