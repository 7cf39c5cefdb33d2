import assert from "node:assert/strict";
import { describe, mock, test } from "node:test";
import { InvalidStateError } from "pools-by-hand";
import { flushMicrotasks, sleep, within } from "../../testkit/index.js";
import { NoResultsPending, ThreadPool, WorkRequest, makeRequests } from "#exercise/03-results/old-threadpool.js";

/** A promise the test resolves when it chooses. */
function gate<T>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

const add = (a: number, b = 0) => a + b;

describe("03.2 makeRequests and WorkRequest (python-semantics items 126, 127)", () => {
  test("one request per item: an array is the argument list, any other value the single argument", () => {
    const callback = () => {};
    const requests = makeRequests(add, [1, [2, 3], [[4]], "x"], callback);
    assert.equal(requests.length, 4);
    assert.ok(requests.every((r) => r instanceof WorkRequest));
    assert.deepEqual(requests.map((r) => r.args), [[1], [2, 3], [[4]], ["x"]]);
    assert.ok(requests.every((r) => r.fn === add && r.callback === callback));
    assert.equal(new Set(requests.map((r) => r.requestID)).size, 4, "every request gets its own id");
  });

  test("defaults: no arguments, no callback, a reporting excCallback, not failed; a given id is kept", () => {
    const request = new WorkRequest(() => 1);
    assert.deepEqual(request.args, []);
    assert.equal(request.callback, null);
    assert.equal(typeof request.excCallback, "function", "errors are reported by default");
    assert.equal(request.exception, false);
    assert.equal(new WorkRequest(add, [1], { requestID: "job-7" }).requestID, "job-7");
    assert.match(String(new WorkRequest(add, [1, 2], { requestID: 3 })), /^<WorkRequest id=3 args=.*1.*2.* exception=false>$/);
  });

  test("bad input is refused at the call", () => {
    assert.throws(() => new WorkRequest(5 as unknown as () => void), TypeError);
    assert.throws(() => new WorkRequest(add, 5 as unknown as []), TypeError);
  });
});

