import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { Pool } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { compare, stats, trial, WrongResultError, type Stats } from "#exercise/06-built-in-pools/fair-benchmark.js";

/** A fake clock and work that takes the time the test says, one duration per run, in order. */
function scripted(durations: number[]) {
  const clock = { t: 1000 };
  const log: string[] = [];
  let i = 0;
  const run = (name = "run") => () => {
    const took = durations[i++];
    if (took === undefined) throw new Error(`more runs than the ${durations.length} scripted`);
    log.push(name);
    clock.t += took;
    return i;
  };
  return { now: () => clock.t, run, log, clock };
}

describe("06.1 stats, on fixed samples", () => {
  test("an odd count: the middle value; min and max; the samples in the order given", () => {
    assert.deepEqual(stats([30, 10, 50, 20, 40]), { median: 30, min: 10, max: 50, runs: 5, samples: [30, 10, 50, 20, 40] });
  });

  test("an even count: the mean of the two middle values", () => {
    assert.equal(stats([4, 1, 3, 2]).median, 2.5);
    assert.equal(stats([7, 7]).median, 7);
  });

  test("one sample is its own median, min and max; one wild run moves the max, not the median", () => {
    assert.deepEqual(stats([12.5]), { median: 12.5, min: 12.5, max: 12.5, runs: 1, samples: [12.5] });
    const spoiled = stats([70, 71, 69, 72, 400]);
    assert.equal(spoiled.median, 71);
    assert.equal(spoiled.max, 400);
  });

  test("the samples are a copy: changing the input later changes nothing", () => {
    const input = [3, 1, 2];
    const result = stats(input);
    input.push(100);
    input[0] = -1;
    assert.deepEqual(result.samples, [3, 1, 2]);
  });

  test("no samples, a NaN or an infinity is a RangeError; a non-array a TypeError", () => {
    assert.throws(() => stats([]), RangeError);
    assert.throws(() => stats([1, Number.NaN]), RangeError);
    assert.throws(() => stats([Number.POSITIVE_INFINITY]), RangeError);
    assert.throws(() => stats("1,2" as unknown as number[]), TypeError);
  });
});

describe("06.1 trial, on a fake clock", () => {
  test("warm-ups are run and checked but not timed; each repetition is timed on its own", async () => {
    const work = scripted([500, 30, 10, 50, 20, 40]);
    const checked: number[] = [];
    const result = await within(
      trial({ run: work.run(), check: (value) => void checked.push(value), now: work.now }),
      "trial() with one warm-up and five repetitions",
    );
    assert.deepEqual(result, { median: 30, min: 10, max: 50, runs: 5, samples: [30, 10, 50, 20, 40] });
    assert.deepEqual(checked, [1, 2, 3, 4, 5, 6], "every result is checked, the warm-up's too");
  });

  test("the counts are options: no warm-up, three repetitions", async () => {
    const work = scripted([8, 6, 7]);
    const result = await within(trial({ run: work.run(), check: () => true, warmup: 0, repetitions: 3, now: work.now }), "trial()");
    assert.deepEqual(result.samples, [8, 6, 7]);
    assert.equal(result.median, 7);
  });

  test("beforeEach and check run outside the clock; runs never overlap", async () => {
    const clock = { t: 0 };
    let running = 0;
    let overlapped = false;
    const result = await within(
      trial({
        beforeEach: () => void (clock.t += 1000),
        run: async () => {
          running += 1;
          overlapped ||= running > 1;
          await sleep(1);
          clock.t += 5;
          running -= 1;
          return "ok";
        },
        check: (value) => {
          clock.t += 1000;
          return value === "ok";
        },
        warmup: 2,
        repetitions: 3,
        now: () => clock.t,
      }),
      "trial() of an async run",
    );
    assert.deepEqual(result.samples, [5, 5, 5], "only run() is between the two readings of the clock");
    assert.equal(overlapped, false);
  });

  test("check returning false stops the trial with a WrongResultError naming the run", async () => {
    const work = scripted([1, 1, 1, 1, 1, 1]);
    await assert.rejects(
      within(trial({ run: work.run(), check: (value) => value !== 3, now: work.now }), "a trial with a wrong third result"),
      (error: unknown) => error instanceof WrongResultError && /repetition 2/.test(error.message),
    );
    assert.equal(work.log.length, 3, "no run after the wrong one");
  });

  test("check that throws: WrongResultError, with the thrown error as its cause; a wrong warm-up is caught too", async () => {
    const reason = new Error("expected 2i");
    const work = scripted([1, 1]);
    await assert.rejects(
      within(trial({ run: work.run(), check: () => assert.fail(reason), now: work.now }), "a trial whose warm-up is wrong"),
      (error: unknown) => error instanceof WrongResultError && /warm-up 1/.test(error.message) && error.cause === reason,
    );
    assert.equal(work.log.length, 1);
  });

  test("a run that throws or rejects stops the trial with its own error", async () => {
    const boom = new RangeError("the pool broke");
    await assert.rejects(within(trial({ run: () => { throw boom; }, check: () => true }), "a throwing run"), (e: unknown) => e === boom);
    await assert.rejects(within(trial({ run: () => Promise.reject(boom), check: () => true }), "a rejecting run"), (e: unknown) => e === boom);
  });

  test("bad options are refused at the call", () => {
    const ok = { run: () => 1, check: () => true };
    assert.throws(() => trial({ ...ok, run: 5 as unknown as () => number }), TypeError);
    assert.throws(() => trial({ ...ok, check: undefined as unknown as () => boolean }), TypeError);
    assert.throws(() => trial({ ...ok, warmup: -1 }), RangeError);
    assert.throws(() => trial({ ...ok, repetitions: 0 }), RangeError);
    assert.throws(() => trial({ ...ok, repetitions: 2.5 }), RangeError);
  });
});

