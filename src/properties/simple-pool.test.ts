/**
 * Property: a {@link SimplePool} runs every task it accepted exactly once,
 * at most `size` at a time, in the order given, reports each failure once,
 * and its `join()` resolves after the last task and never before — whatever
 * mix of quick, slow, throwing and rejecting tasks arrives, and wherever
 * `close()` and `join()` fall. Time is virtual.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { flushMicrotasks } from "../../testkit/index.js";
import { Problems, propertyTest } from "../../testkit/properties.js";
import { VirtualClock } from "../../testkit/virtual-clock.js";
import { InvalidStateError } from "../01-reusable-worker/index.js";
import { SimplePool } from "../02-worker-pool/index.js";

type Kind = "value" | "throw" | "sleep" | "reject";
type PoolStep = { op: "submit"; kind: Kind; ms: number } | { op: "close" } | { op: "join" } | { op: "tick"; ms: number };

const stepArb: fc.Arbitrary<PoolStep> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant("submit" as const), kind: fc.constantFrom<Kind>("value", "throw", "sleep", "sleep", "reject"), ms: fc.integer({ min: 0, max: 5 }) }),
    weight: 8,
  },
  { arbitrary: fc.constant({ op: "close" as const }), weight: 1 },
  { arbitrary: fc.constant({ op: "join" as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("tick" as const), ms: fc.integer({ min: 1, max: 4 }) }), weight: 3 },
);
const scheduleArb = fc.record({ size: fc.integer({ min: 1, max: 4 }), steps: fc.array(stepArb, { maxLength: 30 }) });

class TaskError extends Error {
  override name = "TaskError";
}

async function runSchedule(schedule: { size: number; steps: PoolStep[] }): Promise<void> {
  const clock = new VirtualClock();
  const problems = new Problems();
  clock.install();
  try {
    const check = (ok: boolean, message: string) => {
      if (!ok) problems.add(new assert.AssertionError({ message }));
    };
    const reported = new Map<unknown, number>();
    const pool = new SimplePool(schedule.size, { onError: (error) => reported.set(error, (reported.get(error) ?? 0) + 1) });
    const started: number[] = [];
    const finished = new Set<number>();
    const errors = new Map<number, TaskError>();
    let running = 0;
    let accepted = 0;
    let closed = false;
    const joins: { resolvedWithAllDone: boolean | undefined }[] = [];

    const makeTask = (id: number, kind: Kind, ms: number) => () => {
      started.push(id);
      running += 1;
      check(running <= schedule.size, `task ${id} started while ${running - 1} others ran; size is ${schedule.size}`);
      const end = () => {
        running -= 1;
        check(!finished.has(id), `task ${id} finished twice`);
        finished.add(id);
      };
      const error = new TaskError(`task ${id}`);
      if (kind === "throw" || kind === "reject") errors.set(id, error);
      if (kind === "value") return end(), id;
      if (kind === "throw") {
        end();
        throw error;
      }
      return new Promise((resolve, reject) =>
        setTimeout(() => {
          end();
          if (kind === "reject") reject(error);
          else resolve(id);
        }, ms),
      );
    };

    for (const [index, step] of schedule.steps.entries()) {
      const where = `step ${index} (${step.op})`;
      if (step.op === "submit") {
        const id = accepted;
        try {
          pool.applyAsync(makeTask(id, step.kind, step.ms));
          assert.ok(!closed, `${where}: applyAsync() after close() must throw`);
          accepted += 1;
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
          assert.ok(closed && error instanceof InvalidStateError && error.message === "Pool not running", `${where}: applyAsync() threw ${String(error)}`);
        }
      } else if (step.op === "close") {
        pool.close();
        closed = true;
        assert.equal(pool.state, "CLOSE");
      } else if (step.op === "join") {
        if (!closed) {
          assert.throws(() => pool.join(), { name: "InvalidStateError", message: "Pool is still running" }, `${where}`);
        } else {
          const join: { resolvedWithAllDone: boolean | undefined } = { resolvedWithAllDone: undefined };
          joins.push(join);
          void pool.join().then(() => (join.resolvedWithAllDone = finished.size === accepted && running === 0));
        }
      } else {
        await clock.advance(step.ms);
      }
      await flushMicrotasks();
      problems.raise();
    }

    pool.close();
    let joined = false;
    void pool.join().then(() => (joined = true));
    assert.ok(await clock.runAll(), "every timer fires");
    await flushMicrotasks();
    problems.raise();
    assert.ok(joined, "join() after close() resolves once the tasks are done (it hung)");
    assert.deepEqual(started, Array.from({ length: accepted }, (_, i) => i), "every accepted task started once, in the order given");
    assert.equal(finished.size, accepted, "every accepted task finished");
    for (const join of joins) assert.equal(join.resolvedWithAllDone, true, "join() resolved only after the last task finished");
    assert.equal(reported.size, errors.size, "onError heard of every failure, and of nothing else");
    for (const [id, error] of errors) assert.equal(reported.get(error), 1, `task ${id}'s own error was reported exactly once`);
  } finally {
    clock.uninstall();
    problems.stop();
  }
}

test(
  ...propertyTest(
    "SimplePool schedules",
    "each accepted task runs once, in order, at most size at a time; join() waits for the last",
    () => fc.asyncProperty(scheduleArb, runSchedule),
    { test: 1000, soak: 20_000 },
  ),
);
