import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { settledState, within } from "../../testkit/index.js";
import { QueueShutDown, ShutdownQueue } from "#exercise/01-reusable-worker/queue-shutdown.js";

const shutDown = { name: "QueueShutDown" };

describe("01.2 ShutdownQueue before shutdown()", () => {
  test("it is an ordinary AsyncQueue: order, waiting, taskDone and join", async () => {
    const queue = new ShutdownQueue<string>(2);
    assert.equal(queue.isShutdown, false);
    const waiting = queue.get();
    await queue.put("a");
    assert.equal(await within(waiting, "a get() waiting for put(\"a\")"), "a");
    queue.putNowait("b");
    await queue.put("c");
    assert.throws(() => queue.putNowait("d"), { name: "QueueFull" });
    assert.deepEqual([queue.getNowait(), await within(queue.get(), "get()")], ["b", "c"]);
    assert.throws(() => queue.getNowait(), { name: "QueueEmpty" });
    for (let i = 0; i < 3; i++) queue.taskDone();
    await within(queue.join(), "join() after three taskDone() calls");
  });

  test("a caller's own timeout and signal still work", async () => {
    const queue = new ShutdownQueue<number>(1);
    await assert.rejects(within(queue.get({ timeoutMs: 10 }), "get(timeoutMs: 10)"), { name: "QueueEmpty" });
    const controller = new AbortController();
    const aborted = queue.get({ signal: controller.signal });
    controller.abort(new Error("caller gave up"));
    await assert.rejects(within(aborted, "an aborted get()"), /caller gave up/);
    await assert.rejects(queue.get({ signal: AbortSignal.abort(new Error("already")) }), /already/);
    queue.putNowait(1);
    await assert.rejects(within(queue.put(2, { timeoutMs: 10 }), "put(timeoutMs: 10)"), { name: "QueueFull" });
    assert.equal(queue.getNowait(), 1, "no getter that gave up swallowed the item");
  });

  test("QueueShutDown is an Error named QueueShutDown", () => {
    const error = new QueueShutDown();
    assert.ok(error instanceof Error);
    assert.equal(error.name, "QueueShutDown");
  });
});

describe("01.2 shutdown() (python-semantics items 19, 21, 22)", () => {
  test("isShutdown turns true, and put/putNowait are refused without adding anything", async () => {
    const queue = new ShutdownQueue<number>();
    queue.putNowait(1);
    queue.shutdown();
    assert.equal(queue.isShutdown, true);
    assert.throws(() => queue.putNowait(2), QueueShutDown);
    await assert.rejects(within(queue.put(3), "put() after shutdown()"), QueueShutDown);
    assert.equal(queue.qsize(), 1);
    assert.equal(queue.unfinishedTasks, 1);
  });

  test("gets drain what is stored, in order, and only then say QueueShutDown", async () => {
    const queue = new ShutdownQueue<string>();
    ["a", "b", "c"].forEach((item) => queue.putNowait(item));
    queue.shutdown();
    assert.equal(queue.getNowait(), "a");
    assert.equal(await within(queue.get(), "get() on a shut-down queue holding items"), "b");
    assert.equal(await within(queue.get({ timeoutMs: 0 }), "get(timeoutMs: 0) holding an item"), "c");
    assert.throws(() => queue.getNowait(), QueueShutDown, "an empty shut-down queue says QueueShutDown, not QueueEmpty");
    await assert.rejects(within(queue.get(), "get() on an empty shut-down queue"), QueueShutDown);
    await assert.rejects(within(queue.get({ timeoutMs: 0 }), "get(timeoutMs: 0)"), QueueShutDown);
  });

  test("getters waiting on an empty queue are woken with QueueShutDown", async () => {
    const queue = new ShutdownQueue<number>();
    const controller = new AbortController();
    const getters = [queue.get(), queue.get({ timeoutMs: 60_000 }), queue.get({ signal: controller.signal })];
    assert.equal((await settledState(getters[0] as Promise<number>)).state, "pending");
    queue.shutdown();
    for (const [i, getter] of getters.entries()) {
      await assert.rejects(within(getter, `waiting getter ${i} after shutdown()`), shutDown);
    }
  });

  test("putters waiting on a full queue are woken with QueueShutDown, and their items stay out", async () => {
    const queue = new ShutdownQueue<number>(1);
    queue.putNowait(1);
    const putters = [queue.put(2), queue.put(3, { timeoutMs: 60_000 }), queue.put(4, { signal: new AbortController().signal })];
    assert.equal((await settledState(putters[0] as Promise<void>)).state, "pending");
    queue.shutdown();
    for (const [i, putter] of putters.entries()) {
      await assert.rejects(within(putter, `waiting putter ${i} after shutdown()`), shutDown);
    }
    assert.equal(queue.getNowait(), 1);
    assert.equal(queue.qsize(), 0, "no woken putter added its item to the slot get() freed");
    assert.equal(queue.unfinishedTasks, 1);
  });

  test("after shutdown(), joiners are released by ordinary taskDone calls (item 22)", async () => {
    const queue = new ShutdownQueue<number>();
    queue.putNowait(1);
    queue.putNowait(2);
    queue.shutdown();
    const joiners = [queue.join(), queue.join()];
    assert.equal((await settledState(joiners[0] as Promise<void>)).state, "pending");
    queue.getNowait();
    queue.taskDone();
    queue.getNowait();
    queue.taskDone();
    await within(Promise.all(joiners), "two joiners after two taskDone() calls");
  });

  test("consumers can stop on QueueShutDown instead of a sentinel", async () => {
    const queue = new ShutdownQueue<number>();
    let total = 0;
    const consumer = async () => {
      for (;;) {
        let item: number;
        try {
          item = await queue.get();
        } catch (error) {
          if (error instanceof QueueShutDown) return;
          throw error;
        }
        total += item;
        queue.taskDone();
      }
    };
    const consumers = [consumer(), consumer()];
    for (let i = 1; i <= 100; i++) await queue.put(i);
    queue.shutdown();
    await within(Promise.all(consumers), "both consumers to return once the queue is drained");
    assert.equal(total, 5050);
    await within(queue.join(), "join() after the consumers are done");
  });

  test("shutdown() twice is harmless", async () => {
    const queue = new ShutdownQueue<number>();
    queue.putNowait(7);
    queue.shutdown();
    queue.shutdown();
    assert.equal(await within(queue.get(), "get() after two shutdowns"), 7);
  });
});

