import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { Pool } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { chooseSize, measureCurve, type CurvePoint } from "#exercise/06-built-in-pools/pool-size.js";

const curveOf = (pairs: [number, number][]): CurvePoint[] => pairs.map(([size, throughput]) => ({ size, throughput }));

describe("06.3 chooseSize, on fixed curves", () => {
  test("CPU-bound on 2 cores: the curve flattens at 2, so 2 it is", () => {
    const choice = chooseSize(curveOf([[1, 100], [2, 195], [3, 197], [4, 190], [6, 185]]));
    assert.equal(choice.size, 2);
    assert.equal(choice.throughput, 195);
    assert.deepEqual(choice.best, { size: 3, throughput: 197 });
    assert.equal(choice.curve.length, 5);
  });

  test("IO-bound: it climbs long, then levels; the knee is where it levels", () => {
    const choice = chooseSize(curveOf([[1, 10], [2, 20], [4, 40], [8, 79], [16, 150], [32, 160], [64, 158]]));
    assert.equal(choice.size, 16, "150 is within 10 % of the best, 160");
    assert.deepEqual(choice.best, { size: 32, throughput: 160 });
  });

  test("a flat curve: more workers buy nothing, so one", () => {
    assert.equal(chooseSize(curveOf([[1, 50], [2, 51], [4, 49]])).size, 1);
  });

  test("the tolerance decides how near the best is near enough", () => {
    const cpu = curveOf([[1, 100], [2, 195], [3, 197], [4, 190]]);
    assert.equal(chooseSize(cpu, { tolerance: 0 }).size, 3, "with 0 the knee is the best");
    assert.equal(chooseSize(cpu, { tolerance: 0.5 }).size, 1);
    assert.equal(chooseSize(curveOf([[4, 100], [2, 100]]), { tolerance: 0 }).size, 2, "a tie goes to the smaller size");
    assert.deepEqual(chooseSize(curveOf([[4, 100], [2, 100]])).best, { size: 2, throughput: 100 });
  });

  test("repeated measurements: the median of each size, so one spoiled run does not decide", () => {
    const choice = chooseSize(
      curveOf([
        [4, 195], [1, 100], [2, 190], [1, 98], [4, 185], [2, 60], [1, 30], [2, 200], [4, 400], [3, 150], [3, 170],
      ]),
    );
    assert.deepEqual(choice.curve, curveOf([[1, 98], [2, 190], [3, 160], [4, 195]]), "medians, by size; an even count takes the mean of the middle two");
    assert.equal(choice.size, 2);
    assert.deepEqual(choice.best, { size: 4, throughput: 195 });
  });

  test("any iterable, in any order; the curve comes out sorted by size", () => {
    function* measured() {
      yield { size: 8, throughput: 3 };
      yield { size: 1, throughput: 1 };
      yield { size: 4, throughput: 2 };
    }
    assert.deepEqual(chooseSize(measured()).curve.map((p) => p.size), [1, 4, 8]);
  });

  test("what cannot be a curve is refused", () => {
    assert.throws(() => chooseSize([]), RangeError);
    assert.throws(() => chooseSize(curveOf([[0, 5]])), RangeError);
    assert.throws(() => chooseSize(curveOf([[1.5, 5]])), RangeError);
    assert.throws(() => chooseSize(curveOf([[1, -1]])), RangeError);
    assert.throws(() => chooseSize(curveOf([[1, Number.NaN]])), RangeError);
    assert.throws(() => chooseSize(curveOf([[1, Number.POSITIVE_INFINITY]])), RangeError);
    assert.throws(() => chooseSize(curveOf([[1, 5]]), { tolerance: 1 }), RangeError);
    assert.throws(() => chooseSize(curveOf([[1, 5]]), { tolerance: -0.1 }), RangeError);
    assert.throws(() => chooseSize(5 as unknown as CurvePoint[]), TypeError);
  });
});

