import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { describe, test } from "node:test";
import { settledState, sleep, within } from "../../testkit/index.js";
import { InvalidStateError } from "../01-reusable-worker/index.js";
import { AsyncResult, BrokenPoolError, Pool, PoolTerminatedError, TimeoutError, defaultChunksize } from "./index.js";

const square = (x: number) => x * x;
const later = <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

/** Closes the pool and waits for it, bounded. */
async function finish(pool: Pool): Promise<void> {
  pool.close();
  await within(pool.join(), "pool.join() after close()");
}

describe("Pool: construction (python-semantics items 41, 42, 72)", () => {
  test("sizes below 1 are refused with Python's message", () => {
    for (const size of [0, -1]) {
      assert.throws(() => new Pool(size), { name: "RangeError", message: "Number of processes must be at least 1" });
    }
    assert.throws(() => new Pool(1.5), { name: "RangeError", message: /size must be a whole number/ });
    assert.throws(() => new Pool(Number.NaN), { name: "RangeError", message: /size/ });
    assert.throws(() => new Pool("3" as unknown as number), { name: "TypeError", message: /size must be a number/ });
  });

  test("the default size is the number of CPUs (item 90)", async () => {
    const pool = new Pool();
    assert.equal(pool.size, availableParallelism());
    await finish(pool);
  });

  test("a non-callable initializer is refused with Python's message", () => {
    assert.throws(() => new Pool(1, { initializer: 3 as unknown as () => void }), {
      name: "TypeError",
      message: "initializer must be a callable",
    });
  });

  test("maxTasksPerChild must be a whole number of at least 1", () => {
    for (const bad of [0, -1]) assert.throws(() => new Pool(1, { maxTasksPerChild: bad }), { name: "RangeError", message: /maxTasksPerChild/ });
    assert.throws(() => new Pool(1, { maxTasksPerChild: 0.5 }), { name: "RangeError", message: /maxTasksPerChild/ });
    assert.throws(() => new Pool(1, { maxTasksPerChild: "12" as unknown as number }), { name: "TypeError", message: /maxTasksPerChild/ });
  });

  test("initargs must be an array, runIn a known place", () => {
    assert.throws(() => new Pool(1, { initargs: 5 as unknown as unknown[] }), { name: "TypeError", message: /initargs must be an array/ });
    assert.throws(() => new Pool(1, { runIn: "mars" as "event-loop" }), { name: "RangeError", message: /runIn must be one of "event-loop"/ });
    assert.throws(() => new Pool(1, { runIn: 7 as unknown as "event-loop" }), { name: "TypeError", message: /runIn/ });
  });

  test("the initializer runs once in each worker before its first task (item 42)", async () => {
    const log: string[] = [];
    const pool = new Pool(3, { initializer: (tag: string) => log.push(`init ${tag}`), initargs: ["w"] });
    assert.equal(await within(pool.apply(() => (log.push("task"), "ok")), "apply()"), "ok");
    await finish(pool);
    assert.equal(log[0], "init w", "a worker initialises before it takes a task");
    assert.deepEqual([...log].sort(), ["init w", "init w", "init w", "task"]);
  });

  test("an async initializer is awaited before the worker takes a task", async () => {
    const log: string[] = [];
    const pool = new Pool(1, {
      initializer: async () => {
        await sleep(15);
        log.push("ready");
      },
    });
    await within(pool.apply(() => log.push("task")), "apply()");
    await finish(pool);
    assert.deepEqual(log, ["ready", "task"]);
  });

  test("its repr and state follow Python's", async () => {
    const pool = new Pool(2);
    assert.equal(String(pool), "<Pool state=RUN pool_size=2 runIn=event-loop>");
    assert.equal(pool.state, "RUN");
    pool.close();
    assert.equal(pool.state, "CLOSE");
    await within(pool.join(), "join()");
    await pool.terminate();
    assert.equal(pool.state, "TERMINATE");
  });
});

