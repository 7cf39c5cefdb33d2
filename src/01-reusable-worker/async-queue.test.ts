import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { settledState, sleep, within } from "../../testkit/index.js";
import { AsyncQueue, InvalidStateError, QueueEmpty, QueueFull } from "./index.js";

describe("AsyncQueue: task accounting (python-semantics items 1-4, 25)", () => {
  test("the unfinished count rises on put and falls only on taskDone (item 1)", async () => {
    const queue = new AsyncQueue<number>();
    for (const n of [1, 2, 3]) await queue.put(n);
    assert.equal(queue.unfinishedTasks, 3);
    for (let i = 0; i < 3; i++) await queue.get();
    assert.equal(queue.unfinishedTasks, 3, "get() must not finish a task");
    const joined = queue.join();
    queue.taskDone();
    queue.taskDone();
    assert.equal((await settledState(joined)).state, "pending", "join() with one task unfinished");
    queue.taskDone();
    await within(joined, "join() after the third taskDone()");
    assert.equal(queue.unfinishedTasks, 0);
  });

  test("join() resolves at once on a fresh queue, and again and again (item 2)", async () => {
    const queue = new AsyncQueue();
    await within(queue.join(), "join() on a fresh queue", 100);
    await within(queue.join(), "a second join() on a fresh queue", 100);
  });

  test("every joiner is released together by the last taskDone (item 2)", async () => {
    const queue = new AsyncQueue<string>();
    queue.putNowait("x");
    const released: number[] = [];
    const joiners = [1, 2, 3].map((n) => queue.join().then(() => released.push(n)));
    await sleep(5);
    assert.deepEqual(released, []);
    queue.getNowait();
    queue.taskDone();
    await within(Promise.all(joiners), "three joiners");
    assert.deepEqual(released.sort(), [1, 2, 3]);
  });

  test("join() can wait again after new work arrives", async () => {
    const queue = new AsyncQueue<string>();
    queue.putNowait("a");
    queue.taskDone();
    await within(queue.join(), "join() after the first batch");
    queue.putNowait("b");
    const joined = queue.join();
    assert.equal((await settledState(joined)).state, "pending");
    queue.taskDone();
    await within(joined, "join() after the second batch");
  });

  test("one taskDone too many throws and leaves the count at zero (items 3, 25)", () => {
    const queue = new AsyncQueue<number>();
    assert.throws(() => queue.taskDone(), { name: "InvalidStateError", message: "task_done() called too many times" });
    queue.putNowait(1);
    queue.taskDone();
    assert.throws(() => queue.taskDone(), InvalidStateError);
    assert.equal(queue.unfinishedTasks, 0);
  });

  test("taskDone does not need a matching get (item 4)", async () => {
    const queue = new AsyncQueue<string>();
    queue.putNowait("x");
    queue.taskDone();
    await within(queue.join(), "join() with the item still stored");
    assert.equal(queue.qsize(), 1);
  });
});

describe("AsyncQueue: non-blocking calls and sizes (items 6, 7, 12, 13, 26)", () => {
  test("getNowait on an empty queue throws QueueEmpty (items 6, 26)", () => {
    const queue = new AsyncQueue<number>();
    assert.throws(() => queue.getNowait(), QueueEmpty);
  });

  test("putNowait on a full queue throws QueueFull and keeps what it held (items 7, 26)", () => {
    const queue = new AsyncQueue<number>(2);
    queue.putNowait(1);
    queue.putNowait(2);
    assert.throws(() => queue.putNowait(3), QueueFull);
    assert.equal(queue.getNowait(), 1);
    assert.equal(queue.getNowait(), 2);
  });

  test("a timeout of 0 never waits (items 7, 10)", async () => {
    const full = new AsyncQueue<number>(1);
    full.putNowait(1);
    await assert.rejects(within(full.put(2, { timeoutMs: 0 }), "put(timeoutMs: 0)", 50), QueueFull);
    await assert.rejects(within(new AsyncQueue().get({ timeoutMs: 0 }), "get(timeoutMs: 0)", 50), QueueEmpty);
  });

  test("maxsize 0 or below means unbounded, and full() is then always false (item 12)", () => {
    for (const maxsize of [0, -5]) {
      const queue = new AsyncQueue<number>(maxsize);
      for (let i = 0; i < 100; i++) queue.putNowait(i);
      assert.equal(queue.full(), false);
      assert.equal(queue.qsize(), 100);
    }
  });

  test("qsize, empty and full describe what is stored (item 13)", () => {
    const queue = new AsyncQueue<number>(2);
    assert.deepEqual([queue.qsize(), queue.empty(), queue.full()], [0, true, false]);
    queue.putNowait(1);
    queue.putNowait(2);
    assert.deepEqual([queue.qsize(), queue.empty(), queue.full()], [2, false, true]);
    queue.getNowait();
    assert.deepEqual([queue.qsize(), queue.unfinishedTasks], [1, 2]);
  });

  test("items come out in the order they went in", () => {
    const queue = new AsyncQueue<number>();
    [111, 333, 222].forEach((n) => queue.putNowait(n));
    assert.deepEqual([queue.getNowait(), queue.getNowait(), queue.getNowait()], [111, 333, 222]);
  });

  test("a long run through the queue keeps its order (no shift(), head index)", () => {
    const queue = new AsyncQueue<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      queue.putNowait(i);
      if (i % 3 === 0) out.push(queue.getNowait());
    }
    while (!queue.empty()) out.push(queue.getNowait());
    assert.deepEqual(out, [...out].sort((a, b) => a - b));
    assert.equal(out.length, 5000);
  });
});