describe("06.1 compare, on a fake clock", () => {
  test("warm-ups first, then rounds whose first contender rotates", async () => {
    const work = scripted([100, 100, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const result = await within(
      compare({ a: { run: work.run("a"), check: () => true }, b: { run: work.run("b"), check: () => true }, c: { run: work.run("c"), check: () => true } }, { repetitions: 3, now: work.now }),
      "compare() of three contenders",
    );
    assert.deepEqual(work.log, ["a", "b", "c", "a", "b", "c", "b", "c", "a", "c", "a", "b"]);
    assert.deepEqual(Object.keys(result), ["a", "b", "c"]);
    assert.deepEqual(result.a?.samples, [1, 6, 8]);
    assert.deepEqual(result.b?.samples, [2, 4, 9]);
    assert.deepEqual(result.c?.samples, [3, 5, 7]);
    assert.equal(result.c?.median, 5);
  });

  test("a wrong result names its contender and stops everything", async () => {
    const work = scripted(Array.from({ length: 20 }, () => 1));
    await assert.rejects(
      within(
        compare({ good: { run: work.run("good"), check: () => true }, bad: { run: work.run("bad"), check: () => false } }, { warmup: 0 }),
        "compare() with a contender that is always wrong",
      ),
      (error: unknown) => error instanceof WrongResultError && /bad: repetition 1/.test(error.message),
    );
    assert.deepEqual(work.log, ["good", "bad"]);
  });

  test("no contenders, or a contender without check, is refused at the call", () => {
    assert.throws(() => compare({}), RangeError);
    assert.throws(() => compare({ a: { run: () => 1 } as never }), TypeError);
  });
});

describe("06.1 on the kit's Pool", () => {
  const pools: Pool[] = [];
  after(async () => {
    await Promise.all(pools.map((pool) => pool.terminate()));
  });

  test("map against applyAsync per item: every result checked, the statistics complete", async () => {
    const pool = new Pool(2);
    pools.push(pool);
    const items = Array.from({ length: 2_000 }, (_, i) => i);
    const double = (x: number) => 2 * x;
    const right = (values: number[]) => values.length === items.length && values.every((v, i) => v === 2 * i);
    const result = await within(
      compare(
        {
          map: { run: () => pool.map(double, items), check: right },
          apply: { run: () => Promise.all(items.map((x) => pool.applyAsync(double, [x]).get())), check: right },
        },
        { repetitions: 3 },
      ),
      "compare() on a real pool",
      10_000,
    );
    for (const name of ["map", "apply"]) {
      const s = result[name] as Stats;
      assert.equal(s.runs, 3);
      assert.ok(s.min <= s.median && s.median <= s.max, `${name}: min ≤ median ≤ max`);
      assert.ok(s.min >= 0);
    }
  });

  test("a pool that returns a wrong value is caught", async () => {
    const pool = new Pool(2);
    pools.push(pool);
    const offByOne = (x: number) => (x === 999 ? 2 * x + 1 : 2 * x);
    const items = Array.from({ length: 1_000 }, (_, i) => i);
    await assert.rejects(
      within(trial({ run: () => pool.map(offByOne, items), check: (values) => values.every((v, i) => v === 2 * i) }), "a trial of a wrong map"),
      WrongResultError,
    );
  });
});
