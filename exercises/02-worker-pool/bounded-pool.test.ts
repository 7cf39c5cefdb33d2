import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { flushMicrotasks, settledState, sleep, within } from "../../testkit/index.js";
import { BoundedPool } from "#exercise/02-worker-pool/bounded-pool.js";
import type { Task } from "pools-by-hand";

/** A door that keeps every task waiting on it until it opens. */
function door(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("02.3 BoundedPool", () => {
  test("applyAsync resolves while there is room, and waits once maxQueued tasks wait to start", async () => {
    const pool = new BoundedPool(2, 2);
    const { opened, open } = door();
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      await opened;
    };
    for (let n = 0; n < 4; n++) await within(pool.applyAsync(task(n)), `applyAsync(${n}): two run, two wait, there is room`);
    await flushMicrotasks();
    assert.deepEqual(started, [0, 1], "two workers, two running tasks");
    const fifth = pool.applyAsync(task(4));
    assert.equal((await settledState(fifth)).state, "pending", "the fifth call must wait: two tasks already wait to start");
    open();
    await within(fifth, "the fifth call, once a queued task started");
    pool.close();
    await within(pool.join(), "join()");
    assert.deepEqual(started, [0, 1, 2, 3, 4], "tasks start in the order they were given");
  });

  test("many impatient callers: order kept, each task once, never more than size running", async () => {
    const pool = new BoundedPool(3, 2);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const calls: Promise<void>[] = [];
    for (let n = 0; n < 40; n++) {
      calls.push(
        pool.applyAsync(async () => {
          started.push(n);
          most = Math.max(most, ++running);
          await sleep(n % 3);
          running -= 1;
        }),
      );
    }
    await within(Promise.all(calls), "forty calls to get in");
    pool.close();
    await within(pool.join(), "join()");
    assert.deepEqual(started, [...Array(40).keys()]);
    assert.ok(most <= 3, `${most} tasks ran at once on 3 workers`);
  });

  test("callers still waiting for room when close() comes get their tasks run", async () => {
    const pool = new BoundedPool(1, 1);
    const { opened, open } = door();
    const ran: number[] = [];
    const calls = [0, 1, 2, 3].map((n) => pool.applyAsync(async () => void (await opened, ran.push(n))));
    await flushMicrotasks();
    pool.close();
    assert.equal(pool.state, "CLOSE", "closed for callers as soon as close() returns");
    assert.throws(() => pool.applyAsync(() => {}), { name: "InvalidStateError", message: "Pool not running" });
    const joined = pool.join();
    assert.equal((await settledState(joined)).state, "pending");
    open();
    await within(Promise.all(calls), "the calls that waited for room");
    await within(joined, "join() after every accepted task");
    assert.deepEqual(ran, [0, 1, 2, 3]);
  });

  test("join() before close() throws, close() twice is harmless, a failing task frees its room", async () => {
    const errors: unknown[] = [];
    const pool = new BoundedPool(1, 1, { onError: (error) => errors.push(error) });
    assert.throws(() => pool.join(), { name: "InvalidStateError", message: "Pool is still running" });
    await within(
      pool.applyAsync(() => {
        throw new Error("boom");
      }),
      "the failing task to get in",
    );
    await within(pool.applyAsync(() => sleep(1)), "the next task to get in");
    await within(pool.applyAsync(() => {}), "a third task, once the failed one freed its room");
    pool.close();
    pool.close();
    await within(pool.join(), "join()");
    assert.deepEqual(errors.map((e) => (e as Error).message), ["boom"]);
  });

  test("bad input is refused at the call, not as a rejected promise", () => {
    assert.throws(() => new BoundedPool(2, 0), { name: "RangeError", message: /maxQueued/ });
    assert.throws(() => new BoundedPool(2, 1.5), { name: "RangeError", message: /maxQueued/ });
    assert.throws(() => new BoundedPool(2, "3" as unknown as number), { name: "TypeError", message: /maxQueued/ });
    assert.throws(() => new BoundedPool(0, 3), { name: "RangeError", message: "Number of processes must be at least 1" });
    const pool = new BoundedPool(1, 1);
    assert.throws(() => pool.applyAsync(42 as unknown as Task), { name: "TypeError", message: /task/ });
    pool.close();
  });
});