describe("Pool: apply and applyAsync (items 43-47)", () => {
  test("apply resolves with the value or rejects with the task's error (item 43)", async () => {
    const pool = new Pool(2);
    assert.equal(await within(pool.apply(Math.pow, [2, 10]), "apply(pow)"), 1024);
    assert.equal(await within(pool.apply(async (a: number) => later(a + 1, 5), [1]), "apply(async)"), 2);
    const boom = new Error("boom");
    await assert.rejects(
      within(
        pool.apply(() => {
          throw boom;
        }),
        "apply(throws)",
      ),
      (e: unknown) => e === boom,
    );
    await finish(pool);
  });

  test("applyAsync returns at once; the task has not run yet (item 44)", async () => {
    const pool = new Pool(1);
    let ran = false;
    const result = pool.applyAsync(() => (ran = true));
    assert.equal(ran, false, "the task must not run inside applyAsync");
    assert.equal(result.ready(), false);
    await within(result.get(), "get()");
    assert.equal(ran, true);
    await finish(pool);
  });

  test("callbacks run in completion order, each once, before ready (items 45-47)", async () => {
    const pool = new Pool(3);
    const seen: string[] = [];
    const results = [30, 10, 20].map((ms) => {
      const result: AsyncResult<number> = pool.applyAsync(later, [ms, ms], {
        callback: (value) => seen.push(`${value}:${result.ready()}`),
        errorCallback: () => assert.fail("no task fails"),
      });
      return result;
    });
    await within(Promise.all(results.map((r) => r.get())), "three results");
    assert.deepEqual(seen, ["10:false", "20:false", "30:false"]);
    await finish(pool);
  });

  test("only the error callback runs for a failure, with the error (item 46)", async () => {
    const pool = new Pool(1);
    const errors: unknown[] = [];
    const result = pool.applyAsync(
      (a: number, b: number) => {
        if (b === 0) throw new RangeError("division by zero");
        return a / b;
      },
      [1, 0],
      { callback: () => assert.fail("callback must not run"), errorCallback: (error) => errors.push(error) },
    );
    await within(result.wait(), "wait()");
    assert.equal(result.successful(), false);
    assert.equal((errors[0] as Error).message, "division by zero");
    assert.equal(errors.length, 1);
    await finish(pool);
  });

  test("get(timeoutMs) rejects with TimeoutError while the task keeps running (item 49)", async () => {
    const pool = new Pool(1);
    const result = pool.applyAsync(later, ["done", 60]);
    await assert.rejects(within(result.get(10), "get(10)"), TimeoutError);
    assert.equal(await within(result.get(), "get() after the timeout"), "done");
    await finish(pool);
  });

  test("tasks are handed out first in, first out (item 78)", async () => {
    const pool = new Pool(2);
    const started: number[] = [];
    const results = Array.from({ length: 10 }, (_, i) => pool.applyAsync(async () => (started.push(i), later(i, (i * 7) % 5))));
    await within(Promise.all(results.map((r) => r.get())), "ten results");
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await finish(pool);
  });

  test("a failing task does not break the pool or other results (item 59)", async () => {
    const pool = new Pool(2);
    const results = [1, 2, 3, 4].map((n) =>
      pool.applyAsync(() => {
        if (n % 2 === 0) throw new Error(`bad ${n}`);
        return n;
      }),
    );
    await within(Promise.all(results.map((r) => r.wait())), "four results");
    assert.deepEqual(results.map((r) => r.successful()), [true, false, true, false]);
    assert.equal(await within(pool.apply(square, [9]), "apply() after failures"), 81);
    await finish(pool);
  });
});