describe("AsyncQueue: waiting (items 8, 9, 10, 15, 17, 27)", () => {
  test("a blocked put waits for a get, then adds its item in order (item 8)", async () => {
    const queue = new AsyncQueue<number>(2);
    queue.putNowait(1);
    queue.putNowait(2);
    const put = queue.put(3);
    assert.equal((await settledState(put)).state, "pending");
    assert.equal(queue.getNowait(), 1);
    await within(put, "the blocked put(3) after a get");
    assert.deepEqual([queue.getNowait(), queue.getNowait()], [2, 3]);
    assert.equal(queue.unfinishedTasks, 3);
  });

  test("a blocked get waits for a put (item 9)", async () => {
    const queue = new AsyncQueue<string>();
    const got = queue.get();
    assert.equal((await settledState(got)).state, "pending");
    queue.putNowait("hello");
    assert.equal(await within(got, "get() after a put"), "hello");
    assert.equal(queue.qsize(), 0, "the item went straight to the getter");
  });

  test("get(timeoutMs) rejects with QueueEmpty when nothing arrives (item 9)", async () => {
    const queue = new AsyncQueue();
    const started = performance.now();
    await assert.rejects(within(queue.get({ timeoutMs: 30 }), "get(timeoutMs: 30)"), QueueEmpty);
    assert.ok(performance.now() - started >= 25, "it waited for the timeout");
  });

  test("put(timeoutMs) on a full queue rejects with QueueFull and adds nothing (item 10)", async () => {
    const queue = new AsyncQueue<number>(1);
    queue.putNowait(1);
    await assert.rejects(within(queue.put(2, { timeoutMs: 20 }), "put(timeoutMs: 20)"), QueueFull);
    queue.getNowait();
    assert.equal(queue.qsize(), 0);
    assert.equal(queue.unfinishedTasks, 1);
  });

  test("waiting getters are served first come, first served (items 15, 27)", async () => {
    const queue = new AsyncQueue<string>();
    const got = [queue.get(), queue.get(), queue.get()];
    queue.putNowait("a");
    queue.putNowait("b");
    queue.putNowait("c");
    assert.deepEqual(await within(Promise.all(got), "three waiting getters"), ["a", "b", "c"]);
  });

  test("waiting putters are served first come, first served (item 27)", async () => {
    const queue = new AsyncQueue<number>(1);
    queue.putNowait(0);
    const puts = [queue.put(1), queue.put(2), queue.put(3)];
    const got: number[] = [];
    for (let i = 0; i < 4; i++) got.push(await within(queue.get(), `get number ${i}`));
    await within(Promise.all(puts), "three waiting putters");
    assert.deepEqual(got, [0, 1, 2, 3]);
  });

  test("a getter that timed out never swallows a later item (item 17)", async () => {
    const queue = new AsyncQueue<string>();
    await assert.rejects(queue.get({ timeoutMs: 5 }), QueueEmpty);
    queue.putNowait("x");
    assert.equal(await within(queue.get(), "the next get()"), "x");
  });

  test("an aborted getter rejects with the signal's reason and swallows nothing", async () => {
    const queue = new AsyncQueue<string>();
    const controller = new AbortController();
    const first = queue.get({ signal: controller.signal });
    const second = queue.get();
    controller.abort(new Error("stop waiting"));
    await assert.rejects(within(first, "the aborted get()"), /stop waiting/);
    queue.putNowait("y");
    assert.equal(await within(second, "the second getter"), "y");
  });

  test("an already aborted signal rejects at once and takes nothing", async () => {
    const queue = new AsyncQueue<string>();
    queue.putNowait("kept");
    await assert.rejects(queue.get({ signal: AbortSignal.abort() }), { name: "AbortError" });
    await assert.rejects(queue.put("dropped", { signal: AbortSignal.abort() }), { name: "AbortError" });
    assert.equal(queue.qsize(), 1);
    assert.equal(queue.getNowait(), "kept");
  });

  test("an aborted putter adds nothing, and the one behind it moves up", async () => {
    const queue = new AsyncQueue<number>(1);
    queue.putNowait(0);
    const controller = new AbortController();
    const aborted = queue.put(1, { signal: controller.signal });
    const kept = queue.put(2);
    controller.abort();
    await assert.rejects(within(aborted, "the aborted put(1)"), { name: "AbortError" });
    assert.equal(queue.getNowait(), 0);
    await within(kept, "put(2)");
    assert.equal(queue.getNowait(), 2);
    assert.equal(queue.unfinishedTasks, 2);
  });

  test("a served getter's timer is disarmed, so the timeout cannot fire later", async () => {
    const queue = new AsyncQueue<string>();
    const got = queue.get({ timeoutMs: 30 });
    queue.putNowait("in time");
    assert.equal(await within(got, "get() served before its timeout"), "in time");
    await sleep(40); // an undisarmed timer would reject a settled promise: harmless but leaky
  });

  test("many getters that time out do not pile up forever", async () => {
    const queue = new AsyncQueue<number>();
    for (let i = 0; i < 200; i++) {
      await assert.rejects(queue.get({ timeoutMs: 0 }), QueueEmpty);
      void queue.get({ signal: AbortSignal.abort() }).catch(() => {});
    }
    const controller = new AbortController();
    const parked = Array.from({ length: 100 }, () => queue.get({ signal: controller.signal }).catch(() => "aborted"));
    controller.abort();
    assert.deepEqual(new Set(await within(Promise.all(parked), "100 aborted getters")), new Set(["aborted"]));
    const waiting = queue.get();
    queue.putNowait(42);
    assert.equal(await within(waiting, "a live getter behind 100 aborted ones"), 42);
  });
});

