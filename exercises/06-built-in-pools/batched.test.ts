import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { InvalidStateError, Pool, type AsyncResult, type MapOptions } from "pools-by-hand";
import { sleep, within } from "../../testkit/index.js";
import { double } from "../../tools/bench/tasks.js";
import { batched } from "#exercise/06-built-in-pools/batched.js";

const pools: Pool[] = [];
after(async () => {
  await Promise.all(pools.map((pool) => pool.terminate()));
});

/** A pool that records every mapAsync call: the items and the chunk size. */
class RecordingPool extends Pool {
  calls: { items: unknown[]; chunksize: number | undefined }[] = [];
  override mapAsync<T, R>(fn: (item: T) => R, iterable: Iterable<T>, options: MapOptions<Awaited<R>[]> = {}): AsyncResult<Awaited<R>[]> {
    const items = [...iterable];
    this.calls.push({ items, chunksize: options.chunksize });
    return super.mapAsync(fn, items, options);
  }
}

function pool<P extends Pool>(made: P): P {
  pools.push(made);
  return made;
}

/** Every value of `iterator`, within a deadline. */
function collect<T>(iterator: AsyncIterable<T>, what: string, ms = 2000): Promise<T[]> {
  return within(
    (async () => {
      const values: T[] = [];
      for await (const value of iterator) values.push(value);
      return values;
    })(),
    what,
    ms,
  );
}

