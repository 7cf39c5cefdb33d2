import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { flushMicrotasks, settledState, sleep, within } from "../../testkit/index.js";
import { InvalidStateError, SimplePool, Timeline, type Task } from "../index.js";

/** A small seeded generator (xorshift32), so every random mix can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/** A promise and the function that resolves it: lets a test decide when a task ends. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("SimplePool: N workers, one queue", () => {
  test("across many random task mixes: never more than size at once, start order kept, each task once", async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const random = seededRandom(seed);
      const pick = (n: number) => Math.floor(random() * n);
      const size = 1 + pick(5);
      const count = pick(30);
      const errors: unknown[] = [];
      const pool = new SimplePool(size, { onError: (error) => errors.push(error) });
      let running = 0;
      let most = 0;
      const started: number[] = [];
      const runs = new Array<number>(count).fill(0);
      let failing = 0;
      for (let i = 0; i < count; i++) {
        const kind = pick(6);
        if (kind === 1) failing += 1;
        pool.applyAsync(async () => {
          started.push(i);
          runs[i] = (runs[i] as number) + 1;
          running += 1;
          most = Math.max(most, running);
          try {
            if (kind === 1) throw new Error(`task ${i}`);
            if (kind === 2) for (let k = pick(4); k >= 0; k--) await null;
            if (kind === 3) await flushMicrotasks();
            if (kind === 4) await sleep(pick(2));
            if (kind === 5) await Promise.resolve().then(() => null);
          } finally {
            running -= 1;
          }
        });
        if (pick(4) === 0) await (pick(2) === 0 ? flushMicrotasks() : null);
      }
      pool.close();
      await within(pool.join(), `join() for seed ${seed}`);
      const where = `seed ${seed}: ${count} tasks on ${size} workers`;
      assert.ok(most <= size, `${where}: ${most} ran at once`);
      assert.deepEqual(started, [...Array(count).keys()], `${where}: start order`);
      assert.deepEqual(runs, new Array(count).fill(1), `${where}: each task once`);
      assert.equal(errors.length, failing, `${where}: every failure reported`);
      assert.equal(running, 0, `${where}: join() returned with a task still running`);
    }
  });

  test("all size workers run at once when there is enough work", async () => {
    const pool = new SimplePool(4);
    const { opened, open } = gate();
    let running = 0;
    let most = 0;
    for (let i = 0; i < 10; i++) {
      pool.applyAsync(async () => {
        most = Math.max(most, ++running);
        await opened;
        running -= 1;
      });
    }
    await flushMicrotasks();
    assert.equal(running, 4, "four tasks started, the other six wait in the queue");
    open();
    pool.close();
    await within(pool.join(), "join()");
    assert.equal(most, 4);
  });

  test("one shared queue balances the load: a slow task holds up only its own worker", async () => {
    const timeline = new Timeline();
    const pool = new SimplePool(2, { timeline });
    const { opened, open } = gate();
    pool.applyAsync(() => opened); // task 0: slow
    for (let i = 1; i <= 5; i++) pool.applyAsync(() => sleep(1)); // tasks 1-5: quick
    await within(
      (async () => {
        while (timeline.spans.length < 5) await sleep(1);
      })(),
      "the quick tasks to finish while the slow one runs",
    );
    open();
    pool.close();
    await within(pool.join(), "join()");
    const workerOf = new Map(timeline.spans.map((span) => [span.task, span.worker]));
    const slow = workerOf.get(0);
    assert.deepEqual([1, 2, 3, 4, 5].map((task) => workerOf.get(task) === slow), [false, false, false, false, false]);
  });

  test("a task that throws is reported, never swallowed, and its worker goes on", async () => {
    const errors: unknown[] = [];
    const pool = new SimplePool(1, { onError: (error) => errors.push(error) });
    const ran: string[] = [];
    const failure = new Error("sync boom");
    pool.applyAsync(() => {
      throw failure;
    });
    pool.applyAsync(async () => {
      await null;
      throw new Error("async boom");
    });
    pool.applyAsync(() => void ran.push("after"));
    pool.close();
    await within(pool.join(), "join() after failing tasks");
    assert.equal(errors[0], failure, "the very error the task threw");
    assert.deepEqual(errors.map((e) => (e as Error).message), ["sync boom", "async boom"]);
    assert.deepEqual(ran, ["after"], "the only worker survived both failures");
  });

  test("the default reporter is console.error", async (t) => {
    const seen: unknown[][] = [];
    t.mock.method(console, "error", (...args: unknown[]) => seen.push(args));
    const pool = new SimplePool(2);
    pool.applyAsync(() => {
      throw new Error("visible");
    });
    pool.close();
    await within(pool.join(), "join()");
    assert.equal((seen[0]?.[0] as Error).message, "visible");
  });
});

describe("SimplePool: close() and join(), Python's rules (python-semantics items 66-68)", () => {
  test("state is RUN, then CLOSE; close() twice is harmless", async () => {
    const pool = new SimplePool(2);
    assert.equal(pool.state, "RUN");
    pool.close();
    assert.equal(pool.state, "CLOSE");
    pool.close();
    await within(pool.join(), "join() after two close() calls");
    assert.equal(pool.state, "CLOSE");
  });

  test("join() before close() throws 'Pool is still running', and the pool carries on", async () => {
    const pool = new SimplePool(2);
    const done: number[] = [];
    pool.applyAsync(() => void done.push(1));
    assert.throws(() => pool.join(), (error: unknown) => {
      assert.ok(error instanceof InvalidStateError);
      assert.equal(error.message, "Pool is still running");
      return true;
    });
    pool.applyAsync(() => void done.push(2));
    pool.close();
    await within(pool.join(), "join() after close()");
    assert.deepEqual(done, [1, 2]);
  });

  test("applyAsync() after close() throws 'Pool not running' and loses nothing queued", async () => {
    const pool = new SimplePool(1);
    const done: number[] = [];
    for (const n of [1, 2, 3]) pool.applyAsync(async () => void (await sleep(1), done.push(n)));
    pool.close();
    assert.throws(() => pool.applyAsync(() => done.push(99)), { name: "InvalidStateError", message: "Pool not running" });
    await within(pool.join(), "join()");
    assert.deepEqual(done, [1, 2, 3], "close() let the queued tasks finish, and refused the late one");
  });

  test("join() on a pool that was never given work resolves at once", async () => {
    const pool = new SimplePool(3);
    pool.close();
    await within(pool.join(), "join() on an idle pool", 100);
  });

  test("join() called before any task started waits for all of them", async () => {
    const pool = new SimplePool(2);
    const done: number[] = [];
    for (let i = 0; i < 6; i++) pool.applyAsync(async () => void (await sleep(2), done.push(i)));
    pool.close();
    const joined = pool.join(); // synchronously: not one task has started yet
    assert.deepEqual(done, []);
    await within(joined, "join() called before the tasks started");
    assert.deepEqual(done.sort(), [0, 1, 2, 3, 4, 5]);
  });

  test("join() while the last task runs waits for it", async () => {
    const pool = new SimplePool(3);
    const { opened, open } = gate();
    let finished = false;
    pool.applyAsync(async () => {
      await opened;
      finished = true;
    });
    await flushMicrotasks();
    pool.close();
    const joined = pool.join();
    assert.equal((await settledState(joined)).state, "pending", "join() resolved while a task ran");
    open();
    await within(joined, "join() once the last task ends");
    assert.equal(finished, true);
  });

  test("after join() resolved: new tasks are refused, and join() resolves again at once", async () => {
    const pool = new SimplePool(2);
    pool.applyAsync(() => sleep(1));
    pool.close();
    await within(pool.join(), "the first join()");
    assert.throws(() => pool.applyAsync(() => {}), { name: "InvalidStateError", message: "Pool not running" });
    await within(pool.join(), "a second join()", 100);
  });

  test("a closed, joined pool leaves no handle open: a script using it exits by itself", () => {
    const script = `
      import { SimplePool } from ${JSON.stringify(new URL("./index.js", import.meta.url).href)};
      const pool = new SimplePool(4);
      for (let i = 0; i < 8; i++) pool.applyAsync(() => new Promise((r) => setTimeout(r, 5)));
      pool.close();
      await pool.join();
      console.log("joined");
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { timeout: 5000, encoding: "utf8" });
    assert.equal(run.signal, null, "the script had to be killed: something kept it alive");
    assert.equal(run.status, 0, `the script failed: ${run.stderr}`);
    assert.equal(run.stdout.trim(), "joined");
  });
});

describe("SimplePool: subclasses can change the number of workers", () => {
  class ElasticPool extends SimplePool {
    grow(): void {
      this.addWorker();
    }

    shrink(): void {
      this.retireWorker();
    }
  }

  test("addWorker() starts a worker that takes queued tasks at once", async () => {
    const pool = new ElasticPool(1);
    const { opened, open } = gate();
    let running = 0;
    for (let i = 0; i < 3; i++) pool.applyAsync(async () => void (running++, await opened));
    await flushMicrotasks();
    assert.equal(running, 1);
    pool.grow();
    pool.grow();
    await flushMicrotasks();
    assert.equal(running, 3, "the two new workers took the two waiting tasks");
    assert.equal(pool.size, 3);
    open();
    pool.close();
    await within(pool.join(), "join() waits for the added workers too");
  });

  test("retireWorker() stops a worker behind the queued tasks and loses none", async () => {
    const pool = new ElasticPool(3);
    const done: number[] = [];
    let running = 0;
    let mostAfter = 0;
    for (let i = 0; i < 6; i++) pool.applyAsync(async () => void (await sleep(1), done.push(i)));
    pool.shrink();
    pool.shrink();
    assert.equal(pool.size, 1);
    for (let i = 6; i < 10; i++) {
      pool.applyAsync(async () => {
        mostAfter = Math.max(mostAfter, ++running);
        await sleep(1);
        done.push(i);
        running -= 1;
      });
    }
    pool.close();
    await within(pool.join(), "join() after shrinking");
    assert.deepEqual(done.sort((a, b) => a - b), [...Array(10).keys()]);
    assert.equal(mostAfter, 1, "tasks given after the shrink ran one at a time");
  });

  test("the last worker cannot retire, and a closed pool neither grows nor shrinks", async () => {
    const pool = new ElasticPool(1);
    assert.throws(() => pool.shrink(), { name: "RangeError", message: "Number of processes must be at least 1" });
    pool.close();
    assert.throws(() => pool.grow(), { name: "InvalidStateError", message: "Pool not running" });
    assert.throws(() => pool.shrink(), { name: "InvalidStateError", message: "Pool not running" });
    await within(pool.join(), "join()");
  });
});

describe("SimplePool: bad input is refused at the call", () => {
  test("a size below 1 gives Python's message", () => {
    for (const size of [0, -1]) {
      assert.throws(() => new SimplePool(size), { name: "RangeError", message: "Number of processes must be at least 1" });
    }
  });

  test("a size that is not a whole number is refused, naming the argument", () => {
    for (const size of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new SimplePool(size), { name: "RangeError", message: /^size must be a whole number/ });
    }
    for (const size of ["3", undefined, null]) {
      assert.throws(() => new SimplePool(size as unknown as number), { name: "TypeError", message: /^size must be a number/ });
    }
  });

  test("options of the wrong type are refused", () => {
    assert.throws(() => new SimplePool(2, { onError: "log" as unknown as () => void }), { name: "TypeError", message: /onError/ });
    assert.throws(() => new SimplePool(2, { timeline: {} as unknown as Timeline }), { name: "TypeError", message: /timeline must be a Timeline/ });
  });

  test("a task that is not a function is refused, and queued tasks still run", async () => {
    const pool = new SimplePool(1);
    let ran = false;
    pool.applyAsync(async () => {
      await sleep(1);
      ran = true;
    });
    assert.throws(() => pool.applyAsync("not a task" as unknown as Task), { name: "TypeError", message: /task must be a function/ });
    pool.close();
    await within(pool.join(), "join()");
    assert.equal(ran, true);
  });
});