describe("Pool: map, starmap and chunks (items 53-58, 60)", () => {
  test("map returns values in input order whatever the completion order (item 53)", async () => {
    const pool = new Pool(5);
    const values = await within(pool.map((i: number) => later(i, 50 - i * 10), [0, 1, 2, 3, 4]), "map()");
    assert.deepEqual(values, [0, 1, 2, 3, 4]);
    await finish(pool);
  });

  test("the default chunk size follows Python's formula (item 54)", () => {
    assert.equal(defaultChunksize(100, 3), 9);
    assert.equal(defaultChunksize(100, 4), 7);
    assert.equal(defaultChunksize(12, 3), 1);
    assert.equal(defaultChunksize(10, 4), 1);
    assert.equal(defaultChunksize(0, 4), 0);
  });

  test("map sends its items in chunks of that size: one job per chunk", async () => {
    // A worker is replaced after every job, so initializer calls count the jobs.
    let inits = 0;
    const pool = new Pool(3, { maxTasksPerChild: 1, initializer: () => inits++ });
    const values = await within(pool.map(square, Array.from({ length: 100 }, (_, i) => i)), "map over 100 items");
    assert.deepEqual(values, Array.from({ length: 100 }, (_, i) => i * i));
    await finish(pool);
    assert.equal(inits, 3 + Math.ceil(100 / 9), "3 first workers, then one fresh worker per chunk of 9");
  });

  test("an explicit chunk size is honoured, and one below 1 is refused (item 57, departure)", async () => {
    let inits = 0;
    const pool = new Pool(1, { maxTasksPerChild: 1, initializer: () => inits++ });
    assert.deepEqual(await within(pool.map(square, [1, 2, 3, 4, 5], 2), "map(chunksize 2)"), [1, 4, 9, 16, 25]);
    for (const bad of [0, -1]) {
      assert.throws(() => pool.map(square, [1], bad), { name: "RangeError", message: `Chunksize must be 1+, not ${bad}` });
      assert.throws(() => pool.imap(square, [1], bad), { name: "RangeError", message: `Chunksize must be 1+, not ${bad}` });
    }
    assert.throws(() => pool.mapAsync(square, [1], { chunksize: 1.5 }), { name: "RangeError", message: /chunksize must be a whole number/ });
    assert.throws(() => pool.map(square, [1], "2" as unknown as number), { name: "TypeError", message: /chunksize/ });
    await finish(pool);
    assert.equal(inits, 1 + 3);
  });

  test("map over an empty input gives [] and mapAsync([]) is ready a tick later, calling its callback (item 56, departure)", async () => {
    const pool = new Pool(2);
    assert.deepEqual(await within(pool.map(square, []), "map([])"), []);
    const calls: unknown[] = [];
    const result: AsyncResult<number[]> = pool.mapAsync(square, [], {
      callback: (values) => calls.push(values, result.ready() ? "ready inside" : "not ready inside"),
    });
    assert.equal(result.ready(), false, "not settled inside the call, so the callback can use `result`");
    await within(result.wait(), "mapAsync([]).wait()", 100);
    assert.deepEqual(calls, [[], "not ready inside"]);
    const items: number[] = [];
    for await (const value of pool.imap(square, [])) items.push(value);
    for await (const value of pool.imapUnordered(square, [])) items.push(value);
    assert.deepEqual(items, []);
    await finish(pool);
  });

  test("mapAsync calls its callback once with the whole list, the same array get() gives (item 58)", async () => {
    const pool = new Pool(2);
    const calls: number[][] = [];
    const result = pool.mapAsync(square, [1, 2, 3], { callback: (values) => calls.push(values) });
    const values = await within(result.get(), "mapAsync().get()");
    assert.deepEqual(calls, [[1, 4, 9]]);
    assert.equal(calls[0], values);
    await finish(pool);
  });

  test("mapAsync's error callback gets the first error to arrive, once, after every chunk finished (item 58)", async () => {
    const pool = new Pool(3);
    const errors: unknown[] = [];
    const started = performance.now();
    const result = pool.mapAsync(
      async (i: number) => {
        await sleep([40, 60, 10][i] as number);
        if (i !== 1) throw new Error(`bad ${i}`);
        return i;
      },
      [0, 1, 2],
      { chunksize: 1, errorCallback: (error) => errors.push(error), callback: () => assert.fail("no callback on failure") },
    );
    await assert.rejects(within(result.get(), "mapAsync().get()"), /bad 2/);
    assert.ok(performance.now() - started >= 55, "get() waited for the slowest chunk");
    assert.deepEqual(errors.map((e) => (e as Error).message), ["bad 2"]);
    await finish(pool);
  });

  test("starmap unpacks each item; starmapAsync has the same callbacks (item 60)", async () => {
    const pool = new Pool(2);
    assert.deepEqual(await within(pool.starmap(Math.pow, [[2, 3], [3, 2]]), "starmap()"), [8, 9]);
    const seen: number[][] = [];
    const result = pool.starmapAsync((a: number, b: number) => a + b, [[2, 2]], { callback: (values) => seen.push(values) });
    assert.deepEqual(await within(result.get(), "starmapAsync().get()"), [4]);
    assert.deepEqual(seen, [[4]]);
    assert.throws(() => pool.starmap(Math.pow, [[1, 2], 3 as unknown as [number, number]]), {
      name: "TypeError",
      message: /item 1 is 3/,
    });
    await finish(pool);
  });

  test("map takes any iterable: a Set, a generator, a string", async () => {
    const pool = new Pool(2);
    function* numbers() {
      yield 1;
      yield 2;
      yield 3;
    }
    assert.deepEqual(await within(pool.map(square, new Set([1, 2])), "map(Set)"), [1, 4]);
    assert.deepEqual(await within(pool.map(square, numbers()), "map(generator)"), [1, 4, 9]);
    assert.deepEqual(await within(pool.map((c: string) => c.toUpperCase(), "ab"), "map(string)"), ["A", "B"]);
    await finish(pool);
  });

  test("an iterable that throws midway rejects that map and leaves the pool usable (item 55)", async () => {
    const pool = new Pool(2);
    function* failing() {
      yield 1;
      throw new Error("iter fail");
    }
    await assert.rejects(within(pool.map(square, failing()), "map(failing)"), /iter fail/);
    const errors: unknown[] = [];
    const result = pool.mapAsync(square, failing(), { errorCallback: (e) => errors.push(e) });
    await assert.rejects(within(result.get(), "mapAsync(failing)"), /iter fail/);
    assert.equal(errors.length, 1);
    const seen: unknown[] = [];
    const stream = pool.imap(square, failing());
    seen.push((await within(stream.next(), "imap: first value")).value);
    await assert.rejects(within(stream.next(), "imap: the iterable's error"), /iter fail/);
    assert.deepEqual(await within(stream.next(), "imap: the end"), { done: true, value: undefined });
    assert.deepEqual(seen, [1]);
    assert.deepEqual(await within(pool.map(square, [4]), "map() afterwards"), [16]);
    await finish(pool);
  });
});

