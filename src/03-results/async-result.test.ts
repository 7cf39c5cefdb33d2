import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { settledState, sleep, within } from "../../testkit/index.js";
import { InvalidStateError } from "../01-reusable-worker/index.js";
import { AsyncResult, TimeoutError, type Outcome } from "./index.js";

/** A result and the function that settles it, for tests that settle by hand. */
function manual<R>(options = {}): { result: AsyncResult<R>; settle(outcome: Outcome<R>): void } {
  let settle!: (outcome: Outcome<R>) => void;
  const result = new AsyncResult<R>((s) => (settle = s), options);
  return { result, settle };
}

describe("AsyncResult (python-semantics items 45-52)", () => {
  test("starts pending; successful() before ready throws (item 52)", () => {
    const { result } = manual<number>();
    assert.equal(result.ready(), false);
    assert.throws(() => result.successful(), InvalidStateError);
  });

  test("get() resolves with the value; ready and successful after (items 48, 51)", async () => {
    const { result, settle } = manual<number>();
    const got = result.get();
    settle({ ok: true, value: 42 });
    assert.equal(await within(got, "get() after settle"), 42);
    assert.equal(result.ready(), true);
    assert.equal(result.successful(), true);
    assert.equal(await within(result.get(), "a second get()"), 42);
  });

  test("get() rejects with the same error object every time (item 48)", async () => {
    const { result, settle } = manual<number>();
    const error = new Error("boom");
    settle({ ok: false, error });
    const first = await result.get().catch((e: unknown) => e);
    const second = await result.get().catch((e: unknown) => e);
    assert.equal(first, error);
    assert.equal(second, error);
    assert.equal(result.successful(), false);
  });

  test("get(timeoutMs) rejects with the kit's TimeoutError, and a later get() succeeds (item 49)", async () => {
    const { result, settle } = manual<string>();
    await assert.rejects(within(result.get(20), "get(20)"), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal((error as Error).name, "TimeoutError");
      return true;
    });
    settle({ ok: true, value: "late" });
    assert.equal(await within(result.get(), "get() after the timeout"), "late");
  });

  test("a get() served in time disarms its timer", async () => {
    const { result, settle } = manual<number>();
    const got = result.get(30);
    settle({ ok: true, value: 1 });
    assert.equal(await within(got, "get(30) settled in time"), 1);
    await sleep(40);
  });

  test("wait(timeoutMs) resolves either way and never rejects (item 50)", async () => {
    const { result, settle } = manual<number>();
    await within(result.wait(10), "wait(10) on a pending result");
    assert.equal(result.ready(), false);
    const waiting = result.wait();
    settle({ ok: false, error: new Error("x") });
    await within(waiting, "wait() after a failure");
    assert.equal(result.ready(), true);
    await within(result.wait(), "wait() when already ready");
  });

  test("the first outcome wins; later ones are ignored", async () => {
    const { result, settle } = manual<number>();
    settle({ ok: true, value: 1 });
    settle({ ok: false, error: new Error("too late") });
    settle({ ok: true, value: 2 });
    assert.equal(await within(result.get(), "get()"), 1);
  });

  test("callback runs once, with the value, before the result is ready (items 45, 47)", async () => {
    const seen: [number, boolean][] = [];
    let result!: AsyncResult<number>;
    const { result: r, settle } = manual<number>({
      callback: (value: number) => seen.push([value, result.ready()]),
      errorCallback: () => assert.fail("errorCallback must not run on success"),
    });
    result = r;
    settle({ ok: true, value: 7 });
    await within(result.get(), "get()");
    assert.deepEqual(seen, [[7, false]]);
  });

  test("errorCallback runs once, with the error, only on failure (item 46)", async () => {
    const errors: unknown[] = [];
    const { result, settle } = manual<number>({
      callback: () => assert.fail("callback must not run on failure"),
      errorCallback: (error: unknown) => errors.push(error),
    });
    const error = new Error("bad");
    settle({ ok: false, error });
    await within(result.wait(), "wait()");
    assert.deepEqual(errors, [error]);
  });

  test("a callback that throws fails its own result with its error (python-semantics item 73, departure)", async () => {
    const thrown = new Error("callback broke");
    const { result, settle } = manual<number>({
      callback: () => {
        throw thrown;
      },
    });
    settle({ ok: true, value: 1 });
    await assert.rejects(within(result.get(), "get()"), (e: unknown) => e === thrown);
    assert.equal(result.successful(), false);
  });

  test("an errorCallback that throws makes get() reject with its error", async () => {
    const thrown = new Error("errorCallback broke");
    const { result, settle } = manual<number>({
      errorCallback: () => {
        throw thrown;
      },
    });
    settle({ ok: false, error: new Error("task") });
    await assert.rejects(within(result.get(), "get()"), (e: unknown) => e === thrown);
  });

  test("an async callback holds readiness until it settles, and its rejection fails the result", async () => {
    let finished = false;
    const slow = manual<number>({
      callback: async () => {
        await sleep(15);
        finished = true;
      },
    });
    slow.settle({ ok: true, value: 3 });
    assert.equal(slow.result.ready(), false);
    assert.equal(await within(slow.result.get(), "get() after an async callback"), 3);
    assert.equal(finished, true);

    const failing = manual<number>({ callback: async () => Promise.reject(new Error("async callback broke")) });
    failing.settle({ ok: true, value: 3 });
    await assert.rejects(within(failing.result.get(), "get()"), /async callback broke/);
  });

  test("onReady is told once, after the callback", async () => {
    const order: string[] = [];
    const { result, settle } = manual<number>({ callback: () => order.push("callback"), onReady: () => order.push("ready") });
    settle({ ok: true, value: 1 });
    settle({ ok: true, value: 2 });
    await within(result.get(), "get()");
    assert.deepEqual(order, ["callback", "ready"]);
  });

  test("bad arguments are refused at the call", () => {
    assert.throws(() => new AsyncResult(() => {}, { callback: 5 as unknown as () => void }), { name: "TypeError", message: /callback/ });
    assert.throws(() => new AsyncResult(() => {}, { errorCallback: "x" as unknown as () => void }), { name: "TypeError", message: /errorCallback/ });
    const { result } = manual<number>();
    assert.throws(() => result.get(-1), { name: "RangeError", message: /timeoutMs/ });
    assert.throws(() => result.wait(Number.NaN), { name: "RangeError", message: /timeoutMs/ });
  });

  test("nobody asking for a failed result causes no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const { settle } = manual<number>();
      settle({ ok: false, error: new Error("nobody looks") });
      await sleep(10);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  test("a pending get() stays pending until the outcome arrives", async () => {
    const { result, settle } = manual<number>();
    const got = result.get();
    assert.equal((await settledState(got)).state, "pending");
    settle({ ok: true, value: 5 });
    assert.equal(await within(got, "get()"), 5);
  });
});