/** The numbers from 0 up, counting how many were read, and whether the reader closed the generator. */
function counted(limit = Number.POSITIVE_INFINITY) {
  const state = { pulled: 0, closed: false };
  function* numbers() {
    try {
      for (let i = 0; i < limit; i++) {
        state.pulled += 1;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, items: numbers() };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("06.2 batched: values and order", () => {
  test("values in input order, however the batches finish", async () => {
    const p = pool(new Pool(3));
    const slowThenFast = async (x: number) => {
      await sleep((x * 7) % 5);
      return x * 10;
    };
    assert.deepEqual(await collect(batched(p, slowThenFast, range(25), 4), "25 items in batches of 4"), range(25).map((x) => x * 10));
  });

  test("each batch is one job: one mapAsync whose chunk size is the batch's length", async () => {
    const p = pool(new RecordingPool(2));
    assert.deepEqual(await collect(batched(p, (x: number) => x + 1, range(10), 4), "10 items in batches of 4"), range(10).map((x) => x + 1));
    assert.deepEqual(
      p.calls.map((call) => [call.items, call.chunksize]),
      [
        [[0, 1, 2, 3], 4],
        [[4, 5, 6, 7], 4],
        [[8, 9], 2],
      ],
    );
  });

  test("an async iterable, a Set, a batch size larger than the input, no items at all", async () => {
    const p = pool(new Pool(2));
    async function* arriving() {
      for (let i = 0; i < 7; i++) {
        await sleep(1);
        yield i;
      }
    }
    assert.deepEqual(await collect(batched(p, (x: number) => 10 - x, arriving(), 3), "an async source"), [10, 9, 8, 7, 6, 5, 4]);
    assert.deepEqual(await collect(batched(p, (s: string) => s.toUpperCase(), new Set(["a", "b"]), 100), "a Set, one short batch"), ["A", "B"]);
    assert.deepEqual(await collect(batched(p, (x: number) => x, [], 5), "no items"), []);
  });

  test("on worker threads: the function crosses by name, once per batch", async () => {
    const p = pool(new Pool(2, { runIn: "threads", tasks: new URL("../../tools/bench/tasks.js", import.meta.url) }));
    const values = await collect(batched(p, double, range(1_000), 100), "1,000 items on threads", 10_000);
    assert.deepEqual(values, range(1_000).map((x) => 2 * x));
  });
});

describe("06.2 batched: reading lazily", () => {
  test("nothing is read before the first next(); never more than inFlight batches ahead", async () => {
    const p = pool(new Pool(2));
    const { state, items } = counted();
    const size = 5;
    const inFlight = 2;
    const iterator = batched(p, (x: number) => x, items, size, { inFlight });
    await sleep(5);
    assert.equal(state.pulled, 0, "read before anyone asked");
    for (let index = 0; index < 30; index++) {
      const next = await within(iterator.next(), `value ${index}`);
      assert.deepEqual(next, { done: false, value: index });
      const batch = Math.floor(index / size);
      assert.ok(state.pulled <= (batch + inFlight) * size, `at value ${index}, ${state.pulled} items read: more than ${inFlight} batches ahead`);
    }
    await within(Promise.resolve(iterator.return?.()), "return()");
  });

  test("leaving early reads no more and closes the source; the pool goes on serving", async () => {
    const p = pool(new Pool(2));
    const { state, items } = counted();
    const seen: number[] = [];
    await within(
      (async () => {
        for await (const value of batched(p, (x: number) => x * x, items, 4, { inFlight: 3 })) {
          seen.push(value);
          if (seen.length === 6) break;
        }
      })(),
      "a loop that breaks after 6 values",
    );
    assert.deepEqual(seen, [0, 1, 4, 9, 16, 25]);
    assert.equal(state.closed, true, "the source's finally did not run: call its return()");
    const pulled = state.pulled;
    await sleep(10);
    assert.equal(state.pulled, pulled);
    assert.equal(await within(p.apply((x: number) => x + 1, [1]), "apply() afterwards"), 2);
  });

  test("no more than inFlight batches run at once", async () => {
    const p = pool(new Pool(4));
    let running = 0;
    let most = 0;
    const tracked = async (x: number) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(2);
      running -= 1;
      return x;
    };
    assert.deepEqual(await collect(batched(p, tracked, range(24), 3, { inFlight: 2 }), "24 items, 2 batches in flight"), range(24));
    assert.ok(most <= 2, `${most} items ran at once: a batch runs its items one after another, and only 2 batches may be out`);
  });
});

describe("06.2 batched: failures", () => {
  test("a failing item: the batches before it, then its error; nothing left unhandled", async () => {
    const p = pool(new Pool(2));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const boom = new RangeError("item 12 is bad");
      const failing = (x: number) => {
        if (x === 12) throw boom;
        if (x === 17) throw new Error("item 17 is bad too, in a batch nobody reads");
        return x;
      };
      const { state, items } = counted(1_000);
      const seen: number[] = [];
      await assert.rejects(
        within(
          (async () => {
            for await (const value of batched(p, failing, items, 5, { inFlight: 3 })) seen.push(value);
          })(),
          "a run with failing items",
        ),
        (error: unknown) => error === boom,
      );
      assert.deepEqual(seen, range(10), "the values of the batches before the failing one, and no more");
      assert.equal(state.closed, true, "the source must be closed after a failure");
      assert.ok(state.pulled <= 30, `${state.pulled} items read: reading must stop at the failure`);
      await sleep(20);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  test("a source that throws: the values read before it, then its error", async () => {
    const p = pool(new Pool(2));
    const broken = new Error("the file was truncated");
    function* lines() {
      for (let i = 0; i < 7; i++) yield i;
      throw broken;
    }
    const seen: number[] = [];
    await assert.rejects(
      within(
        (async () => {
          for await (const value of batched(p, (x: number) => x + 100, lines(), 3)) seen.push(value);
        })(),
        "a broken source",
      ),
      (error: unknown) => error === broken,
    );
    assert.deepEqual(seen, [100, 101, 102, 103, 104, 105, 106]);
  });
});

describe("06.2 batched: bad input, at the call", () => {
  test("a pool not running, a bad fn, items, size or inFlight", async () => {
    const p = pool(new Pool(1));
    const fn = (x: number) => x;
    assert.throws(() => batched(p, 5 as unknown as typeof fn, [1], 2), TypeError);
    assert.throws(() => batched(p, fn, 42 as unknown as number[], 2), TypeError);
    assert.throws(() => batched(p, fn, [1], 0), RangeError);
    assert.throws(() => batched(p, fn, [1], 1.5), RangeError);
    assert.throws(() => batched(p, fn, [1], "3" as unknown as number), TypeError);
    assert.throws(() => batched(p, fn, [1], 2, { inFlight: 0 }), RangeError);
    p.close();
    await within(p.join(), "join()");
    assert.throws(() => batched(p, fn, [1], 2), (error: unknown) => error instanceof InvalidStateError && /Pool not running/.test(error.message));
  });
});