describe("Pool: imap and imapUnordered (items 61, 62, 64)", () => {
  const durations = [40, 20, 5];
  const wait = (ms: number) => later(ms, ms);

  test("imap yields in input order (item 61)", async () => {
    const pool = new Pool(3);
    const values: number[] = [];
    for await (const value of pool.imap(wait, durations)) values.push(value);
    assert.deepEqual(values, [40, 20, 5]);
    await finish(pool);
  });

  test("imapUnordered yields in completion order (item 62), and in input order on one worker", async () => {
    const pool = new Pool(3);
    const values: number[] = [];
    for await (const value of pool.imapUnordered(wait, durations)) values.push(value);
    assert.deepEqual(values, [5, 20, 40]);
    await finish(pool);
    const one = new Pool(1);
    const ordered: number[] = [];
    for await (const value of one.imapUnordered(wait, durations)) ordered.push(value);
    assert.deepEqual(ordered, [40, 20, 5]);
    await finish(one);
  });

  test("imap with chunks yields every item in order", async () => {
    const pool = new Pool(2);
    const values: number[] = [];
    for await (const value of pool.imap(square, [1, 2, 3, 4, 5], 2)) values.push(value);
    assert.deepEqual(values, [1, 4, 9, 16, 25]);
    await finish(pool);
  });

  test("a failing item rejects at its position, and next() carries on (item 64)", async () => {
    const pool = new Pool(2);
    const stream = pool.imap((i: number) => {
      if (i === 3) throw new Error("KeyError 3");
      return i;
    }, [0, 1, 2, 3, 4, 5]);
    const seen: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      try {
        seen.push((await within(stream.next(), `imap item ${i}`)).value);
      } catch (error) {
        seen.push((error as Error).message);
      }
    }
    assert.deepEqual(seen, [0, 1, 2, "KeyError 3", 4, 5]);
    assert.equal((await within(stream.next(), "imap end")).done, true);
    await finish(pool);
  });
});

