import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { InvalidStateError, PoolTerminatedError, type RunIn } from "pools-by-hand";
import { within } from "../../testkit/index.js";
import { fail, spin, wait, whoAmI } from "#exercise/04-threads-and-processes/timeout-tasks.js";
import { TaskTimeoutError, TIMEOUT_TASKS, TimeoutPool, type TimeoutPoolOptions } from "#exercise/04-threads-and-processes/timeouts.js";

const pools: TimeoutPool[] = [];
// Every pool ends, even when an assertion fails, or this file's process would never exit.
after(() => Promise.all(pools.map((pool) => pool.terminate())));

function makePool(size: number, runIn: RunIn, timeoutMs: number): TimeoutPool {
  const pool = new TimeoutPool(size, { runIn, tasks: TIMEOUT_TASKS, timeoutMs });
  pools.push(pool);
  return pool;
}

async function finish(pool: TimeoutPool): Promise<void> {
  pool.close();
  await within(pool.join(), "close() and join()", 10_000);
}

describe("04.3 TimeoutPool: what it accepts", () => {
  test("needs threads or processes, and a timeout", () => {
    assert.throws(() => new TimeoutPool(1, { tasks: TIMEOUT_TASKS, timeoutMs: 100 }), { name: "RangeError", message: /runIn/ });
    assert.throws(() => new TimeoutPool(1, { runIn: "event-loop", tasks: TIMEOUT_TASKS, timeoutMs: 100 }), { name: "RangeError", message: /event loop/ });
    assert.throws(() => new TimeoutPool(1, { runIn: "threads", tasks: TIMEOUT_TASKS } as TimeoutPoolOptions), { name: "TypeError", message: /timeoutMs/ });
    assert.throws(() => new TimeoutPool(1, { runIn: "threads", tasks: TIMEOUT_TASKS, timeoutMs: -1 }), { name: "RangeError", message: /timeoutMs/ });
    assert.throws(() => new TimeoutPool(0, { runIn: "threads", tasks: TIMEOUT_TASKS, timeoutMs: 100 }), /at least 1/);
  });

  test("refuses at the call a function its workers cannot find, and a bad timeout", async () => {
    const pool = makePool(1, "threads", 1000);
    assert.throws(() => pool.apply((x: number) => x, [1]), { name: "TypeError", message: /cannot be sent to a worker/ });
    assert.throws(() => pool.apply(wait, [1], { timeoutMs: Number.NaN }), { name: "RangeError", message: /timeoutMs/ });
    await finish(pool);
  });
});

for (const runIn of ["threads", "processes"] as RunIn[]) {
  describe(`04.3 TimeoutPool on ${runIn}`, () => {
    test("a task in time resolves; its own error passes through, and is no timeout", async () => {
      const pool = makePool(2, runIn, 5000);
      assert.equal(await within(pool.apply(wait, [10]), "a quick task", 10_000), 10);
      await assert.rejects(within(pool.apply(fail, ["bad"]), "a failing task"), { name: "RangeError", message: "bad" });
      assert.equal(pool.generation, 1, "no timeout, no new pool");
      await finish(pool);
    });

    test("a stuck task times out, the next runs on a fresh worker, and the task beside it finishes", async () => {
      const pool = makePool(2, runIn, 5000);
      const first = await within(pool.apply(whoAmI), "a first task", 10_000);
      const beside = pool.apply(wait, [600]);
      const stuck = pool.apply(spin, [], { timeoutMs: 200 });
      const error = await within(stuck.catch((e: unknown) => e), "the stuck task to time out", 3000);
      assert.ok(error instanceof TaskTimeoutError, `expected TaskTimeoutError, got ${String(error)}`);
      assert.equal((error as TaskTimeoutError).timeoutMs, 200);
      assert.equal(pool.generation, 2, "a fresh pool took over");
      assert.notEqual(await within(pool.apply(whoAmI), "a task after the timeout", 10_000), first, "it ran on a fresh worker");
      assert.equal(await within(beside, "the task that ran beside the stuck one", 5000), 600, "it finished on the old pool, untouched");
      await finish(pool); // the stuck worker is ended too, or this never returns
    });

    test("the clock starts when the task starts, not while it waits for a free worker", async () => {
      const pool = makePool(1, runIn, 1000);
      await within(pool.apply(whoAmI), "a warm-up", 10_000);
      // Each takes 600 ms of a 1000 ms budget; the second waits 600 ms first.
      const both = await within(Promise.all([pool.apply(wait, [600]), pool.apply(wait, [600])]), "two 600 ms tasks on one worker", 5000);
      assert.deepEqual(both, [600, 600]);
      assert.equal(pool.generation, 1);
      await finish(pool);
    });

    test("close() refuses new tasks, finishes the given ones, and join() waits for them", async () => {
      const pool = makePool(1, runIn, 5000);
      const given = [pool.apply(wait, [50]), pool.apply(wait, [60])];
      pool.close();
      assert.equal(pool.state, "CLOSE");
      assert.throws(() => pool.apply(wait, [1]), (e: unknown) => e instanceof InvalidStateError && /Pool not running/.test((e as Error).message));
      await within(pool.join(), "join() after close()", 10_000);
      assert.deepEqual(await Promise.all(given), [50, 60]);
    });

    test("terminate() rejects running and waiting tasks alike", async () => {
      const pool = makePool(1, runIn, 5000);
      assert.throws(() => pool.join(), (e: unknown) => e instanceof InvalidStateError && /still running/.test((e as Error).message));
      const running = pool.apply(spin, []).catch((e: unknown) => e);
      const waiting = pool.apply(wait, [1]).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await within(pool.terminate(), "terminate()", 10_000);
      assert.equal(pool.state, "TERMINATE");
      for (const outcome of await within(Promise.all([running, waiting]), "the two results")) assert.ok(outcome instanceof PoolTerminatedError, `got ${String(outcome)}`);
      await within(pool.join(), "join() after terminate()", 10_000);
    });
  });
}
