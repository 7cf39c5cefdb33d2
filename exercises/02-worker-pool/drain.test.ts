import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { settledState, sleep, within } from "../../testkit/index.js";
import { DrainablePool } from "#exercise/02-worker-pool/drain.js";
import type { Task } from "pools-by-hand";

describe("02.2 DrainablePool.drain()", () => {
  test("on a pool that was never given work, it resolves at once (p-queue#237)", async () => {
    const pool = new DrainablePool(2);
    await within(pool.drain(), "drain() on an idle pool", 100);
    await within(pool.drain(), "a second drain() on an idle pool", 100);
  });

  test("called before any task started, it waits for all of them (fastq#88)", async () => {
    const pool = new DrainablePool(2);
    const done: number[] = [];
    for (let i = 0; i < 5; i++) pool.applyAsync(async () => void (await sleep(2), done.push(i)));
    const drained = pool.drain();
    await within(drained, "drain() after five tasks");
    assert.deepEqual(done.sort(), [0, 1, 2, 3, 4]);
  });

  test("while the last task runs, it waits for it", async () => {
    const pool = new DrainablePool(3);
    let release!: () => void;
    let finished = false;
    pool.applyAsync(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await sleep(1);
    const drained = pool.drain();
    assert.equal((await settledState(drained)).state, "pending", "drain() resolved while a task ran");
    release();
    await within(drained, "drain() once the task ends");
    assert.equal(finished, true);
  });

  test("the pool stays open: more tasks after a drain, and a new drain waits for them", async () => {
    const pool = new DrainablePool(2);
    const done: string[] = [];
    pool.applyAsync(() => void done.push("first"));
    await within(pool.drain(), "the first drain()");
    assert.equal(pool.state, "RUN");
    pool.applyAsync(async () => void (await sleep(3), done.push("second")));
    const again = pool.drain();
    assert.equal((await settledState(again, 1)).state, "pending", "the second drain() ignored the new task");
    await within(again, "the second drain()");
    assert.deepEqual(done, ["first", "second"]);
    pool.close();
    await within(pool.join(), "join()");
  });

  test("tasks given by a running task are waited for too", async () => {
    const pool = new DrainablePool(2);
    const done: string[] = [];
    pool.applyAsync(async () => {
      await sleep(1);
      pool.applyAsync(async () => void (await sleep(3), done.push("child")));
      done.push("parent");
    });
    await within(pool.drain(), "drain() with a child task");
    assert.deepEqual(done, ["parent", "child"]);
  });

  test("failing tasks count as finished, and their errors are still reported", async () => {
    const errors: unknown[] = [];
    const pool = new DrainablePool(2, { onError: (error) => errors.push(error) });
    pool.applyAsync(() => {
      throw new Error("sync");
    });
    pool.applyAsync(async () => {
      await sleep(1);
      throw new Error("async");
    });
    await within(pool.drain(), "drain() after failing tasks");
    assert.deepEqual(errors.map((e) => (e as Error).message).sort(), ["async", "sync"]);
  });

  test("every waiting drain() is released together", async () => {
    const pool = new DrainablePool(1);
    pool.applyAsync(() => sleep(2));
    const released: number[] = [];
    const drains = [1, 2, 3].map((n) => pool.drain().then(() => released.push(n)));
    await within(Promise.all(drains), "three drains");
    assert.deepEqual(released.sort(), [1, 2, 3]);
  });

  test("a refused task adds nothing to wait for", async () => {
    const pool = new DrainablePool(1);
    assert.throws(() => pool.applyAsync("no" as unknown as Task), { name: "TypeError", message: /task/ });
    await within(pool.drain(), "drain() after a refused non-function", 100);
    pool.applyAsync(() => sleep(2));
    pool.close();
    assert.throws(() => pool.applyAsync(() => {}), { name: "InvalidStateError", message: "Pool not running" });
    await within(pool.drain(), "drain() after close(): the queued task, not the refused one");
    await within(pool.join(), "join()");
  });
});