describe("01.2 shutdown({ immediate: true }) (python-semantics items 20, 21)", () => {
  test("it drops what is stored and counts each dropped item as done", async () => {
    const queue = new ShutdownQueue<string>();
    ["a", "b", "c"].forEach((item) => queue.putNowait(item));
    const joined = queue.join();
    queue.shutdown({ immediate: true });
    assert.equal(queue.isShutdown, true);
    assert.equal(queue.qsize(), 0);
    assert.equal(queue.unfinishedTasks, 0);
    await within(joined, "join() after an immediate shutdown dropped every item");
    assert.throws(() => queue.getNowait(), QueueShutDown);
    assert.throws(() => queue.taskDone(), /task_done\(\) called too many times/);
  });

  test("items taken but not yet done still hold join() back", async () => {
    const queue = new ShutdownQueue<string>();
    ["taken", "dropped 1", "dropped 2"].forEach((item) => queue.putNowait(item));
    assert.equal(queue.getNowait(), "taken");
    queue.shutdown({ immediate: true });
    assert.equal(queue.unfinishedTasks, 1);
    const joined = queue.join();
    assert.equal((await settledState(joined)).state, "pending", "join() while the taken item is unfinished");
    queue.taskDone();
    await within(joined, "join() after the taken item's taskDone()");
  });

  test("the count never drops below zero", async () => {
    const queue = new ShutdownQueue<string>();
    queue.putNowait("finished early");
    queue.taskDone(); // taskDone needs no get: the item is done but still stored
    queue.putNowait("unfinished");
    queue.shutdown({ immediate: true });
    assert.equal(queue.unfinishedTasks, 0);
    await within(queue.join(), "join() after the immediate shutdown");
  });

  test("waiting putters are refused, so the queue ends empty", async () => {
    const queue = new ShutdownQueue<number>(1);
    queue.putNowait(1);
    const putter = queue.put(2);
    queue.shutdown({ immediate: true });
    await assert.rejects(within(putter, "the waiting put(2)"), shutDown);
    assert.equal(queue.qsize(), 0, "put(2) slipped into the slot the shutdown freed");
    assert.equal(queue.unfinishedTasks, 0);
  });

  test("an immediate shutdown after a normal one drops the rest (item 21)", async () => {
    const queue = new ShutdownQueue<number>();
    [1, 2, 3].forEach((n) => queue.putNowait(n));
    queue.shutdown();
    assert.equal(queue.getNowait(), 1);
    queue.shutdown({ immediate: true });
    assert.equal(queue.qsize(), 0);
    assert.equal(queue.unfinishedTasks, 1, "only the item taken is still unfinished");
    queue.taskDone();
    await within(queue.join(), "join()");
  });
});

describe("01.2 bad input", () => {
  test("immediate must be a boolean, and a refused call shuts nothing down", () => {
    const queue = new ShutdownQueue<number>();
    queue.putNowait(1);
    assert.throws(() => queue.shutdown({ immediate: "yes" as unknown as boolean }), { name: "TypeError", message: /immediate/ });
    assert.equal(queue.isShutdown, false);
    assert.equal(queue.qsize(), 1);
  });

  test("a bad timeoutMs or signal still throws at the call, on an empty or a full queue", () => {
    const empty = new ShutdownQueue<number>();
    assert.throws(() => empty.get({ timeoutMs: -1 }), RangeError);
    assert.throws(() => empty.get({ signal: "no" as unknown as AbortSignal }), { name: "TypeError", message: /signal/ });
    const full = new ShutdownQueue<number>(1);
    full.putNowait(1);
    assert.throws(() => full.put(2, { timeoutMs: Number.NaN }), RangeError);
    full.shutdown();
    assert.equal(full.getNowait(), 1, "nothing queued was lost");
  });
});
