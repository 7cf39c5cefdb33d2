import assert from "node:assert/strict";
import { describe, mock, test } from "node:test";
import { InvalidStateError, TimeoutError } from "pools-by-hand";
import { flushMicrotasks, settledState, within } from "../../testkit/index.js";
import {
  ALL_COMPLETED,
  CancelledError,
  Executor,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  asCompleted,
  wait,
  type ReturnWhen,
} from "#exercise/03-results/executor.js";

/** A promise the test resolves when it chooses: a task that runs until the test lets it finish. */
function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** A future finished by hand, as an executor would. */
function finished<T>(value: T): Future<T> {
  const future = new Future<T>();
  future.setRunningOrNotifyCancel();
  future.setResult(value);
  return future;
}

function failed<T = number>(error: unknown): Future<T> {
  const future = new Future<T>();
  future.setRunningOrNotifyCancel();
  future.setException(error);
  return future;
}

const states = <T>(future: Future<T>) => ({ done: future.done(), running: future.running(), cancelled: future.cancelled() });

describe("03.1 Future, on its own (python-semantics items 92-100, 120)", () => {
  test("pending, then running, then finished: the three predicates follow (item 95)", async () => {
    const future = new Future<number>();
    assert.deepEqual(states(future), { done: false, running: false, cancelled: false });
    assert.equal(future.setRunningOrNotifyCancel(), true);
    assert.deepEqual(states(future), { done: false, running: true, cancelled: false });
    future.setResult(42);
    assert.deepEqual(states(future), { done: true, running: false, cancelled: false });
    assert.equal(await within(future.result(), "result() of a finished future"), 42);
    assert.equal(await within(future.exception(), "exception() of a successful future"), undefined);
  });

  test("a failure: result() rejects with the same error every time, exception() resolves it (items 92, 93)", async () => {
    const error = new RangeError("division by zero");
    const future = failed(error);
    await assert.rejects(within(future.result(), "result()"), (e: unknown) => e === error);
    await assert.rejects(within(future.result(0), "result(0)"), (e: unknown) => e === error);
    assert.equal(await within(future.exception(), "exception()"), error);
    assert.deepEqual(states(future), { done: true, running: false, cancelled: false });
  });

  test("result(timeoutMs) rejects with the kit's TimeoutError while pending; a later result() still succeeds (item 92)", async () => {
    const future = new Future<string>();
    await assert.rejects(within(future.result(0), "result(0) on a pending future"), TimeoutError);
    await assert.rejects(within(future.result(15), "result(15) on a pending future"), TimeoutError);
    await assert.rejects(within(future.exception(5), "exception(5) on a pending future"), TimeoutError);
    const later = future.result();
    future.setRunningOrNotifyCancel();
    future.setResult("late");
    assert.equal(await within(later, "result() after the timeouts"), "late");
  });

  test("cancel(): true while pending (and again after), false once running or finished (item 94)", async () => {
    const pending = new Future<number>();
    const waiting = pending.result();
    assert.equal(pending.cancel(), true);
    assert.deepEqual(states(pending), { done: true, running: false, cancelled: true });
    assert.equal(pending.cancel(), true, "cancelling twice is still true");
    await assert.rejects(within(waiting, "a result() waiting when the future was cancelled"), CancelledError);
    await assert.rejects(within(pending.exception(), "exception() of a cancelled future"), CancelledError);

    const running = new Future<number>();
    running.setRunningOrNotifyCancel();
    assert.equal(running.cancel(), false);
    assert.equal(running.running(), true, "a refused cancel changes nothing");
    running.setResult(1);
    assert.equal(running.cancel(), false);
    assert.equal(await within(running.result(), "result() after a refused cancel"), 1);
  });

  test("setRunningOrNotifyCancel: false for a cancelled future, an error once running (item 120)", () => {
    const cancelled = new Future<number>();
    cancelled.cancel();
    assert.equal(cancelled.setRunningOrNotifyCancel(), false);
    const running = new Future<number>();
    running.setRunningOrNotifyCancel();
    assert.throws(() => running.setRunningOrNotifyCancel(), InvalidStateError);
  });

  test("a second outcome is refused with InvalidStateError and the first is kept (item 99)", async () => {
    const future = finished(1);
    assert.throws(() => future.setResult(2), InvalidStateError);
    assert.throws(() => future.setException(new Error("too late")), InvalidStateError);
    assert.equal(await within(future.result(), "result()"), 1);
    const cancelled = new Future<number>();
    cancelled.cancel();
    assert.throws(() => cancelled.setResult(3), InvalidStateError);
  });

  test("done callbacks run once it finishes, in the order added, with the future, done() already true (item 96)", () => {
    const future = new Future<number>();
    const seen: string[] = [];
    future.addDoneCallback((f) => seen.push(`first ${f === future} ${f.done()}`));
    future.addDoneCallback(() => seen.push("second"));
    future.setRunningOrNotifyCancel();
    assert.equal(seen.length, 0, "no callback before the future is done");
    future.setResult(7);
    assert.deepEqual(seen, ["first true true", "second"]);
    future.addDoneCallback(() => seen.push("late"));
    assert.deepEqual(seen, ["first true true", "second", "late"], "added when done: runs at once, synchronously");
  });

  test("cancelling runs the done callbacks too (item 94)", () => {
    const future = new Future<number>();
    const seen: boolean[] = [];
    future.addDoneCallback((f) => seen.push(f.cancelled()));
    future.cancel();
    assert.deepEqual(seen, [true]);
  });

  test("a callback that throws is reported, and the next one still runs (item 98)", (t) => {
    const reported = mock.method(console, "error", () => {});
    t.after(() => reported.mock.restore());
    const future = new Future<number>();
    const seen: string[] = [];
    future.addDoneCallback(() => {
      throw new Error("callback broke");
    });
    future.addDoneCallback(() => seen.push("second"));
    future.setRunningOrNotifyCancel();
    assert.doesNotThrow(() => future.setResult(1));
    assert.deepEqual(seen, ["second"]);
    assert.equal(reported.mock.callCount(), 1, "the throwing callback is reported once, on console.error");
    assert.doesNotThrow(() =>
      future.addDoneCallback(() => {
        throw new Error("late callback broke");
      }),
    );
    assert.equal(reported.mock.callCount(), 2, "a callback added when done is reported the same way");
  });

  test("bad arguments are refused at the call", () => {
    const future = new Future<number>();
    assert.throws(() => future.addDoneCallback(5 as unknown as () => void), TypeError);
    assert.throws(() => future.result(-1), RangeError);
    assert.throws(() => future.exception(Number.NaN), RangeError);
  });
});