describe("06.3 measureCurve, on a fake clock", () => {
  const pools: Pool[] = [];
  after(async () => {
    await Promise.all(pools.map((pool) => pool.terminate()));
  });

  /** Pools that record themselves, and work whose timed run takes `msBySize[size]` on the fake clock. */
  function rig(msBySize: Record<number, number>, items = 100) {
    const clock = { t: 0 };
    const opened: Pool[] = [];
    const stateOfPreviousAtOpen: string[] = [];
    const runs = new Map<Pool, number>();
    const open = (size: number) => {
      const previous = opened.at(-1);
      if (previous) stateOfPreviousAtOpen.push(previous.state);
      const pool = new Pool(size);
      pools.push(pool);
      opened.push(pool);
      return pool;
    };
    const work = async (pool: Pool) => {
      const run = (runs.get(pool) ?? 0) + 1;
      runs.set(pool, run);
      await pool.apply(() => undefined);
      // The first run of each pool is the warm-up: slow, and it must not count.
      clock.t += run === 1 ? 5_000 : (msBySize[pool.size] as number);
      return items;
    };
    return { clock, opened, stateOfPreviousAtOpen, runs, open, work, now: () => clock.t };
  }

  test("one point per size and round, items per second of the timed run; rounds alternate direction", async () => {
    const r = rig({ 1: 100, 2: 50, 4: 48 });
    const points = await within(measureCurve({ sizes: [1, 2, 4], open: r.open, work: r.work, repetitions: 3, now: r.now }), "measureCurve() over 3 sizes");
    assert.deepEqual(r.opened.map((pool) => pool.size), [1, 2, 4, 4, 2, 1, 1, 2, 4]);
    const rounded = points.map((p) => [p.size, Math.round(p.throughput * 100) / 100]);
    assert.deepEqual(rounded, [[1, 1000], [2, 2000], [4, 2083.33], [4, 2083.33], [2, 2000], [1, 1000], [1, 1000], [2, 2000], [4, 2083.33]]);
    assert.deepEqual([...r.runs.values()], Array.from({ length: 9 }, () => 2), "each pool: one warm-up, one timed run");
    assert.equal(chooseSize(points).size, 2);
  });

  test("every pool is terminated before the next opens, and the last one too", async () => {
    const r = rig({ 1: 10, 3: 5 });
    await within(measureCurve({ sizes: [3, 1], open: r.open, work: r.work, repetitions: 2, now: r.now }), "measureCurve()");
    assert.deepEqual(r.stateOfPreviousAtOpen, ["TERMINATE", "TERMINATE", "TERMINATE"]);
    assert.equal(r.opened.at(-1)?.state, "TERMINATE");
  });

  test("work that fails rejects the measurement with its error, and its pool is terminated", async () => {
    const boom = new Error("the job broke");
    const opened: Pool[] = [];
    const open = (size: number) => {
      const pool = new Pool(size);
      pools.push(pool);
      opened.push(pool);
      return pool;
    };
    await assert.rejects(
      within(measureCurve({ sizes: [1, 2], open, work: () => Promise.reject(boom) }), "a failing measurement"),
      (error: unknown) => error === boom,
    );
    assert.equal(opened.length, 1, "nothing more is measured after a failure");
    assert.equal(opened[0]?.state, "TERMINATE");
  });

  test("work that takes no time, or does no items, cannot give a throughput", async () => {
    const r = rig({ 1: 0 });
    await assert.rejects(within(measureCurve({ sizes: [1], open: r.open, work: r.work, now: r.now }), "zero time"), RangeError);
    const none = rig({ 1: 10 }, 0);
    await assert.rejects(within(measureCurve({ sizes: [1], open: none.open, work: none.work, now: none.now }), "zero items"), RangeError);
  });

  test("bad options are refused at the call", () => {
    const open = (size: number) => new Pool(size);
    const work = async () => 1;
    assert.throws(() => measureCurve({ sizes: [], open, work }), RangeError);
    assert.throws(() => measureCurve({ sizes: [1, 2, 1], open, work }), RangeError);
    assert.throws(() => measureCurve({ sizes: [0, 1], open, work }), RangeError);
    assert.throws(() => measureCurve({ sizes: [1], open: 5 as unknown as typeof open, work }), TypeError);
    assert.throws(() => measureCurve({ sizes: [1], open, work: undefined as unknown as typeof work }), TypeError);
    assert.throws(() => measureCurve({ sizes: [1], open, work, repetitions: 0 }), RangeError);
  });

  test("a real curve on the event loop: waiting tasks on 1 and 4 slots", async () => {
    const waitThenEcho = async (x: number) => {
      await sleep(3);
      return x;
    };
    const items = Array.from({ length: 8 }, (_, i) => i);
    const points = await within(
      measureCurve({
        sizes: [1, 4],
        repetitions: 1,
        open: (size) => {
          const pool = new Pool(size);
          pools.push(pool);
          return pool;
        },
        work: async (pool) => (await pool.map(waitThenEcho, items, 1)).length,
      }),
      "a real measurement",
      5_000,
    );
    assert.deepEqual(points.map((p) => p.size), [1, 4]);
    for (const point of points) assert.ok(Number.isFinite(point.throughput) && point.throughput > 0);
  });
});