describe("Pool: close, join, terminate (items 66-71)", () => {
  test("close keeps queued tasks; close twice is fine (item 66)", async () => {
    const pool = new Pool(1);
    const done: number[] = [];
    for (let i = 0; i < 5; i++) pool.applyAsync(async () => (await sleep(1), done.push(i)));
    pool.close();
    pool.close();
    await within(pool.join(), "join()");
    assert.deepEqual(done, [0, 1, 2, 3, 4]);
  });

  test("every submission after close or terminate throws 'Pool not running' at once (item 67)", async () => {
    for (const stop of ["close", "terminate"] as const) {
      const pool = new Pool(1);
      if (stop === "close") pool.close();
      else await pool.terminate();
      const calls: (() => unknown)[] = [
        () => pool.apply(square, [1]),
        () => pool.applyAsync(square, [1]),
        () => pool.map(square, [1]),
        () => pool.mapAsync(square, [1]),
        () => pool.starmap(Math.pow, [[1, 2]]),
        () => pool.starmapAsync(Math.pow, [[1, 2]]),
        () => pool.imap(square, [1]),
        () => pool.imapUnordered(square, [1]),
      ];
      for (const call of calls) assert.throws(call, { name: "InvalidStateError", message: "Pool not running" });
      await within(pool.join(), "join()");
    }
  });

  test("join while running throws 'Pool is still running'; after close it waits, twice if asked (item 68)", async () => {
    const pool = new Pool(2);
    assert.throws(() => pool.join(), (e: unknown) => e instanceof InvalidStateError && (e as Error).message === "Pool is still running");
    let finished = false;
    pool.applyAsync(async () => {
      await sleep(30);
      finished = true;
    });
    pool.close();
    const joined = pool.join();
    assert.equal((await settledState(joined, 5)).state, "pending", "join() while the last task runs");
    await within(joined, "join()");
    assert.equal(finished, true);
    await within(pool.join(), "a second join()");
  });

  test("join on a pool that was never given work, and right after close", async () => {
    const pool = new Pool(3);
    await finish(pool);
    const initialised = new Pool(2, { initializer: () => sleep(10) });
    await finish(initialised);
  });

  test("after close and join, every callback has run (item 69)", async () => {
    const pool = new Pool(2);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) pool.applyAsync(later, [i, (6 - i) * 3], { callback: (v) => seen.push(v) });
    pool.mapAsync(square, [10, 20], { callback: (values) => seen.push(...values) });
    await finish(pool);
    assert.deepEqual(seen.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 100, 400]);
  });

  test("join waits for async callbacks too", async () => {
    const pool = new Pool(1);
    let called = false;
    pool.applyAsync(square, [2], {
      callback: async () => {
        await sleep(20);
        called = true;
      },
    });
    await finish(pool);
    assert.equal(called, true);
  });

  test("terminate drops queued tasks and rejects every unfinished result (item 70, departure)", async () => {
    const pool = new Pool(1);
    const ran: number[] = [];
    const errors: unknown[] = [];
    const results = [0, 1, 2, 3].map((i) =>
      pool.applyAsync(async () => (ran.push(i), later(i, 40)), [], { errorCallback: (e) => errors.push(e) }),
    );
    await sleep(5);
    await within(pool.terminate(), "terminate()");
    for (const result of results) await assert.rejects(within(result.get(), "get() after terminate"), PoolTerminatedError);
    assert.deepEqual(ran, [0], "queued tasks never run");
    assert.equal(errors.length, 4);
    assert.ok(errors.every((e) => e instanceof PoolTerminatedError));
    await within(pool.join(), "join() after terminate waits for the running task");
    assert.equal(pool.state, "TERMINATE");
  });

  test("after terminate, the rest of a running chunk never starts (found by the property tests)", async () => {
    const pool = new Pool(1);
    const started: number[] = [];
    const map = pool.map(async (i: number) => (started.push(i), sleep(0)), [0, 1], 2).catch((e: unknown) => e);
    await sleep(0);
    await pool.terminate();
    assert.ok((await within(map, "the map after terminate")) instanceof PoolTerminatedError);
    await within(pool.join(), "join()");
    assert.deepEqual(started, [0]);
  });

  test("terminate rejects pending maps and imaps as well", async () => {
    const pool = new Pool(1);
    const map = pool.map((ms: number) => later(ms, ms), [30, 30]);
    const stream = pool.imap((ms: number) => later(ms, ms), [30, 30]);
    await pool.terminate();
    await assert.rejects(within(map, "map() after terminate"), PoolTerminatedError);
    await assert.rejects(within(stream.next(), "imap after terminate"), PoolTerminatedError);
    await within(pool.join(), "join()");
  });

  test("terminate is idempotent and may follow close", async () => {
    const pool = new Pool(1);
    pool.close();
    const first = pool.terminate();
    assert.equal(pool.terminate(), first);
    await within(first, "terminate()");
    pool.close();
    assert.equal(pool.state, "TERMINATE");
    await within(pool.join(), "join()");
  });

  test("leaving an `await using` block terminates the pool (item 71)", async () => {
    let slow!: AsyncResult<number>;
    let outer!: Pool;
    {
      await using pool = new Pool(1);
      outer = pool;
      assert.deepEqual(await within(pool.map(square, [1, 2]), "map() inside the block"), [1, 4]);
      slow = pool.applyAsync(later, [1, 50]);
    }
    assert.equal(outer.state, "TERMINATE");
    await assert.rejects(within(slow.get(), "the slow result"), PoolTerminatedError);
    assert.throws(() => outer.apply(square, [1]), /Pool not running/);
    await within(outer.join(), "join()");
  });
});