describe("03.1 Executor over the Pool (items 91-95, 105-108)", () => {
  test("submit returns a pending Future at once and passes its arguments (items 91, 92)", async () => {
    const executor = new Executor(2);
    const future = executor.submit(Math.pow, 2, 10);
    assert.equal(future instanceof Future, true);
    assert.equal(future.done(), false, "the call runs later, on a worker");
    assert.equal(await within(future.result(), "submit(Math.pow, 2, 10).result()"), 1024);
    const asyncCall = executor.submit(async (a: string, b: string) => a + b, "po", "ol");
    assert.equal(await within(asyncCall.result(), "an async call's result()"), "pool");
    await within(executor.shutdown(), "shutdown()");
  });

  test("a call that throws: result() rejects with its error, exception() resolves it (items 92, 93)", async () => {
    const executor = new Executor(1);
    const error = new RangeError("division by zero");
    const future = executor.submit(() => {
      throw error;
    });
    assert.equal(await within(future.exception(), "exception()"), error);
    await assert.rejects(within(future.result(), "result()"), (e: unknown) => e === error);
    assert.equal(await within(executor.submit(() => "still serving").result(), "the next call"), "still serving");
    await within(executor.shutdown(), "shutdown()");
  });

  test("a future is pending while queued, running while its call runs, then done (item 95)", async () => {
    const executor = new Executor(1);
    const first = gate<number>();
    const second = gate<number>();
    const a = executor.submit(() => first.promise);
    const b = executor.submit(() => second.promise);
    await flushMicrotasks();
    assert.deepEqual(states(a), { done: false, running: true, cancelled: false }, "the first call has started");
    assert.deepEqual(states(b), { done: false, running: false, cancelled: false }, "the second waits for the one worker");
    first.open(1);
    assert.equal(await within(a.result(), "the first result"), 1);
    await flushMicrotasks();
    assert.equal(b.running(), true, "the second starts once the worker is free");
    second.open(2);
    assert.equal(await within(b.result(), "the second result"), 2);
    await within(executor.shutdown(), "shutdown()");
  });

  test("cancel(): a queued call never runs; a running one cannot be cancelled (items 94, 120)", async () => {
    const executor = new Executor(1);
    const hold = gate<string>();
    let ran = false;
    const running = executor.submit(() => hold.promise);
    const queued = executor.submit(() => (ran = true));
    await flushMicrotasks();
    assert.equal(running.cancel(), false);
    assert.equal(queued.cancel(), true);
    assert.equal(queued.cancelled(), true);
    hold.open("kept");
    assert.equal(await within(running.result(), "the running call's result"), "kept");
    await assert.rejects(within(queued.result(), "the cancelled call's result"), CancelledError);
    await within(executor.shutdown(), "shutdown()");
    assert.equal(ran, false, "a call cancelled while queued must not run");
  });

  test("done callbacks of an executor's future run when its call finishes (item 96)", async () => {
    const executor = new Executor(1);
    const seen: number[] = [];
    const future = executor.submit((x: number) => x * 3, 5);
    future.addDoneCallback((f) => void f.result().then((value) => seen.push(value)));
    await within(executor.shutdown(), "shutdown()");
    await flushMicrotasks();
    assert.deepEqual(seen, [15]);
  });

  test("after shutdown, submit throws; shutdown twice is fine (item 105)", async () => {
    const executor = new Executor(1);
    await within(executor.shutdown(), "shutdown()");
    assert.throws(() => executor.submit(() => 1), { name: "InvalidStateError", message: "cannot schedule new futures after shutdown" });
    await within(executor.shutdown(), "a second shutdown()");
  });

  test("shutdown() waits for every call; shutdown({ wait: false }) returns at once and queued calls still run (item 105)", async () => {
    const executor = new Executor(1);
    const hold = gate<void>();
    const futures = [0, 1, 2].map((i) => executor.submit(async () => (await hold.promise, i)));
    const waiting = executor.shutdown();
    assert.equal((await settledState(waiting)).state, "pending", "shutdown() waits while calls are unfinished");
    hold.open();
    await within(waiting, "shutdown() once the calls can finish");
    assert.deepEqual(futures.map((f) => f.done()), [true, true, true]);

    const quick = new Executor(1);
    const later = gate<void>();
    const queued = [0, 1, 2].map((i) => quick.submit(async () => (await later.promise, i)));
    assert.equal((await settledState(quick.shutdown({ wait: false }))).state, "fulfilled", "shutdown({ wait: false }) returns at once");
    assert.equal(queued[2]?.done(), false);
    later.open();
    assert.deepEqual(await within(Promise.all(queued.map((f) => f.result())), "the queued calls"), [0, 1, 2]);
  });

  test("shutdown({ cancelFutures: true }) cancels what has not started; the running call finishes (item 106)", async () => {
    const executor = new Executor(1);
    const hold = gate<string>();
    const running = executor.submit(() => hold.promise);
    const queued = [1, 2, 3].map((i) => executor.submit(() => i));
    await flushMicrotasks();
    const stopping = executor.shutdown({ cancelFutures: true });
    assert.deepEqual(queued.map((f) => f.cancelled()), [true, true, true]);
    assert.equal(running.cancelled(), false);
    hold.open("finished");
    await within(stopping, "shutdown({ cancelFutures: true })");
    assert.equal(await within(running.result(), "the running call"), "finished");
  });

  test("leaving an `await using` block shuts down and waits, as Python's `with` (item 107)", async () => {
    let future!: Future<string>;
    let outer!: Executor;
    {
      await using executor = new Executor(2);
      outer = executor;
      future = executor.submit(async () => "done by the end of the block");
    }
    assert.equal(future.done(), true);
    assert.throws(() => outer.submit(() => 1), /cannot schedule new futures after shutdown/);
  });

  test("bad input is refused at the call, losing nothing (items 91, 108)", async () => {
    for (const bad of [0, -1]) assert.throws(() => new Executor(bad), { name: "RangeError", message: "max_workers must be greater than 0" });
    const executor = new Executor(1);
    assert.ok(executor.maxWorkers === 1);
    const kept = executor.submit(() => "kept");
    assert.throws(() => executor.submit(42 as unknown as () => number), TypeError);
    assert.equal(await within(kept.result(), "the call submitted before the bad one"), "kept");
    await within(executor.shutdown(), "shutdown()");
  });
});

