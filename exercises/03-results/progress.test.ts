import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Pool } from "pools-by-hand";
import { flushMicrotasks, sleep, within } from "../../testkit/index.js";
import { formatProgress, mapWithProgress, progressLine, type Progress } from "#exercise/03-results/progress.js";

/** A promise the test resolves when it chooses. */
function gate<T>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

async function finish(pool: Pool): Promise<void> {
  pool.close();
  await within(pool.join(), "pool.join()");
}

describe("03.3 formatProgress, on fixed inputs", () => {
  test("at the start: an empty bar, no rate, no ETA", () => {
    assert.equal(formatProgress({ done: 0, total: 20, elapsedMs: 0 }), "[....................]   0/20    0%  -/s  ETA ?");
  });

  test("part way: the bar, the count, the percentage, the rate and the time left", () => {
    assert.equal(formatProgress({ done: 7, total: 20, elapsedMs: 2000 }), "[#######.............]   7/20   35%  3.5/s  ETA 3.7s");
  });

  test("at the end: a full bar and the time it took", () => {
    assert.equal(formatProgress({ done: 20, total: 20, elapsedMs: 4000 }), "[####################]  20/20  100%  5.0/s  done in 4.0s");
  });

  test("a minute or more is shown in minutes and seconds", () => {
    assert.equal(formatProgress({ done: 1, total: 400, elapsedMs: 1000 }), "[....................]    1/400    0%  1.0/s  ETA 6m39s");
    assert.equal(formatProgress({ done: 400, total: 400, elapsedMs: 90_000 }), "[####################]  400/400  100%  4.4/s  done in 1m30s");
  });

  test("nothing to do is done at once; the width is an option", () => {
    assert.equal(formatProgress({ done: 0, total: 0, elapsedMs: 0 }), "[####################]  0/0  100%  -/s  done in 0.0s");
    assert.equal(formatProgress({ done: 5, total: 10, elapsedMs: 1000 }, 10), "[#####.....]   5/10   50%  5.0/s  ETA 1.0s");
  });

  test("impossible input is refused with the name of what is wrong", () => {
    const bad: [Progress, number | undefined, RegExp, ErrorConstructor][] = [
      [{ done: 21, total: 20, elapsedMs: 0 }, undefined, /done/, RangeError],
      [{ done: -1, total: 20, elapsedMs: 0 }, undefined, /done/, RangeError],
      [{ done: 1.5, total: 20, elapsedMs: 0 }, undefined, /done/, RangeError],
      [{ done: 1, total: "20" as unknown as number, elapsedMs: 0 }, undefined, /total/, TypeError],
      [{ done: 1, total: 20, elapsedMs: Number.NaN }, undefined, /elapsedMs/, RangeError],
      [{ done: 1, total: 20, elapsedMs: -5 }, undefined, /elapsedMs/, RangeError],
      [{ done: 1, total: 20, elapsedMs: 0 }, 0, /width/, RangeError],
    ];
    for (const [progress, width, message, type] of bad) {
      assert.throws(() => formatProgress(progress, width), (error: unknown) => error instanceof type && message.test((error as Error).message));
    }
  });
});

