import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { WorkerCrashedError, type Pool } from "pools-by-hand";
import { within } from "../../testkit/index.js";
import { double, echo, echoMoved, exitNow, handedBackBytes, sum } from "#exercise/04-threads-and-processes/buffer-tasks.js";
import { BUFFER_TASKS, compareCopyAndMove, move, movingPool, transferablesIn } from "#exercise/04-threads-and-processes/transfer.js";

const pools: Pool[] = [];
// Every pool ends, even when an assertion fails, or this file's process would never exit.
after(() => Promise.all(pools.map((pool) => pool.terminate())));

function makePool(size = 1): Pool {
  const pool = movingPool(size, { tasks: BUFFER_TASKS });
  pools.push(pool);
  return pool;
}

const ones = (length: number) => new Float64Array(length).fill(1);

describe("04.2 move and transferablesIn", () => {
  test("move() marks a buffer and hands back what it was given", () => {
    const data = ones(4);
    assert.equal(move(data), data);
    assert.deepEqual(transferablesIn([data]), [data.buffer]);
    const raw = new ArrayBuffer(8);
    assert.equal(move(raw), raw);
    assert.deepEqual(transferablesIn({ raw }), [raw]);
  });

  test("move() refuses what cannot be transferred", () => {
    assert.throws(() => move([1, 2, 3] as unknown as Float64Array), TypeError);
    assert.throws(() => move(new Float64Array(new SharedArrayBuffer(16))), { name: "TypeError", message: /SharedArrayBuffer/ });
  });

  test("finds marked buffers at any depth of a message like the pool's, once each, and nothing else", () => {
    const [a, b, c] = [ones(2), ones(2), ones(2)];
    move(a);
    move(c);
    const alsoA = new Uint8Array(a.buffer, 0, 4); // another view of a's memory
    const message = { kind: "run", jobs: [{ id: 0, name: "sum", calls: [[a, { more: [b, alsoA] }], [new DataView(c.buffer)]] }] };
    assert.deepEqual(transferablesIn(message), [a.buffer, c.buffer]);
    assert.deepEqual(transferablesIn({ kind: "run", jobs: [{ id: 0, name: "sum", calls: [[b, 1, "x", null]] }] }), []);
  });

  test("does not loop on a cycle", () => {
    const data = move(ones(2));
    const looped: { self?: unknown; data: Float64Array } = { data };
    looped.self = looped;
    assert.deepEqual(transferablesIn([looped, [looped]]), [data.buffer]);
  });
});

describe("04.2 a pool that moves what move() marks", () => {
  test("a moved argument arrives whole and leaves the caller's array empty; a copied one stays", async () => {
    const pool = makePool();
    const copied = ones(1000);
    assert.equal(await within(pool.apply(sum, [copied]), "sum of a copied array", 5000), 1000);
    assert.equal(copied.byteLength, 8000, "a copy leaves the caller's array as it was");
    const moved = ones(1000);
    assert.equal(await within(pool.apply(sum, [move(moved)]), "sum of a moved array"), 1000);
    assert.equal(moved.byteLength, 0, "the caller's array was copied, not moved: MovingThreadHost.send must pass transferablesIn(message) as the transfer list");
  });

  test("only the marked arguments move", async () => {
    const pool = makePool();
    const [kept, moved] = [ones(10), ones(10)];
    assert.deepEqual(await within(pool.starmap(sum, [[kept], [move(moved)]]), "starmap over a kept and a moved array", 5000), [10, 10]);
    assert.equal(kept.byteLength, 80);
    assert.equal(moved.byteLength, 0);
  });

  test("a result the task moves back leaves the worker's copy empty; a copied one stays there", async () => {
    const pool = makePool();
    const back = await within(pool.apply(double, [ones(100), true]), "double, moved back", 5000);
    assert.deepEqual([...back.slice(0, 3)], [2, 2, 2]);
    assert.equal(await within(pool.apply(handedBackBytes), "the worker's copy"), 0, "the worker still has its array: transfer-entry.ts must post replies with their transfer list");
    await within(pool.apply(double, [ones(100), false]), "double, copied back");
    assert.equal(await within(pool.apply(handedBackBytes), "the worker's copy"), 800);
  });

  test("the kit's crash handling comes with RemoteHost: a dying worker fails its task and is replaced", async () => {
    const pool = makePool();
    const error = await within(pool.apply(exitNow, [3]).catch((e: unknown) => e), "a task that exits its worker", 5000);
    assert.ok(error instanceof WorkerCrashedError, `expected WorkerCrashedError, got ${String(error)}`);
    assert.equal(error.exitCode, 3);
    assert.equal(await within(pool.apply(sum, [move(ones(5))]), "a task on the replacement", 5000), 5);
  });

  test("compareCopyAndMove measures both ways (no timing is asserted: the machine is shared)", async (t) => {
    const pool = makePool();
    const { copyMs, moveMs } = await within(compareCopyAndMove(pool, echo, echoMoved, { floats: 1_000_000, runs: 3 }), "the measurement", 20_000);
    for (const ms of [copyMs, moveMs]) assert.ok(Number.isFinite(ms) && ms >= 0, `a time in milliseconds, got ${ms}`);
    t.diagnostic(`8 MB round trip: copied ${copyMs.toFixed(2)} ms, moved ${moveMs.toFixed(2)} ms`);
    await assert.rejects(compareCopyAndMove(pool, echo, echoMoved, { runs: 0 }), { name: "RangeError", message: /runs/ });
    await assert.rejects(compareCopyAndMove(pool, echo, echoMoved, { floats: 0 }), { name: "RangeError", message: /floats/ });
  });
});