describe("03.1 asCompleted (item 110)", () => {
  test("yields the done futures first, then each as it finishes, each once", async () => {
    const [a, b, c] = [new Future<string>(), finished("b"), new Future<string>()];
    const order: Future<string>[] = [];
    const collecting = (async () => {
      for await (const future of asCompleted([a, b, c, b, a])) order.push(future);
    })();
    await flushMicrotasks();
    assert.deepEqual(order, [b]);
    c.setRunningOrNotifyCancel();
    c.setResult("c");
    await flushMicrotasks();
    a.cancel();
    await within(collecting, "asCompleted() over three futures");
    assert.deepEqual(order, [b, c, a]);
  });

  test("an executor's futures come out in the order their calls finish", async () => {
    const executor = new Executor(3);
    const gates = [gate<number>(), gate<number>(), gate<number>()];
    const futures = gates.map((g) => executor.submit(() => g.promise));
    const order: number[] = [];
    const collecting = (async () => {
      for await (const future of asCompleted(futures)) order.push(await future.result());
    })();
    for (const i of [2, 0, 1]) {
      await flushMicrotasks();
      gates[i]?.open(i);
    }
    await within(collecting, "asCompleted() over the executor's futures");
    assert.deepEqual(order, [2, 0, 1]);
    await within(executor.shutdown(), "shutdown()");
  });

  test("a timeout rejects with 'N (of M) futures unfinished', after the done ones were yielded", async () => {
    const done = finished(1);
    const pending = new Future<number>();
    const iterator = asCompleted([done, pending, pending], 20);
    assert.equal((await within(iterator.next(), "the done future")).value, done);
    await assert.rejects(within(iterator.next(), "the timeout"), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, "the kit's TimeoutError");
      assert.equal((error as Error).message, "1 (of 2) futures unfinished");
      return true;
    });
  });

  test("a bad timeout is refused at the call", () => {
    assert.throws(() => asCompleted([new Future()], -5), RangeError);
  });
});

