import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { within } from "../../testkit/index.js";
import { Pool } from "../03-results/index.js";
import { identity, square } from "./fixtures/tasks.js";
import { pack, unpack } from "./index.js";

describe("packing lists of numbers", () => {
  test("a long list of numbers packs into a Float64Array and comes back equal, -0 and NaN included", () => {
    const list = Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? -0 : i % 11 === 0 ? Number.NaN : i / 3));
    list.push(Number.POSITIVE_INFINITY, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER);
    const packed = pack(list);
    assert.ok(packed instanceof Float64Array);
    const back = unpack(packed);
    assert.ok(Array.isArray(back));
    assert.deepEqual(back, list);
    assert.ok(Object.is(back[0], -0));
  });

  test("short lists and lists with anything but numbers travel as they are", () => {
    const short = [1, 2, 3];
    assert.equal(pack(short), short);
    const mixed = [...Array.from({ length: 500 }, (_, i) => i), "500"];
    assert.equal(pack(mixed), mixed);
    const bigints = Array.from({ length: 500 }, (_, i) => BigInt(i));
    assert.equal(pack(bigints), bigints);
    assert.equal(unpack(mixed), mixed);
  });

  const pools: Pool[] = [];
  after(() => Promise.all(pools.map((pool) => pool.terminate())));
  for (const runIn of ["threads", "processes"] as const) {
    test(`${runIn}: map over many numbers gives exactly the numbers back`, async () => {
      const pool = new Pool(2, { runIn, tasks: new URL("./fixtures/tasks.js", import.meta.url) });
      pools.push(pool);
      const items = Array.from({ length: 20_000 }, (_, i) => (i === 5 ? -0 : i === 6 ? Number.NaN : i + 0.5));
      const same = await within(pool.map(identity, items), "map(identity) over 20,000 numbers", 10_000);
      assert.deepEqual(same, items);
      assert.ok(Object.is(same[5], -0));
      assert.deepEqual(await within(pool.map(square, [1, 2, 3]), "a short map"), [1, 4, 9]);
      pool.close();
      await within(pool.join(), "join()", 10_000);
    });
  }
});
