import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { flushMicrotasks, sleep, within } from "../../testkit/index.js";
import { ResizablePool } from "#exercise/02-worker-pool/resizable-pool.js";

/** Counts how many of the tasks it wraps run at once. */
function concurrency() {
  const meter = { running: 0, most: 0 };
  const wrap = (body: () => Promise<void>) => async () => {
    meter.most = Math.max(meter.most, ++meter.running);
    try {
      await body();
    } finally {
      meter.running -= 1;
    }
  };
  return { meter, wrap };
}

describe("02.1 ResizablePool", () => {
  test("growing starts workers that take the waiting tasks at once", async () => {
    const pool = new ResizablePool(1);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { meter, wrap } = concurrency();
    for (let i = 0; i < 4; i++) pool.applyAsync(wrap(() => released));
    await flushMicrotasks();
    assert.equal(meter.running, 1, "one worker, one running task");
    pool.resize(3);
    assert.equal(pool.size, 3);
    await flushMicrotasks();
    assert.equal(meter.running, 3, "the two new workers took two of the waiting tasks");
    release();
    pool.close();
    await within(pool.join(), "join() after growing");
  });

  test("shrinking loses no task, and tasks given afterwards run at most size at once", async () => {
    const pool = new ResizablePool(4);
    const ran: number[] = [];
    for (let i = 0; i < 8; i++) pool.applyAsync(async () => void (await sleep(1), ran.push(i)));
    pool.resize(2);
    assert.equal(pool.size, 2);
    const { meter, wrap } = concurrency();
    for (let i = 8; i < 14; i++) pool.applyAsync(wrap(async () => void (await sleep(1), ran.push(i))));
    pool.close();
    await within(pool.join(), "join() after shrinking");
    assert.deepEqual(ran.sort((a, b) => a - b), [...Array(14).keys()], "every task ran exactly once");
    assert.equal(meter.most, 2);
  });

  test("many resizes in a row, up and down: every task runs once, the last size holds", async () => {
    let seed = 2024;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const pool = new ResizablePool(3);
    const runs = new Map<number, number>();
    let given = 0;
    const give = (wrapper?: (body: () => Promise<void>) => () => Promise<void>) => {
      const id = given++;
      const body = async () => {
        runs.set(id, (runs.get(id) ?? 0) + 1);
        await sleep(next(2));
      };
      pool.applyAsync(wrapper ? wrapper(body) : body);
    };
    for (let round = 0; round < 12; round++) {
      for (let i = next(5); i > 0; i--) give();
      pool.resize(1 + next(6));
      if (next(2) === 0) await sleep(1);
    }
    pool.resize(2);
    const { meter, wrap } = concurrency();
    for (let i = 0; i < 10; i++) give(wrap);
    pool.close();
    await within(pool.join(), "join() after twelve resizes");
    assert.equal(runs.size, given, "some task never ran");
    assert.deepEqual([...runs.values()].filter((n) => n !== 1), [], "some task ran twice");
    assert.ok(meter.most <= 2, `${meter.most} of the last tasks ran at once on a pool resized to 2`);
  });

  test("resizing to the same size changes nothing; after close() resize throws", async () => {
    const pool = new ResizablePool(2);
    pool.resize(2);
    assert.equal(pool.size, 2);
    pool.close();
    for (const size of [2, 3, 1]) {
      assert.throws(() => pool.resize(size), { name: "InvalidStateError", message: "Pool not running" }, `resize(${size}) after close()`);
    }
    await within(pool.join(), "join()");
  });

  test("bad sizes are refused before anything changes", async () => {
    const pool = new ResizablePool(3);
    for (const size of [0, -2]) {
      assert.throws(() => pool.resize(size), { name: "RangeError", message: "Number of processes must be at least 1" });
    }
    assert.throws(() => pool.resize(2.5), { name: "RangeError", message: /size/ });
    assert.throws(() => pool.resize("2" as unknown as number), { name: "TypeError", message: /size/ });
    assert.equal(pool.size, 3, "a refused resize must leave the pool as it was");
    const { meter, wrap } = concurrency();
    for (let i = 0; i < 6; i++) pool.applyAsync(wrap(() => sleep(2)));
    pool.close();
    await within(pool.join(), "join()");
    assert.equal(meter.most, 3, "the pool still runs three at once");
  });
});
