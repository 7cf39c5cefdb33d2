/**
 * Property: an {@link AsyncQueue} under any schedule of puts, gets, timeouts,
 * aborts, taskDone() and join() keeps its promises. Time is virtual, so each
 * schedule runs the same way every time and shrinks to a small one.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { flushMicrotasks } from "../../testkit/index.js";
import { Problems, propertyTest } from "../../testkit/properties.js";
import { VirtualClock } from "../../testkit/virtual-clock.js";
import { AsyncQueue, InvalidStateError, QueueEmpty, QueueFull } from "../01-reusable-worker/index.js";

type Abort = "no" | "later" | "before";
type QueueStep =
  | { op: "put"; timeoutMs: number | undefined; abort: Abort }
  | { op: "putNowait" }
  | { op: "get"; timeoutMs: number | undefined; abort: Abort }
  | { op: "getNowait" }
  | { op: "taskDone" }
  | { op: "join" }
  | { op: "abort"; which: number }
  | { op: "tick"; ms: number };

const timeoutArb = fc.option(fc.constantFrom(0, 1, 2, 5), { nil: undefined, freq: 2 });
const abortArb = fc.constantFrom<Abort>("no", "no", "later", "before");
const stepArb: fc.Arbitrary<QueueStep> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("put" as const), timeoutMs: timeoutArb, abort: abortArb }), weight: 4 },
  { arbitrary: fc.constant({ op: "putNowait" as const }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("get" as const), timeoutMs: timeoutArb, abort: abortArb }), weight: 4 },
  { arbitrary: fc.constant({ op: "getNowait" as const }), weight: 2 },
  { arbitrary: fc.constant({ op: "taskDone" as const }), weight: 3 },
  { arbitrary: fc.constant({ op: "join" as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("abort" as const), which: fc.nat(7) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("tick" as const), ms: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
);
const scheduleArb = fc.record({ maxsize: fc.integer({ min: -1, max: 3 }), steps: fc.array(stepArb, { maxLength: 40 }) });

/** One waiter the schedule created: what it asked for and how it ended. */
interface Waiting {
  kind: "put" | "get";
  value?: number;
  calledAt: number;
  timeoutMs: number | undefined;
  controller: AbortController | undefined;
  abortedWith: unknown;
  outcome: "pending" | "resolved" | "rejected";
}

