import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { settledState, sleep, within } from "../../testkit/index.js";
import { AsyncQueue, ReusableWorker, serve, STOP, type Task } from "./index.js";

describe("ReusableWorker", () => {
  test("runs tasks one at a time, in the order they were given", async () => {
    const worker = new ReusableWorker();
    const log: string[] = [];
    let running = 0;
    for (const [name, ms] of [["a", 15], ["b", 0], ["c", 5]] as const) {
      worker.applyAsync(async () => {
        running += 1;
        assert.equal(running, 1, "two tasks ran at once");
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        running -= 1;
      });
    }
    await within(worker.join(), "join() after three tasks");
    assert.deepEqual(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  test("join() waits for the task that is running, and resolves at once when idle", async () => {
    const worker = new ReusableWorker();
    await within(worker.join(), "join() on a worker that never had work", 100);
    let finished = false;
    worker.applyAsync(async () => {
      await sleep(30);
      finished = true;
    });
    const joined = worker.join();
    assert.equal((await settledState(joined, 5)).state, "pending");
    await within(joined, "join() while the last task runs");
    assert.equal(finished, true);
    worker.applyAsync(() => {});
    await within(worker.join(), "join() after more work arrived");
  });

  test("a task that throws is reported, never swallowed, and the worker goes on", async () => {
    const errors: unknown[] = [];
    const worker = new ReusableWorker({ onError: (error) => errors.push(error) });
    const ran: number[] = [];
    worker.applyAsync(() => {
      throw new Error("sync boom");
    });
    worker.applyAsync(async () => {
      throw new Error("async boom");
    });
    worker.applyAsync(() => ran.push(3));
    await within(worker.join(), "join() after failing tasks");
    assert.deepEqual(errors.map((e) => (e as Error).message), ["sync boom", "async boom"]);
    assert.deepEqual(ran, [3]);
  });

  test("the default reporter is console.error", async (t) => {
    const seen: unknown[][] = [];
    t.mock.method(console, "error", (...args: unknown[]) => seen.push(args));
    const worker = new ReusableWorker();
    worker.applyAsync(() => {
      throw new Error("visible");
    });
    await within(worker.join(), "join()");
    assert.equal((seen[0]?.[0] as Error).message, "visible");
  });

  test("a reporter that throws does not stop the worker", async (t) => {
    t.mock.method(console, "error", () => {});
    const worker = new ReusableWorker({
      onError: () => {
        throw new Error("bad reporter");
      },
    });
    let ran = false;
    worker.applyAsync(() => {
      throw new Error("task");
    });
    worker.applyAsync(() => (ran = true));
    await within(worker.join(), "join() past a throwing reporter");
    assert.equal(ran, true);
  });

  test("bad input is refused at the call, and queued tasks still run", async () => {
    assert.throws(() => new ReusableWorker({ onError: 3 as unknown as () => void }), { name: "TypeError", message: /onError/ });
    const worker = new ReusableWorker();
    let ran = false;
    worker.applyAsync(async () => {
      await sleep(5);
      ran = true;
    });
    assert.throws(() => worker.applyAsync("not a task" as unknown as Task), { name: "TypeError", message: /task must be a function/ });
    await within(worker.join(), "join()");
    assert.equal(ran, true);
  });

  test("an idle worker keeps no handle open: a script using it exits by itself", () => {
    const script = `
      import { ReusableWorker } from ${JSON.stringify(new URL("./index.js", import.meta.url).href)};
      const worker = new ReusableWorker();
      worker.applyAsync(() => new Promise((r) => setTimeout(r, 10)));
      await worker.join();
      console.log("joined");
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { timeout: 5000, encoding: "utf8" });
    assert.equal(run.status, 0, `the script did not exit by itself: ${run.stderr}`);
    assert.equal(run.stdout.trim(), "joined");
  });
});

describe("serve()", () => {
  test("several loops share one queue and stop on STOP", async () => {
    const queue = new AsyncQueue<Task | typeof STOP>();
    const done: number[] = [];
    const unexpected = (error: unknown) => assert.fail(`no task should fail: ${String(error)}`);
    const loops = [serve(queue, unexpected), serve(queue, unexpected)];
    for (let i = 0; i < 6; i++) queue.putNowait(async () => void (await sleep(1), done.push(i)));
    queue.putNowait(STOP);
    queue.putNowait(STOP);
    await within(Promise.all(loops), "both loops to return after STOP");
    assert.deepEqual(done.sort(), [0, 1, 2, 3, 4, 5]);
    assert.equal(queue.unfinishedTasks, 0, "each task and each STOP got its taskDone()");
  });
});

