import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { Pool, type RunIn } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { addAtomic, addPlain, PROGRESS_STEP, sumCounting } from "#exercise/04-threads-and-processes/counter-tasks.js";
import { COUNTER_TASKS, countInParallel, SharedCounter, sumWithProgress, type SumProgress } from "#exercise/04-threads-and-processes/shared-counter.js";

const pools: Pool[] = [];
// Every pool ends, even when an assertion fails, or this file's process would never exit.
after(() => Promise.all(pools.map((pool) => pool.terminate())));

function makePool(size: number, runIn: RunIn = "threads"): Pool {
  const pool = new Pool(size, { runIn, tasks: COUNTER_TASKS });
  pools.push(pool);
  return pool;
}

describe("04.1 SharedCounter", () => {
  test("holds one number in shared memory that value reads", () => {
    const counter = new SharedCounter();
    assert.ok(counter.buffer instanceof SharedArrayBuffer);
    assert.equal(counter.value, 0);
    new Int32Array(counter.buffer)[0] = 41; // what another thread's write looks like
    assert.equal(counter.value, 41);
    assert.equal(new SharedCounter(7).value, 7);
  });

  test("refuses a start that is not a whole number from 0 to 2^31 - 1", () => {
    assert.throws(() => new SharedCounter(-1), { name: "RangeError", message: /initial/ });
    assert.throws(() => new SharedCounter(1.5), { name: "RangeError", message: /initial/ });
    assert.throws(() => new SharedCounter(2 ** 31), { name: "RangeError", message: /initial/ });
    assert.throws(() => new SharedCounter("3" as unknown as number), { name: "TypeError", message: /initial/ });
  });
});

describe("04.1 the tasks, called here on the main thread", () => {
  test("addPlain and addAtomic add `times`; sumCounting sums and counts every number", () => {
    const counter = new SharedCounter();
    addPlain(counter.buffer, 5);
    addAtomic(counter.buffer, 7);
    assert.equal(counter.value, 12);
    const counted = new SharedCounter();
    const end = 3 * PROGRESS_STEP + 10;
    assert.equal(sumCounting(counted.buffer, 1, end), (end * (end + 1)) / 2);
    assert.equal(counted.value, end, "every number summed is counted, the last partial step included");
  });
});

describe("04.1 countInParallel on worker threads", () => {
  test("Atomics.add from two threads at once loses nothing", async () => {
    const pool = makePool(2);
    const counter = new SharedCounter();
    assert.equal(await within(countInParallel(pool, addAtomic, counter, { jobs: 2, times: 1_000_000 }), "two threads adding 1e6 each", 10_000), 2_000_000);
    assert.equal(await within(countInParallel(pool, addAtomic, counter, { jobs: 8, times: 1000 }), "eight jobs more"), 2_008_000);
  });

  test("++ from two threads at once is never more than exact, and usually less", async (t) => {
    const pool = makePool(2);
    const alone = await within(countInParallel(makePool(1), addPlain, new SharedCounter(), { jobs: 2, times: 100_000 }), "++ on one thread", 10_000);
    assert.equal(alone, 200_000, "on one thread at a time, ++ is exact");
    // Both workers must be up, or the first could run both jobs, one after the other.
    await within(countInParallel(pool, addAtomic, new SharedCounter(), { jobs: 2, times: 3_000_000 }), "a warm-up", 10_000);
    const exact = 2 * 5_000_000;
    const counted = await within(countInParallel(pool, addPlain, new SharedCounter(), { jobs: 2, times: 5_000_000 }), "two threads doing ++", 10_000);
    assert.ok(counted <= exact, `${counted} is more than the ${exact} increments made`);
    assert.ok(counted > 0, "the threads did count");
    t.diagnostic(`++ on two threads lost ${exact - counted} of ${exact} increments`);
  });

  test("checks jobs and times at the call", async () => {
    const pool = makePool(1);
    const counter = new SharedCounter();
    await assert.rejects(countInParallel(pool, addAtomic, counter, { jobs: 0, times: 1 }), { name: "RangeError", message: /jobs/ });
    await assert.rejects(countInParallel(pool, addAtomic, counter, { jobs: 1, times: -1 }), { name: "RangeError", message: /times/ });
    assert.equal(counter.value, 0, "nothing ran");
  });

  test("a child process cannot share memory: the task is rejected with the reason", async () => {
    const pool = makePool(1, "processes");
    const refused = countInParallel(pool, addAtomic, new SharedCounter(), { jobs: 1, times: 1 });
    await assert.rejects(within(refused, "a SharedArrayBuffer sent to a child process", 10_000), /SharedArrayBuffer/);
  });
});

describe("04.1 sumWithProgress", () => {
  test("gives seed 000's exact sum and reports progress that only grows, ending at n", async () => {
    const pool = makePool(2);
    const n = 20_000_000;
    const reports: SumProgress[] = [];
    const sum = await within(sumWithProgress(pool, n, { everyMs: 1, onProgress: (p) => reports.push({ ...p }) }), "the sum of 1..2e7", 20_000);
    assert.equal(sum, (n * (n + 1)) / 2);
    assert.ok(reports.length >= 1);
    assert.deepEqual(reports.at(-1), { done: n, total: n });
    for (let i = 1; i < reports.length; i++) {
      assert.ok(reports[i]!.done > reports[i - 1]!.done, `report ${i} moved forward`);
    }
    assert.ok(reports.every((p) => p.total === n && p.done <= n));
    const count = reports.length;
    await sleep(30);
    assert.equal(reports.length, count, "no report after the sum resolved: the timer is stopped");
  });

  test("cuts the sum into the chunks asked for", async () => {
    const pool = makePool(2);
    const reports: SumProgress[] = [];
    assert.equal(await within(sumWithProgress(pool, 7, { chunks: 3, onProgress: (p) => reports.push(p) }), "the sum of 1..7", 10_000), 28);
    assert.equal(await within(sumWithProgress(pool, 1, { chunks: 4, onProgress: () => {} }), "the sum of 1..1 in 4 chunks", 10_000), 1);
    assert.deepEqual(reports.at(-1), { done: 7, total: 7 });
  });

  test("an onProgress that throws fails the sum instead of crashing the process", async () => {
    const pool = makePool(2);
    const failing = sumWithProgress(pool, 20_000_000, {
      everyMs: 1,
      onProgress: () => {
        throw new Error("the display broke");
      },
    });
    await assert.rejects(within(failing, "a sum whose onProgress throws", 20_000), /the display broke/);
  });

  test("refuses an n whose sum would pass 2^53, and bad options, at the call", async () => {
    const pool = makePool(1);
    await assert.rejects(sumWithProgress(pool, 2 ** 27, { onProgress: () => {} }), { name: "RangeError", message: /n must be/ });
    await assert.rejects(sumWithProgress(pool, 0, { onProgress: () => {} }), { name: "RangeError", message: /n/ });
    await assert.rejects(sumWithProgress(pool, 10, { chunks: 0, onProgress: () => {} }), { name: "RangeError", message: /chunks/ });
    await assert.rejects(sumWithProgress(pool, 10, { onProgress: 3 as unknown as () => void }), { name: "TypeError", message: /onProgress/ });
  });
});