async function runSchedule(schedule: { maxsize: number; steps: QueueStep[] }): Promise<void> {
  const clock = new VirtualClock();
  const problems = new Problems();
  clock.install();
  try {
    const queue = new AsyncQueue<number>(schedule.maxsize);
    const bounded = schedule.maxsize > 0;
    const accepted: number[] = []; // in the order they entered the queue
    const received: number[] = []; // in the order they came out
    const waiters: Waiting[] = [];
    const controllers: { controller: AbortController; reason: Error }[] = [];
    const joins: { mayResolve: boolean; resolved: boolean }[] = [];
    let done = 0;
    let nextValue = 0;
    const stored = () => accepted.length - received.length;
    const guard = problems.guard.bind(problems);
    const raise = () => problems.raise();

    const receive = (value: number) => {
      assert.equal(value, accepted[received.length], "items come out in the order they went in, each once");
      received.push(value);
    };
    const abortOptions = (abort: Abort, waiting: Waiting) => {
      if (abort === "no") return undefined;
      const controller = new AbortController();
      const reason = new Error(`abort #${controllers.length}`);
      controllers.push({ controller, reason });
      waiting.controller = controller;
      if (abort === "before") {
        controller.abort(reason);
        waiting.abortedWith = reason;
      }
      return controller.signal;
    };
    const rejected = (waiting: Waiting, error: unknown, timeoutType: typeof QueueEmpty | typeof QueueFull) => {
      waiting.outcome = "rejected";
      if (error instanceof timeoutType) {
        assert.ok(waiting.timeoutMs !== undefined, `${error.name} only for a call that had a timeout`);
        assert.ok(clock.now - waiting.calledAt >= waiting.timeoutMs, `${error.name} not before the timeout passed`);
      } else {
        assert.ok(waiting.abortedWith !== undefined && error === waiting.abortedWith, `rejected with its signal's reason, got ${String(error)}`);
      }
    };

    const checkInvariants = (where: string) => {
      assert.ok(queue.unfinishedTasks >= 0, `${where}: the unfinished count went below zero`);
      assert.equal(queue.unfinishedTasks, accepted.length - done, `${where}: unfinished = accepted - taskDone() calls`);
      assert.equal(queue.qsize(), stored(), `${where}: qsize() = items in - items out`);
      assert.equal(queue.empty(), stored() === 0, `${where}: empty()`);
      assert.equal(queue.full(), bounded && stored() >= schedule.maxsize, `${where}: full()`);
      const pendingGets = waiters.filter((w) => w.kind === "get" && w.outcome === "pending").length;
      const pendingPuts = waiters.filter((w) => w.kind === "put" && w.outcome === "pending").length;
      assert.ok(pendingGets === 0 || queue.empty(), `${where}: a get() waits while an item is stored`);
      assert.ok(pendingPuts === 0 || queue.full(), `${where}: a put() waits while there is room`);
      if (queue.unfinishedTasks === 0) for (const join of joins) join.mayResolve = true;
    };

    for (const [index, step] of schedule.steps.entries()) {
      const where = `step ${index} (${step.op})`;
      switch (step.op) {
        case "put": {
          const value = nextValue++;
          const waiting: Waiting = { kind: "put", value, calledAt: clock.now, timeoutMs: step.timeoutMs, controller: undefined, abortedWith: undefined, outcome: "pending" };
          waiters.push(waiting);
          const signal = abortOptions(step.abort, waiting);
          // With room, the item is in before put() returns; a parked put is let in later, by a get.
          const room = !queue.full() && step.abort !== "before";
          if (room) accepted.push(value);
          queue.put(value, { timeoutMs: step.timeoutMs, signal }).then(
            guard(() => {
              waiting.outcome = "resolved";
              if (!room) accepted.push(value);
            }),
            guard((error: unknown) => rejected(waiting, error, QueueFull)),
          );
          break;
        }
        case "putNowait": {
          const value = nextValue++;
          const wasFull = queue.full();
          try {
            queue.putNowait(value);
            assert.ok(!wasFull, `${where}: putNowait() on a full queue must throw`);
            accepted.push(value);
          } catch (error) {
            assert.ok(wasFull && error instanceof QueueFull, `${where}: putNowait() threw ${String(error)}`);
          }
          break;
        }
        case "get": {
          const waiting: Waiting = { kind: "get", calledAt: clock.now, timeoutMs: step.timeoutMs, controller: undefined, abortedWith: undefined, outcome: "pending" };
          waiters.push(waiting);
          const signal = abortOptions(step.abort, waiting);
          queue.get({ timeoutMs: step.timeoutMs, signal }).then(
            guard((value: number) => {
              waiting.outcome = "resolved";
              receive(value);
            }),
            guard((error: unknown) => rejected(waiting, error, QueueEmpty)),
          );
          break;
        }
        case "getNowait": {
          const hadItem = !queue.empty();
          try {
            receive(queue.getNowait());
            assert.ok(hadItem, `${where}: getNowait() on an empty queue must throw`);
          } catch (error) {
            if (error instanceof assert.AssertionError) throw error;
            assert.ok(!hadItem && error instanceof QueueEmpty, `${where}: getNowait() threw ${String(error)}`);
          }
          break;
        }
        case "taskDone": {
          const unfinished = accepted.length - done;
          try {
            queue.taskDone();
            assert.ok(unfinished > 0, `${where}: taskDone() with nothing unfinished must throw`);
            done += 1;
          } catch (error) {
            if (error instanceof assert.AssertionError) throw error;
            assert.ok(unfinished === 0 && error instanceof InvalidStateError, `${where}: taskDone() threw ${String(error)}`);
            assert.equal((error as Error).message, "task_done() called too many times");
          }
          break;
        }
        case "join": {
          const join = { mayResolve: queue.unfinishedTasks === 0, resolved: false };
          joins.push(join);
          void queue.join().then(
            guard(() => {
              assert.ok(join.mayResolve, `${where}: join() resolved although the unfinished count never reached 0 after it was called`);
              join.resolved = true;
            }),
          );
          break;
        }
        case "abort": {
          const chosen = controllers[step.which % Math.max(1, controllers.length)];
          if (chosen && !chosen.controller.signal.aborted) {
            chosen.controller.abort(chosen.reason);
            for (const w of waiters) if (w.controller === chosen.controller) w.abortedWith = chosen.reason;
          }
          break;
        }
        case "tick":
          await clock.advance(step.ms);
          break;
      }
      // The step itself may have brought the count to 0: joiners may now resolve.
      if (queue.unfinishedTasks === 0) for (const join of joins) join.mayResolve = true;
      await flushMicrotasks();
      raise();
      checkInvariants(where);
      for (const join of joins) {
        if (join.mayResolve) assert.ok(join.resolved, `${where}: join() still waits although the unfinished count reached 0`);
      }
    }

    // Let every timeout fire: a waiter with a timeout must give up, none may hang.
    assert.ok(await clock.runAll(), "every timer fires");
    raise();
    checkInvariants("after the last timeout");
    for (const w of waiters) {
      if (w.outcome === "pending") {
        assert.equal(w.timeoutMs, undefined, `a ${w.kind}() with timeoutMs ${w.timeoutMs} still waits after it passed`);
        assert.equal(w.abortedWith, undefined, `an aborted ${w.kind}() still waits`);
      }
    }
    // What is left comes out in order, letting the waiting putters in.
    while (!queue.empty()) {
      receive(queue.getNowait());
      await flushMicrotasks();
      raise();
    }
    assert.deepEqual(received, accepted, "every accepted item came out exactly once, in order");
    const lostPut = waiters.find((w) => w.kind === "put" && w.outcome === "rejected" && received.includes(w.value as number));
    assert.equal(lostPut, undefined, "an item whose put() was refused never enters the queue");
  } finally {
    clock.uninstall();
    problems.stop();
  }
}

test(
  ...propertyTest(
    "AsyncQueue schedules",
    "items come out once and in order, the unfinished count is exact, join() is truthful, waiters that give up take nothing",
    () => fc.asyncProperty(scheduleArb, runSchedule),
    { test: 1000, soak: 20_000 },
  ),
);
