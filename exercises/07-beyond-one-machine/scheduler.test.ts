import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import { QueueClient, createPgPool, startPostgres, startWorkerProcess, type RunningPostgres, type WorkerProcess } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { Scheduler } from "#exercise/07-beyond-one-machine/scheduler.js";

let db: RunningPostgres | undefined;
let worker: WorkerProcess | undefined;
let client: QueueClient | undefined;
let scheduler: Scheduler;
let sql: pg.Pool | undefined;

before(async () => {
  db = await within(startPostgres(), "startPostgres()", 60_000);
  const tasks = import.meta.resolve("#exercise/07-beyond-one-machine/scheduler.js");
  // One worker, one job at a time: the order in which it takes jobs shows. A job
  // that is not due yet is found by polling, here every 100 ms.
  worker = await within(startWorkerProcess({ connectionString: db.connectionString, tasks, queueName: "scheduler", pollIntervalMs: 100 }), "a worker process", 30_000);
  client = await within(QueueClient.connect({ connectionString: db.connectionString, queueName: "scheduler" }), "QueueClient.connect()", 10_000);
  scheduler = new Scheduler(client);
  sql = createPgPool(db.connectionString, 1);
});
after(async () => {
  await client?.close();
  await sql?.end();
  await worker?.kill();
  await db?.stop();
});

describe("07.3 Scheduler", () => {
  test("later(): the job does not run before its time", async () => {
    const submitted = Date.now();
    const ranAt = await within(scheduler.later<number>(700, "stamp", []), "a job 700 ms later", 5_000);
    assert.ok(ranAt >= submitted + 650, `ran ${ranAt - submitted} ms after it was submitted`);
    const when = new Date(Date.now() + 300);
    assert.ok((await within(scheduler.at<number>(when, "stamp", []), "a job at a given time", 5_000)) >= when.getTime() - 50);
  });

  test("urgent(): ahead of the jobs of default priority already waiting", async () => {
    const busy = scheduler.later<number>(0, "nap", [700]);
    // Wait until the worker's one slot is taken.
    const giveUpAt = Date.now() + 10_000;
    while (((await sql?.query("select 1 from graphile_worker.jobs where locked_at is not null"))?.rowCount ?? 0) === 0) {
      if (Date.now() > giveUpAt) assert.fail("the worker did not take the busy job within 10 s");
      await sleep(20);
    }
    const normal = [0, 1, 2].map(() => scheduler.later<number>(0, "stamp", []));
    await sleep(50);
    const first = scheduler.urgent<number>("stamp", []);
    const [urgentAt, ...normalAt] = await within(Promise.all([first, ...normal]), "four jobs after a busy one", 10_000);
    assert.equal(await busy, 700);
    assert.ok(normalAt.every((at) => (urgentAt as number) <= at), `urgent ran at ${urgentAt}, the others at ${normalAt.join(", ")}`);
  });

  test("every(): runs on a schedule, and nothing after stop()", async () => {
    const values: number[] = [];
    const started = Date.now();
    const repeating = scheduler.every<number>(250, "stamp", [], (value) => values.push(value));
    while (values.length < 3) {
      if (Date.now() - started > 8_000) assert.fail(`only ${values.length} runs in 8 s`);
      await sleep(20);
    }
    await within(repeating.stop(), "stop()", 3_000);
    const seen = values.length;
    values.slice(0, 3).forEach((at, k) => assert.ok(at >= started + (k + 1) * 250 - 50, `run ${k + 1} at +${at - started} ms`));
    await sleep(700);
    assert.equal(values.length, seen, "no value after stop()");
  });
});