describe("AsyncQueue: the worker idiom (items 24, 31)", () => {
  test("two consumers drain 100 items and join() returns after the last taskDone", async () => {
    const queue = new AsyncQueue<number | null>();
    let total = 0;
    const consumer = async () => {
      for (;;) {
        const item = await queue.get();
        try {
          if (item === null) return;
          await sleep(0);
          total += item;
        } finally {
          queue.taskDone();
        }
      }
    };
    const consumers = [consumer(), consumer()];
    for (let i = 0; i < 100; i++) await queue.put(i);
    await within(queue.join(), "join() after 100 items");
    assert.equal(total, 4950);
    queue.putNowait(null);
    queue.putNowait(null);
    await within(Promise.all(consumers), "both consumers to stop on the sentinel");
  });
});

describe("AsyncQueue: bad input is refused at the call", () => {
  test("maxsize must be a whole number", () => {
    assert.throws(() => new AsyncQueue(Number.NaN), { name: "RangeError", message: /maxsize/ });
    assert.throws(() => new AsyncQueue("3" as unknown as number), { name: "TypeError", message: /maxsize must be a number/ });
    assert.throws(() => new AsyncQueue(1.5), { name: "RangeError", message: /maxsize must be a whole number/ });
    assert.throws(() => new AsyncQueue(Number.POSITIVE_INFINITY), RangeError);
  });

  test("timeoutMs must be a finite number >= 0, and nothing queued is lost", () => {
    const queue = new AsyncQueue<number>();
    queue.putNowait(1);
    for (const timeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => queue.get({ timeoutMs }), { name: "RangeError", message: /timeoutMs/ });
      assert.throws(() => queue.put(2, { timeoutMs }), { name: "RangeError", message: /timeoutMs/ });
    }
    assert.throws(() => queue.get({ timeoutMs: "5" as unknown as number }), { name: "TypeError", message: /timeoutMs/ });
    assert.throws(() => queue.get({ signal: "no" as unknown as AbortSignal }), { name: "TypeError", message: /signal/ });
    assert.equal(queue.qsize(), 1);
    assert.equal(queue.unfinishedTasks, 1);
    assert.equal(queue.getNowait(), 1);
  });
});
