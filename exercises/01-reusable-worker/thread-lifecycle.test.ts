import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { flushMicrotasks, settledState, sleep, within } from "../../testkit/index.js";
import { ThreadLikeWorker } from "#exercise/01-reusable-worker/thread-lifecycle.js";

/** A promise the test resolves when it chooses: a task that holds the worker busy until then. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const invalidState = (message: string) => ({ name: "InvalidStateError", message });

describe("01.3 start() (python-semantics item 35)", () => {
  test("nothing runs before start(); then the queued tasks run in order", async () => {
    const worker = new ThreadLikeWorker();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) worker.applyAsync(() => ran.push(n));
    await flushMicrotasks();
    assert.deepEqual(ran, [], "a task ran before start()");
    assert.equal(worker.isAlive(), false, "isAlive() before start()");
    worker.start();
    assert.equal(worker.isAlive(), true, "isAlive() right after start()");
    worker.stop();
    await within(worker.join(), "join() after stop()");
    assert.deepEqual(ran, [1, 2, 3]);
  });

  test("a second start() throws, while running and after the run has ended", async () => {
    const worker = new ThreadLikeWorker();
    worker.start();
    assert.throws(() => worker.start(), invalidState("threads can only be started once"));
    worker.stop();
    await within(worker.join(), "join() after stop()");
    assert.throws(() => worker.start(), invalidState("threads can only be started once"));
    assert.equal(worker.isAlive(), false, "a refused start() must not bring it back to life");
  });
});

describe("01.3 stop() (python-semantics item 40)", () => {
  test("it lets the queued tasks finish; isAlive() stays true until the loop ends", async () => {
    const worker = new ThreadLikeWorker();
    const busy = gate();
    const ran: string[] = [];
    worker.applyAsync(async () => {
      await busy.opened;
      ran.push("first");
    });
    worker.applyAsync(() => ran.push("second"));
    worker.start();
    worker.stop();
    const joined = worker.join();
    assert.equal((await settledState(joined)).state, "pending", "join() while a queued task still waits");
    assert.equal(worker.isAlive(), true);
    busy.open();
    await within(joined, "join() once the queued tasks finished");
    assert.deepEqual(ran, ["first", "second"]);
    assert.equal(worker.isAlive(), false, "isAlive() once join() has resolved");
  });

  test("after stop(), applyAsync throws and the task never runs", async () => {
    const worker = new ThreadLikeWorker();
    worker.start();
    worker.stop();
    let ran = false;
    assert.throws(() => worker.applyAsync(() => (ran = true)), { name: "InvalidStateError" });
    await within(worker.join(), "join()");
    assert.equal(ran, false);
  });

  test("stop() twice is harmless", async () => {
    const worker = new ThreadLikeWorker();
    worker.start();
    worker.stop();
    worker.stop();
    await within(worker.join(), "join() after two stop() calls");
    assert.equal(worker.isAlive(), false);
  });

  test("stop() before start() ends the run after the tasks queued before it", async () => {
    const worker = new ThreadLikeWorker();
    const ran: number[] = [];
    worker.applyAsync(() => ran.push(1));
    worker.stop();
    worker.start();
    await within(worker.join(), "join()");
    assert.deepEqual(ran, [1]);
    assert.equal(worker.isAlive(), false);
  });

  test("a task may call stop() itself; the tasks queued before it still run", async () => {
    const worker = new ThreadLikeWorker();
    const ran: string[] = [];
    worker.applyAsync(() => {
      ran.push("a");
      worker.stop();
    });
    worker.applyAsync(() => ran.push("b"));
    worker.start();
    await within(worker.join(), "join() after a task called stop()");
    assert.deepEqual(ran, ["a", "b"]);
  });
});

describe("01.3 join() (python-semantics items 36, 37)", () => {
  test("join() before start() throws at once", () => {
    const worker = new ThreadLikeWorker();
    assert.throws(() => worker.join(), invalidState("cannot join thread before it is started"));
    assert.throws(() => worker.join(10), invalidState("cannot join thread before it is started"));
  });

  test("join(timeoutMs) gives up after the timeout with undefined, and the worker is still alive", async () => {
    const worker = new ThreadLikeWorker();
    const busy = gate();
    worker.applyAsync(() => busy.opened);
    worker.start();
    assert.equal(await within(worker.join(20), "join(20) on a busy worker"), undefined);
    assert.equal(worker.isAlive(), true, "join(timeoutMs) returned: the caller must ask isAlive()");
    busy.open();
    worker.stop();
    assert.equal(await within(worker.join(), "a second join() for the rest of the run"), undefined);
    assert.equal(worker.isAlive(), false);
  });

  test("join(timeoutMs) resolves as soon as the loop ends, long before its timeout", async () => {
    const worker = new ThreadLikeWorker();
    worker.applyAsync(() => sleep(5));
    worker.start();
    worker.stop();
    await within(worker.join(60_000), "join(60000) on a worker that stops at once", 1000);
    assert.equal(worker.isAlive(), false);
  });

  test("a worker that is never stopped keeps join() waiting, however idle it is", async () => {
    const worker = new ThreadLikeWorker();
    worker.start();
    const joined = worker.join();
    assert.equal((await settledState(joined, 30)).state, "pending", "join() on a started, idle worker");
    assert.equal(worker.isAlive(), true);
    worker.stop();
    await within(joined, "join() after stop()");
  });

  test("every joiner is released when the loop ends", async () => {
    const worker = new ThreadLikeWorker();
    worker.applyAsync(() => sleep(5));
    worker.start();
    const joiners = [worker.join(), worker.join(), worker.join(60_000)];
    worker.stop();
    await within(Promise.all(joiners), "three joiners");
  });

  test("an idle worker holds no handle, and a long join timeout does not outlive the loop", () => {
    const module = import.meta.resolve("#exercise/01-reusable-worker/thread-lifecycle.js");
    const script = `
      import { ThreadLikeWorker } from ${JSON.stringify(module)};
      const worker = new ThreadLikeWorker();
      worker.applyAsync(() => console.log("task ran"));
      worker.start();
      worker.stop();
      await worker.join(60000);
      const idle = new ThreadLikeWorker();
      idle.start(); // started, never stopped, idle: must not keep the process alive
      console.log("joined");
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { timeout: 10_000, encoding: "utf8" });
    assert.equal(run.status, 0, `the script did not exit by itself within 10 s: ${run.stderr}`);
    assert.deepEqual(run.stdout.trim().split("\n"), ["task ran", "joined"]);
  });
});

describe("01.3 tasks that fail, and bad input", () => {
  test("a task that throws is reported to onError, and the worker goes on", async () => {
    const errors: unknown[] = [];
    const worker = new ThreadLikeWorker({ onError: (error) => errors.push(error) });
    let after = false;
    worker.applyAsync(() => {
      throw new Error("sync boom");
    });
    worker.applyAsync(() => Promise.reject(new Error("async boom")));
    worker.applyAsync(() => (after = true));
    worker.start();
    worker.stop();
    await within(worker.join(), "join() past two failing tasks");
    assert.deepEqual(errors.map((error) => (error as Error).message), ["sync boom", "async boom"]);
    assert.equal(after, true);
  });

  test("the default reporter is console.error", async (t) => {
    const seen: unknown[][] = [];
    t.mock.method(console, "error", (...args: unknown[]) => seen.push(args));
    const worker = new ThreadLikeWorker();
    worker.applyAsync(() => {
      throw new Error("visible");
    });
    worker.start();
    worker.stop();
    await within(worker.join(), "join()");
    assert.equal((seen[0]?.[0] as Error | undefined)?.message, "visible");
  });

  test("bad arguments throw at the call, and nothing queued is lost", async () => {
    assert.throws(() => new ThreadLikeWorker({ onError: "loud" as unknown as () => void }), { name: "TypeError", message: /onError/ });
    const worker = new ThreadLikeWorker();
    let ran = false;
    worker.applyAsync(() => (ran = true));
    assert.throws(() => worker.applyAsync(42 as unknown as () => void), { name: "TypeError", message: /task/ });
    worker.start();
    for (const timeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => worker.join(timeoutMs), { name: "RangeError", message: /timeoutMs/ });
    }
    worker.stop();
    await within(worker.join(), "join()");
    assert.equal(ran, true);
  });
});
