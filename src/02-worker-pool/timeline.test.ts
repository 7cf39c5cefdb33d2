import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sleep, within } from "../../testkit/index.js";
import { SimplePool, Timeline, type TimelineSpan } from "../index.js";
import { durationOf, rowsOf, ticks } from "./timeline-layout.js";

const quiet = () => {};

describe("Timeline", () => {
  test("records which worker ran which task, from when to when", async () => {
    const timeline = new Timeline();
    const pool = new SimplePool(3, { timeline });
    for (let i = 0; i < 9; i++) pool.applyAsync(() => sleep(5));
    pool.close();
    await within(pool.join(), "join()");
    assert.deepEqual(timeline.workers, [1, 2, 3]);
    const spans = [...timeline.spans].sort((a, b) => a.task - b.task);
    assert.deepEqual(spans.map((s) => s.task), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const span of spans) {
      assert.ok([1, 2, 3].includes(span.worker), `task ${span.task} ran on worker ${span.worker}`);
      assert.ok(span.start >= 0 && span.end >= span.start + 4, `task ${span.task} lasted ${span.end - span.start} ms`);
      assert.equal(span.failed, false);
    }
    for (let i = 1; i < spans.length; i++) {
      assert.ok((spans[i] as TimelineSpan).start >= (spans[i - 1] as TimelineSpan).start, "tasks start in the order given");
    }
    for (const worker of [1, 2, 3]) {
      const own = spans.filter((s) => s.worker === worker);
      assert.equal(own.length, 3, `worker ${worker} ran one task per wave`);
      for (let i = 1; i < own.length; i++) {
        assert.ok((own[i] as TimelineSpan).start >= (own[i - 1] as TimelineSpan).end, `worker ${worker} ran two tasks at once`);
      }
    }
  });

  test("times come from the clock it is given, measured from its creation", async () => {
    let clock = 100;
    const timeline = new Timeline({ now: () => clock });
    const pool = new SimplePool(1, { timeline, onError: quiet });
    pool.applyAsync(() => {
      clock = 130; // the task "took" 30 ms
    });
    pool.applyAsync(() => {
      clock = 150;
      throw new Error("failed at 150");
    });
    pool.close();
    await within(pool.join(), "join()");
    assert.deepEqual(timeline.spans, [
      { worker: 1, task: 0, start: 0, end: 30, failed: false },
      { worker: 1, task: 1, start: 30, end: 50, failed: true },
    ]);
  });

  test("what a task awaits still counts as its worker's", async () => {
    const timeline = new Timeline();
    const pool = new SimplePool(2, { timeline });
    const seen: number[] = [];
    const probe = timeline.track(() => {}); // a tracked task run by hand records its caller's worker
    pool.applyAsync(async () => {
      await sleep(3);
      await probe();
    });
    pool.close();
    await within(pool.join(), "join()");
    seen.push(...timeline.spans.map((s) => s.worker));
    assert.deepEqual(seen, [1, 1], "the probe ran inside worker 1's task");
  });

  test("a tracked task keeps its result and its error, and outside a pool it has worker 0", async () => {
    const timeline = new Timeline();
    assert.equal(await timeline.track(() => 42)(), 42);
    await assert.rejects(async () => timeline.track(() => Promise.reject(new Error("no")))(), /no/);
    assert.deepEqual(
      timeline.spans.map(({ worker, task, failed }) => ({ worker, task, failed })),
      [
        { worker: 0, task: 0, failed: false },
        { worker: 0, task: 1, failed: true },
      ],
    );
  });

  test("one timeline can record two pools in turn, the second after the first has joined", async () => {
    const timeline = new Timeline();
    for (const size of [1, 2]) {
      const pool = new SimplePool(size, { timeline });
      pool.applyAsync(() => sleep(1));
      pool.close();
      await within(pool.join(), `join() of the pool of ${size}`);
    }
    // The second pool's workers are numbered by the pool, so they are 1 and 2 again.
    assert.deepEqual(timeline.workers, [1, 1, 2]);
    assert.deepEqual(timeline.spans.map((s) => [s.task, s.worker]), [
      [0, 1],
      [1, 1],
    ]);
  });

  test("what it returns cannot change what it recorded", () => {
    const timeline = new Timeline();
    (timeline.spans as TimelineSpan[]).push({ worker: 9, task: 9, start: 0, end: 1, failed: false });
    (timeline.workers as number[]).push(9);
    assert.deepEqual([timeline.spans, timeline.workers], [[], []]);
  });

  test("bad input is refused", () => {
    assert.throws(() => new Timeline({ now: 5 as unknown as () => number }), { name: "TypeError", message: /now must be a function/ });
    assert.throws(() => new Timeline().track(7 as unknown as () => void), { name: "TypeError", message: /task must be a function/ });
  });
});

describe("timeline layout (shared by both renderers)", () => {
  test("rows: every worker in order, then workers only the spans mention", () => {
    const span = (worker: number): TimelineSpan => ({ worker, task: 0, start: 0, end: 1, failed: false });
    assert.deepEqual(rowsOf({ workers: [1, 2, 3], spans: [span(2)] }), [1, 2, 3]);
    assert.deepEqual(rowsOf({ workers: [1], spans: [span(0), span(1), span(0)] }), [1, 0]);
  });

  test("the duration is the last end, or until, and never 0", () => {
    const spans: TimelineSpan[] = [{ worker: 1, task: 0, start: 0, end: 250, failed: false }];
    assert.equal(durationOf({ workers: [1], spans }), 250);
    assert.equal(durationOf({ workers: [1], spans }, 900), 900);
    assert.equal(durationOf({ workers: [], spans: [] }), 1);
  });

  test("ticks fall on round steps, in seconds from 1 s up", () => {
    assert.deepEqual(ticks(3010, 8).map((t) => t.label), ["0 s", "0.5 s", "1 s", "1.5 s", "2 s", "2.5 s", "3 s"]);
    assert.deepEqual(ticks(9020, 8).map((t) => t.label), ["0 s", "2 s", "4 s", "6 s", "8 s"]);
    assert.deepEqual(ticks(250, 6).map((t) => t.at), [0, 50, 100, 150, 200, 250]);
    assert.deepEqual(ticks(250, 6).map((t) => t.label).slice(0, 2), ["0 ms", "50 ms"]);
    assert.deepEqual(ticks(7, 100).length, 8, "1 ms steps at most");
    assert.deepEqual(ticks(500, 0), [{ at: 0, label: "0 ms" }], "one mark when no more fit");
  });
});