describe("03.2 ThreadPool on the kit's Pool (items 128-133)", () => {
  test("poll() with nothing put throws NoResultsPending; wait() returns at once (items 131, 132)", async () => {
    const pool = new ThreadPool(2);
    assert.throws(() => pool.poll(), NoResultsPending);
    await within(pool.wait(), "wait() with nothing put");
  });

  test("results are delivered only when the caller polls, in completion order, as callback(request, result) (item 129)", async () => {
    const pool = new ThreadPool(3);
    const gates = [gate<number>(), gate<number>(), gate<number>()];
    const seen: [unknown, number][] = [];
    const requests = makeRequests((i: number) => gates[i]?.promise, [0, 1, 2], (request, result: number) => {
      seen.push([request.args[0], result]);
    });
    for (const request of requests) pool.putRequest(request);
    for (const i of [2, 0, 1]) {
      gates[i]?.open(i * 10);
      await flushMicrotasks();
    }
    await sleep(5);
    assert.equal(seen.length, 0, "every call has finished, but no callback runs until poll()");
    assert.throws(() => pool.poll(), NoResultsPending, "poll() delivers all three, then finds nothing pending");
    assert.deepEqual(seen, [
      [2, 20],
      [0, 0],
      [1, 10],
    ]);
    assert.equal(pool.workRequests.size, 0);
  });

  test("poll() without block returns when no result has arrived yet; pending requests stay pending (item 131)", async () => {
    const pool = new ThreadPool(2);
    const hold = gate<string>();
    const seen: unknown[] = [];
    pool.putRequest(new WorkRequest(() => hold.promise, [], { callback: (_request, result) => seen.push(result) }));
    pool.putRequest(new WorkRequest(() => "quick", [], { callback: (_request, result) => seen.push(result) }));
    await flushMicrotasks();
    assert.doesNotThrow(() => pool.poll());
    assert.deepEqual(seen, ["quick"]);
    assert.equal(pool.workRequests.size, 1);
    hold.open("slow");
    await within(pool.wait(), "wait() for the held request");
    assert.deepEqual(seen, ["quick", "slow"]);
  });

  test("poll(true) waits for every result and then rejects with NoResultsPending (item 131)", async () => {
    const pool = new ThreadPool(2);
    const seen: number[] = [];
    for (const request of makeRequests(async (x: number) => (await sleep(x), x), [15, 5], (_r, x: number) => seen.push(x))) {
      pool.putRequest(request);
    }
    await assert.rejects(within(pool.poll(true), "poll(true)"), NoResultsPending);
    assert.deepEqual(seen, [5, 15]);
  });

  test("wait() delivers everything, then resolves with no request left (item 132)", async () => {
    const pool = new ThreadPool(2);
    const seen: number[] = [];
    for (const request of makeRequests((x: number) => x * x, [1, 2, 3, 4], (_r, x: number) => seen.push(x))) pool.putRequest(request);
    const waiting = pool.wait();
    await within(waiting, "wait()");
    assert.deepEqual([...seen].sort((a, b) => a - b), [1, 4, 9, 16]);
    assert.equal(pool.workRequests.size, 0);
  });

  test("a failure goes to excCallback(request, error) and not to callback; the request is marked (item 130)", async () => {
    const pool = new ThreadPool(1);
    const calls: string[] = [];
    const error = new RangeError("three");
    const [request] = makeRequests(
      () => {
        throw error;
      },
      [3],
      () => calls.push("callback"),
      (req, e) => calls.push(`excCallback ${req === request} ${e === error} ${req.exception}`),
    );
    pool.putRequest(request as WorkRequest);
    await within(pool.wait(), "wait()");
    assert.deepEqual(calls, ["excCallback true true true"]);
  });

  test("with excCallback null, the callback gets the error as its result, as the old module did (item 130)", async () => {
    const pool = new ThreadPool(1);
    const results: unknown[] = [];
    const error = new Error("no handler");
    pool.putRequest(
      new WorkRequest(
        () => {
          throw error;
        },
        [],
        { callback: (_request, result) => results.push(result), excCallback: null },
      ),
    );
    await within(pool.wait(), "wait()");
    assert.deepEqual(results, [error]);
  });

  test("by default, a failure is reported on console.error (item 130)", async (t) => {
    const reported = mock.method(console, "error", () => {});
    t.after(() => reported.mock.restore());
    const pool = new ThreadPool(1);
    pool.putRequest(
      new WorkRequest(() => {
        throw new Error("reported");
      }),
    );
    await within(pool.wait(), "wait()");
    assert.equal(reported.mock.callCount(), 1);
  });

  test("a request that failed cannot be put again; only WorkRequests can be put (item 133)", async () => {
    const pool = new ThreadPool(1);
    const request = new WorkRequest(
      () => {
        throw new Error("once");
      },
      [],
      { excCallback: () => {} },
    );
    pool.putRequest(request);
    await within(pool.wait(), "wait()");
    assert.equal(request.exception, true);
    assert.throws(() => pool.putRequest(request), InvalidStateError);
    assert.throws(() => pool.putRequest({ fn: add, args: [1] } as unknown as WorkRequest), TypeError);
    assert.equal(pool.workRequests.size, 0, "a refused request is not registered");
  });

  test("a callback that throws: poll rethrows its error, and wait() can still finish (departure: nothing is left hanging)", async () => {
    const pool = new ThreadPool(2);
    const broke = new Error("callback broke");
    const seen: number[] = [];
    pool.putRequest(
      new WorkRequest(() => 1, [], {
        callback: () => {
          throw broke;
        },
      }),
    );
    pool.putRequest(new WorkRequest(async () => (await sleep(10), 2), [], { callback: (_r, x: number) => seen.push(x) }));
    await assert.rejects(within(pool.wait(), "wait() meeting the throwing callback"), (e: unknown) => e === broke);
    await within(pool.wait(), "wait() again");
    assert.deepEqual(seen, [2]);
  });

  test("at most numWorkers calls run at once (item 128)", async () => {
    const pool = new ThreadPool(2);
    let running = 0;
    let peak = 0;
    const work = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(2);
      running -= 1;
    };
    for (const request of makeRequests(work, [1, 2, 3, 4, 5, 6])) pool.putRequest(request);
    await within(pool.wait(), "wait()");
    assert.equal(peak, 2);
    assert.throws(() => new ThreadPool(0), /at least 1/);
  });

  test("seed 000's example: ten sums delivered to callback(request, sum) add up", async () => {
    const sum = (start: number, end: number) => {
      let total = 0;
      for (let i = start; i <= end; i++) total += i;
      return total;
    };
    let total = 0;
    const ranges: [number, number][] = Array.from({ length: 10 }, (_, i) => [i * 10 ** 5 + 1, 10 ** 5 * (i + 1)]);
    const requests = makeRequests(sum, ranges, (request, partial: number) => {
      assert.ok(Array.isArray(request.args), "the callback is told which request it was");
      total += partial;
    });
    const pool = new ThreadPool(10);
    for (const request of requests) pool.putRequest(request);
    await within(pool.wait(), "wait() for ten sums");
    assert.equal(total, (10 ** 6 * (10 ** 6 + 1)) / 2);
  });
});