describe("03.1 wait (items 111, 112)", () => {
  const names = (set: Set<Future<number>>, all: Future<number>[]) => all.filter((f) => set.has(f)).map((f) => all.indexOf(f));

  test("ALL_COMPLETED, the default: resolves once every future is done", async () => {
    const all = [finished(0), new Future<number>(), new Future<number>()];
    const waiting = wait(all);
    all[1]?.cancel();
    assert.equal((await settledState(waiting)).state, "pending", "one future is still pending");
    all[2]?.setRunningOrNotifyCancel();
    all[2]?.setResult(2);
    const { done, notDone } = await within(waiting, `wait(${ALL_COMPLETED})`);
    assert.deepEqual(names(done, all), [0, 1, 2]);
    assert.equal(notDone.size, 0);
  });

  test("FIRST_COMPLETED: resolves when one finishes, at once if one already has", async () => {
    const all = [new Future<number>(), new Future<number>()];
    const waiting = wait(all, { returnWhen: FIRST_COMPLETED });
    assert.equal((await settledState(waiting)).state, "pending");
    all[1]?.setRunningOrNotifyCancel();
    all[1]?.setResult(1);
    const first = await within(waiting, "wait(FIRST_COMPLETED)");
    assert.deepEqual([names(first.done, all), names(first.notDone, all)], [[1], [0]]);
    const again = await within(wait(all, { returnWhen: FIRST_COMPLETED }), "wait(FIRST_COMPLETED) with one done");
    assert.deepEqual(names(again.done, all), [1]);
  });

  test("FIRST_EXCEPTION: resolves at the first failure, at once if one already failed; without failures, like ALL_COMPLETED", async () => {
    const [ok, cancelled] = [new Future<number>(), new Future<number>()];
    const noFailure = wait([ok, cancelled], { returnWhen: FIRST_EXCEPTION });
    ok.setRunningOrNotifyCancel();
    ok.setResult(0);
    assert.equal((await settledState(noFailure)).state, "pending", "a success does not end FIRST_EXCEPTION");
    cancelled.cancel();
    const all = await within(noFailure, "wait(FIRST_EXCEPTION) once all are done, none failed");
    assert.deepEqual([all.done.size, all.notDone.size], [2, 0]);

    const pair = [new Future<number>(), new Future<number>()];
    const failing = wait(pair, { returnWhen: FIRST_EXCEPTION });
    pair[0]?.setRunningOrNotifyCancel();
    pair[0]?.setException(new Error("boom"));
    const early = await within(failing, "wait(FIRST_EXCEPTION) after a failure");
    assert.deepEqual([names(early.done, pair), names(early.notDone, pair)], [[0], [1]]);

    const atOnce = await within(wait([failed(new Error("x")), new Future<number>()], { returnWhen: FIRST_EXCEPTION }), "with a failure already");
    assert.equal(atOnce.done.size, 1);
  });

  test("a timeout resolves with the partial sets and never rejects; duplicates collapse", async () => {
    const pending = new Future<number>();
    const done = finished(1);
    const { done: d, notDone: n } = await within(wait([pending, done, pending, done], { timeoutMs: 15 }), "wait({ timeoutMs: 15 })");
    assert.deepEqual([d.size, n.size], [1, 1]);
    assert.ok(d.has(done) && n.has(pending));
  });

  test("an invalid returnWhen or timeout is refused at the call", () => {
    assert.throws(() => wait([new Future()], { returnWhen: "BOGUS" as ReturnWhen }), {
      name: "RangeError",
      message: "Invalid return condition: 'BOGUS'",
    });
    assert.throws(() => wait([new Future()], { timeoutMs: -1 }), RangeError);
  });
});
