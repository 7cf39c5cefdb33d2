import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AsyncQueue, STOP } from "pools-by-hand";
import { flushMicrotasks, settledState, within } from "../../testkit/index.js";
import { items } from "#exercise/01-reusable-worker/queue-iterator.js";

type Jobs<T> = AsyncQueue<T | typeof STOP>;

/** Runs a for-await loop over `items(queue)`, bounded so a loop that never ends fails the test. */
async function loop<T>(what: string, queue: Jobs<T>, body: (item: T) => unknown | Promise<unknown>): Promise<void> {
  await within(
    (async () => {
      for await (const item of items(queue)) await body(item);
    })(),
    what,
  );
}

describe("01.4 items(queue)", () => {
  test("yields the items in order and ends when it takes STOP", async () => {
    const queue: Jobs<string> = new AsyncQueue();
    ["a", "b", "c"].forEach((item) => queue.putNowait(item));
    queue.putNowait(STOP);
    const seen: string[] = [];
    await loop("a loop over a, b, c, STOP", queue, (item) => seen.push(item));
    assert.deepEqual(seen, ["a", "b", "c"]);
    assert.equal(queue.unfinishedTasks, 0, "every item and STOP got its taskDone()");
    await within(queue.join(), "join() after the loop");
  });

  test("an item is done when its loop body has finished, not when it is taken", async () => {
    const queue: Jobs<number> = new AsyncQueue();
    queue.putNowait(1);
    queue.putNowait(2);
    queue.putNowait(STOP);
    const unfinished: number[] = [];
    await loop("a loop over 1, 2, STOP", queue, async (item) => {
      await flushMicrotasks();
      unfinished.push(queue.unfinishedTasks);
      if (item === 2) assert.equal((await settledState(queue.join())).state, "pending", "join() while the last body runs");
    });
    assert.deepEqual(unfinished, [3, 2], "1, 2 and STOP unfinished during the first body; 2 and STOP during the second");
  });

  test("it waits for items that come later", async () => {
    const queue: Jobs<number> = new AsyncQueue();
    const seen: number[] = [];
    const looping = loop("a loop fed while it runs", queue, (item) => seen.push(item));
    await flushMicrotasks();
    queue.putNowait(1);
    await flushMicrotasks();
    queue.putNowait(2);
    queue.putNowait(STOP);
    await looping;
    assert.deepEqual(seen, [1, 2]);
  });

  test("break marks the item in hand done and leaves the rest in the queue", async () => {
    const queue: Jobs<string> = new AsyncQueue();
    ["first", "second", "third"].forEach((item) => queue.putNowait(item));
    for await (const item of items(queue)) {
      assert.equal(item, "first");
      break;
    }
    assert.equal(queue.unfinishedTasks, 2, "the item the loop broke on is done");
    assert.deepEqual([queue.getNowait(), queue.getNowait()], ["second", "third"]);
  });

  test("a body that throws marks its item done, and the error comes out of the loop", async () => {
    const queue: Jobs<string> = new AsyncQueue();
    queue.putNowait("bad");
    queue.putNowait("kept");
    await assert.rejects(
      loop("a loop whose body throws", queue, () => {
        throw new Error("body failed");
      }),
      /body failed/,
    );
    assert.equal(queue.unfinishedTasks, 1);
    assert.equal(queue.getNowait(), "kept");
  });

  test("two loops share one queue: each item goes to exactly one", async () => {
    const queue: Jobs<number> = new AsyncQueue();
    const seen: number[] = [];
    const loops = [1, 2].map(() => loop("one of two loops", queue, async (item) => {
      await flushMicrotasks();
      seen.push(item);
    }));
    for (let i = 0; i < 20; i++) queue.putNowait(i);
    queue.putNowait(STOP);
    queue.putNowait(STOP);
    await Promise.all(loops);
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
    await within(queue.join(), "join() after both loops");
  });

  test("an aborted signal ends the wait: the loop throws its reason and takes nothing", async () => {
    const queue: Jobs<string> = new AsyncQueue();
    const controller = new AbortController();
    const looping = (async () => {
      for await (const item of items(queue, { signal: controller.signal })) assert.fail(`took ${item}`);
    })();
    await flushMicrotasks();
    controller.abort(new Error("no more waiting"));
    await assert.rejects(within(looping, "the loop after abort()"), /no more waiting/);
    queue.putNowait("later");
    assert.equal(queue.getNowait(), "later", "the aborted loop swallowed nothing");
  });

  test("a signal that is not an AbortSignal throws at the call, before any loop", () => {
    const queue: Jobs<number> = new AsyncQueue();
    queue.putNowait(1);
    assert.throws(() => items(queue, { signal: "stop" as unknown as AbortSignal }), { name: "TypeError", message: /signal/ });
    assert.equal(queue.qsize(), 1);
  });
});
