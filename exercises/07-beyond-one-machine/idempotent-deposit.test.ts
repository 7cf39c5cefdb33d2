import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Pool, startPostgres, type RunningPostgres } from "pools-by-hand";
import { within } from "../../testkit/index.js";
import { balance, closeLedger, deposit, setUpLedger } from "#exercise/07-beyond-one-machine/idempotent-deposit.js";

let db: RunningPostgres | undefined;
const pools: Pool[] = [];
const saved = process.env.DATABASE_URL;

before(async () => {
  db = await within(startPostgres(), "startPostgres()", 60_000);
  // The tasks, here and in the pool's worker processes, connect through DATABASE_URL.
  process.env.DATABASE_URL = db.connectionString;
  await within(setUpLedger(), "setUpLedger()", 10_000);
});
after(async () => {
  await Promise.all(pools.map((pool) => pool.terminate()));
  await closeLedger();
  await db?.stop();
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
});

describe("07.1 deposit, called directly", () => {
  test("a key deposits once, and answers the same every time", async () => {
    assert.equal(await within(deposit("k1", "alice", 10), "deposit k1"), 10);
    assert.equal(await within(deposit("k1", "alice", 10), "deposit k1 again"), 10);
    assert.equal(await within(deposit("k2", "alice", 5), "deposit k2"), 15);
    assert.equal(await within(deposit("k1", "alice", 10), "deposit k1 a third time"), 10, "still the first deposit's answer");
    assert.equal(await within(balance("alice"), "balance(alice)"), 15);
    assert.equal(await within(balance("nobody"), "balance(nobody)"), 0);
  });

  test("the same key at the same moment, ten times over: one deposit", async () => {
    const answers = await within(Promise.all(Array.from({ length: 10 }, () => deposit("k3", "bob", 7))), "ten deposits of k3");
    assert.deepEqual(answers, Array(10).fill(7));
    assert.equal(await within(balance("bob"), "balance(bob)"), 7);
  });
});

describe("07.1 deposit, run by a Postgres pool's workers", () => {
  test("jobs delivered twice (the same key submitted again) move the money once", async () => {
    const tasks = import.meta.resolve("#exercise/07-beyond-one-machine/idempotent-deposit.js");
    const pool = new Pool(2, { runIn: "postgres", tasks });
    pools.push(pool);
    // Each payment twice, as a queue may deliver it after a crash.
    const payments: [string, string, number][] = [];
    for (let i = 0; i < 10; i++) payments.push([`pay-${i}`, "carol", i + 1], [`pay-${i}`, "carol", i + 1]);
    const answers = await within(pool.starmap(deposit, payments, 1), "20 deposits through the queue", 20_000);
    for (let i = 0; i < 20; i += 2) assert.equal(answers[i], answers[i + 1], `both deliveries of pay-${i / 2} answer the same`);
    assert.equal(await within(balance("carol"), "balance(carol)"), 55);
    pool.close();
    await within(pool.join(), "join()", 20_000);
  });
});