describe("Pool: where the kit is better than Python", () => {
  test("a callback that throws fails its own result; the pool serves others; no unhandled rejection (item 73)", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const pool = new Pool(2);
      const thrown = new Error("callback broke");
      const bad = pool.applyAsync(square, [3], {
        callback: () => {
          throw thrown;
        },
      });
      const good = pool.applyAsync(square, [4]);
      await assert.rejects(within(bad.get(), "the bad result"), (e: unknown) => e === thrown);
      assert.equal(await within(good.get(), "the good result"), 16);
      assert.equal(await within(pool.apply(square, [5]), "apply() afterwards"), 25);
      pool.mapAsync(square, [1, 2], {
        callback: () => {
          throw new Error("map callback broke");
        },
      });
      await finish(pool);
      await sleep(5);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  test("an initializer that throws breaks the pool instead of restarting forever", async () => {
    const pool = new Pool(2, {
      initializer: () => {
        throw new Error("no config");
      },
    });
    const early = pool.applyAsync(square, [1]);
    await assert.rejects(within(early.get(), "a result of a broken pool"), (e: unknown) => {
      assert.ok(e instanceof BrokenPoolError);
      assert.equal(((e as Error).cause as Error).message, "no config");
      return true;
    });
    assert.throws(() => pool.applyAsync(square, [1]), BrokenPoolError);
    await finish(pool);
  });

  test("an async initializer that rejects breaks the pool too", async () => {
    const pool = new Pool(1, { initializer: async () => Promise.reject(new Error("late failure")) });
    await assert.rejects(within(pool.apply(square, [2]), "apply() on a broken pool"), BrokenPoolError);
    await finish(pool);
  });

  test("maxTasksPerChild replaces a worker after that many jobs, running the initializer again (item 75)", async () => {
    const workers: number[] = [];
    let generation = 0;
    const pool = new Pool(1, { maxTasksPerChild: 2, initializer: () => (generation += 1) });
    for (let i = 0; i < 4; i++) workers.push(await within(pool.apply(() => generation), `task ${i}`));
    await finish(pool);
    assert.deepEqual(workers, [1, 1, 2, 2]);
  });
});

describe("Pool: bad input is refused at the call, losing nothing", () => {
  test("wrong tasks, arguments, iterables, timeouts and callbacks", async () => {
    const pool = new Pool(1);
    const accepted = pool.applyAsync(later, ["kept", 20]);
    const notAFunction = 42 as unknown as () => number;
    assert.throws(() => pool.applyAsync(notAFunction), { name: "TypeError", message: /fn must be a function/ });
    assert.throws(() => pool.apply(square, 3 as unknown as [number]), { name: "TypeError", message: /args must be an array/ });
    assert.throws(() => pool.map(square, 5 as unknown as number[]), { name: "TypeError", message: /iterable must be iterable/ });
    assert.throws(() => pool.imap(square, null as unknown as number[]), { name: "TypeError", message: /iterable/ });
    assert.throws(() => pool.applyAsync(square, [1], { callback: "x" as unknown as () => void }), { name: "TypeError", message: /callback/ });
    assert.throws(() => accepted.get(-5), { name: "RangeError", message: /timeoutMs/ });
    assert.equal(await within(accepted.get(), "the task accepted before the bad calls"), "kept");
    await finish(pool);
  });
});

describe("Pool: invariants over random task mixes", () => {
  test("never more than size tasks at once; every task settles once; start order is submission order", async () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const size = 1 + Math.floor(random() * 4);
      const pool = new Pool(size);
      let running = 0;
      let peak = 0;
      const started: number[] = [];
      const settled = new Map<number, number>();
      const count = 5 + Math.floor(random() * 30);
      const results = Array.from({ length: count }, (_, i) => {
        const kind = Math.floor(random() * 4);
        const ms = Math.floor(random() * 4);
        return pool.applyAsync(
          async () => {
            started.push(i);
            running += 1;
            peak = Math.max(peak, running);
            try {
              if (kind === 0) return i;
              await sleep(ms);
              if (kind === 1) throw new Error(`task ${i}`);
              return i;
            } finally {
              running -= 1;
            }
          },
          [],
          {
            callback: () => settled.set(i, (settled.get(i) ?? 0) + 1),
            errorCallback: () => settled.set(i, (settled.get(i) ?? 0) + 1),
          },
        );
      });
      await finish(pool);
      assert.ok(peak <= size, `round ${round}: ${peak} tasks ran at once on ${size} workers`);
      assert.deepEqual(started, Array.from({ length: count }, (_, i) => i), `round ${round}: start order`);
      assert.equal(settled.size, count);
      assert.ok([...settled.values()].every((n) => n === 1), `round ${round}: a callback ran twice`);
      assert.ok(results.every((r) => r.ready()));
    }
  });
});

describe("Pool: no handle left open", () => {
  for (const ending of ["pool.close(); await pool.join();", "await pool.terminate(); await pool.join();"]) {
    test(`a script exits by itself after ${ending.split(";")[0]}`, () => {
      const script = `
        import { Pool } from ${JSON.stringify(new URL("./index.js", import.meta.url).href)};
        const pool = new Pool(2);
        console.log(await pool.map((x) => x * 2, [1, 2, 3]));
        pool.applyAsync(() => 1);
        ${ending}
      `;
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { timeout: 5000, encoding: "utf8" });
      assert.equal(run.status, 0, `the script did not exit by itself: ${run.stderr}`);
      assert.equal(run.stdout.trim(), "[ 2, 4, 6 ]");
    });
  }
});
