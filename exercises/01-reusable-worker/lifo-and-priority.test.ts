import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { settledState, within } from "../../testkit/index.js";
import { LifoQueue, PriorityQueue } from "#exercise/01-reusable-worker/lifo-and-priority.js";

function drain<T>(queue: { getNowait(): T; empty(): boolean }): T[] {
  const out: T[] = [];
  while (!queue.empty()) out.push(queue.getNowait());
  return out;
}

describe("01.1 LifoQueue", () => {
  test("the newest item comes out first (python-semantics item 5)", () => {
    const queue = new LifoQueue<number>();
    [111, 333, 222].forEach((n) => queue.putNowait(n));
    assert.equal(queue.qsize(), 3);
    assert.deepEqual(drain(queue), [222, 333, 111]);
  });

  test("taskDone and join still count every item", async () => {
    const queue = new LifoQueue<string>();
    queue.putNowait("a");
    queue.putNowait("b");
    const joined = queue.join();
    assert.equal(queue.getNowait(), "b");
    queue.taskDone();
    assert.equal((await settledState(joined)).state, "pending", "join() with one item unfinished");
    queue.getNowait();
    queue.taskDone();
    await within(joined, "join() after both taskDone() calls");
  });

  test("a bounded LIFO queue is full at maxsize and a waiting get is served", async () => {
    const queue = new LifoQueue<number>(2);
    queue.putNowait(1);
    queue.putNowait(2);
    assert.equal(queue.full(), true);
    drain(queue);
    const waiting = queue.get();
    queue.putNowait(7);
    assert.equal(await within(waiting, "a get() waiting on an empty LifoQueue"), 7);
  });
});

describe("01.1 PriorityQueue", () => {
  test("the smallest item comes out first (python-semantics item 5)", () => {
    const queue = new PriorityQueue<number>();
    [111, 333, 222].forEach((n) => queue.putNowait(n));
    assert.deepEqual(drain(queue), [111, 222, 333]);
  });

  test("strings use the default order too", () => {
    const queue = new PriorityQueue<string>();
    ["pear", "apple", "fig"].forEach((s) => queue.putNowait(s));
    assert.deepEqual(drain(queue), ["apple", "fig", "pear"]);
  });

  test("a compare function orders [priority, task] pairs", () => {
    const queue = new PriorityQueue<[number, string]>(0, (a, b) => a[0] - b[0]);
    queue.putNowait([3, "low"]);
    queue.putNowait([1, "urgent"]);
    queue.putNowait([2, "normal"]);
    assert.deepEqual(drain(queue).map(([, name]) => name), ["urgent", "normal", "low"]);
  });

  test("many random items come out sorted, interleaved with takes", () => {
    const queue = new PriorityQueue<number>();
    const taken: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 2000; i++) {
      queue.putNowait(random() % 1000);
      if (i % 5 === 4) taken.push(queue.getNowait());
    }
    const rest = drain(queue);
    assert.equal(taken.length + rest.length, 2000);
    assert.deepEqual(rest, [...rest].sort((a, b) => a - b));
  });

  test("taskDone and join still count every item", async () => {
    const queue = new PriorityQueue<number>();
    queue.putNowait(2);
    queue.putNowait(1);
    queue.getNowait();
    queue.getNowait();
    queue.taskDone();
    queue.taskDone();
    await within(queue.join(), "join() after two taskDone() calls");
    assert.throws(() => queue.taskDone(), /task_done\(\) called too many times/);
  });
});