describe("03.3 mapWithProgress over a real Pool", () => {
  test("reports each item the moment it finishes, in the order they finish; resolves in input order", async () => {
    const pool = new Pool(3);
    const gates = [gate<string>(), gate<string>(), gate<string>()];
    let clock = 0;
    const reports: Progress[] = [];
    const running = mapWithProgress(pool, (i: number) => gates[i]?.promise, [0, 1, 2], (p) => reports.push({ ...p }), { now: () => clock });
    await flushMicrotasks();
    assert.deepEqual(reports, [{ done: 0, total: 3, elapsedMs: 0 }]);
    for (const [i, at] of [
      [2, 250],
      [0, 400],
      [1, 1000],
    ] as const) {
      clock = at;
      gates[i]?.open(`item ${i}`);
      await flushMicrotasks();
      await flushMicrotasks();
    }
    assert.deepEqual(reports.slice(1), [
      { done: 1, total: 3, elapsedMs: 250 },
      { done: 2, total: 3, elapsedMs: 400 },
      { done: 3, total: 3, elapsedMs: 1000 },
    ], "item 2 is reported while items 0 and 1 still run: the progress must not wait for input order");
    assert.deepEqual(await within(running, "mapWithProgress()"), ["item 0", "item 1", "item 2"]);
    await finish(pool);
  });

  test("timed tasks, sync tasks and chunks: values in input order, one report per item", async () => {
    const pool = new Pool(4);
    const counts: number[] = [];
    const slow = async (ms: number) => (await sleep(ms), ms * 2);
    assert.deepEqual(await within(mapWithProgress(pool, slow, [30, 5, 20, 10], (p) => counts.push(p.done)), "timed tasks"), [60, 10, 40, 20]);
    assert.deepEqual(counts, [0, 1, 2, 3, 4]);
    assert.deepEqual(await within(mapWithProgress(pool, (x: number) => x + 1, new Set([1, 2, 3]), () => {}), "sync tasks"), [2, 3, 4]);
    const chunked: number[] = [];
    const values = await within(
      mapWithProgress(pool, (x: number) => x * x, Array.from({ length: 10 }, (_, i) => i), (p) => chunked.push(p.done), { chunksize: 3 }),
      "chunks of 3",
    );
    assert.deepEqual(values, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
    assert.equal(chunked.length, 11);
    assert.equal(chunked.at(-1), 10);
    await finish(pool);
  });

  test("no items: resolves [] after one report that says all is done", async () => {
    const pool = new Pool(2);
    const reports: Progress[] = [];
    assert.deepEqual(await within(mapWithProgress(pool, (x: number) => x, [], (p) => reports.push(p), { now: () => 7 }), "an empty run"), []);
    assert.deepEqual(reports, [{ done: 0, total: 0, elapsedMs: 0 }]);
    await finish(pool);
  });

  test("a failing item rejects the run with its error; the pool goes on serving", async () => {
    const pool = new Pool(2);
    const boom = new Error("item 3 failed");
    const run = mapWithProgress(
      pool,
      (x: number) => {
        if (x === 3) throw boom;
        return x;
      },
      [1, 2, 3, 4],
      () => {},
    );
    await assert.rejects(within(run, "a run with a failing item"), (error: unknown) => error === boom);
    assert.equal(await within(pool.apply((x: number) => x * 2, [21]), "apply() afterwards"), 42);
    await finish(pool);
  });

  test("mistakes are refused at the call: a pool that is not running, a missing onProgress", async () => {
    const pool = new Pool(1);
    assert.throws(() => mapWithProgress(pool, (x: number) => x, [1], 5 as unknown as () => void), TypeError);
    await finish(pool);
    assert.throws(() => mapWithProgress(pool, (x: number) => x, [1], () => {}), /Pool not running/);
  });
});

describe("03.3 progressLine", () => {
  test("redraws one line with \\r on every report, and ends it after the last", () => {
    const writes: string[] = [];
    const draw = progressLine({ write: (text: string) => writes.push(text) }, 4);
    draw({ done: 0, total: 2, elapsedMs: 0 });
    draw({ done: 1, total: 2, elapsedMs: 500 });
    draw({ done: 2, total: 2, elapsedMs: 1000 });
    assert.deepEqual(writes, [
      "\r[....]  0/2    0%  -/s  ETA ?",
      "\r[##..]  1/2   50%  2.0/s  ETA 0.5s",
      "\r[####]  2/2  100%  2.0/s  done in 1.0s",
      "\n",
    ]);
  });

  test("drives a run over a real pool to its 'done in' line", async () => {
    const pool = new Pool(2);
    let screen = "";
    const draw = progressLine({ write: (text: string) => (screen += text) });
    await within(mapWithProgress(pool, async (x: number) => (await sleep(x), x), [4, 2, 3], draw), "a drawn run");
    assert.equal(screen.split("\r").length - 1, 4, "four redraws: the start and three items");
    assert.match(screen, /\[#{20}\]  3\/3  100%  .*\/s  done in \d+\.\ds\n$/);
    await finish(pool);
  });
});
