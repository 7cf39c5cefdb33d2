import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Fifo } from "./fifo.js";

type Step = { op: "push"; value: number } | { op: "shift" } | { op: "peek" } | { op: "retainEven" } | { op: "drain" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("push" as const), value: fc.integer() }), weight: 6 },
  { arbitrary: fc.constant({ op: "shift" as const }), weight: 4 },
  { arbitrary: fc.constant({ op: "peek" as const }), weight: 1 },
  { arbitrary: fc.constant({ op: "retainEven" as const }), weight: 1 },
  { arbitrary: fc.constant({ op: "drain" as const }), weight: 1 },
);

describe("Fifo: a ring buffer", () => {
  test("behaves as an array used as a queue, under any sequence of calls", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 300 }), (steps) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        for (const step of steps) {
          if (step.op === "push") {
            fifo.push(step.value);
            model.push(step.value);
          } else if (step.op === "shift") assert.equal(fifo.shift(), model.shift());
          else if (step.op === "peek") assert.equal(fifo.peek(), model[0]);
          else if (step.op === "retainEven") {
            fifo.retain((n) => n % 2 === 0);
            model.splice(0, model.length, ...model.filter((n) => n % 2 === 0));
          } else assert.deepEqual(fifo.drain(), model.splice(0));
          assert.equal(fifo.size, model.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("keeps its order when the ring wraps around and then grows", () => {
    const fifo = new Fifo<number>();
    // 10 in, 8 out: the head now sits near the end of the first 16 slots.
    for (let i = 0; i < 10; i++) fifo.push(i);
    for (let i = 0; i < 8; i++) fifo.shift();
    // The tail wraps past the end, then a full ring doubles.
    for (let i = 10; i < 40; i++) fifo.push(i);
    assert.deepEqual(fifo.drain(), Array.from({ length: 32 }, (_, i) => i + 8));
  });

  test("takes a burst of a million items in order, and shift() returns undefined once empty", () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 1_000_000; i++) fifo.push(i);
    let expected = 0;
    for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) assert.equal(item, expected++);
    assert.equal(expected, 1_000_000);
    assert.equal(fifo.size, 0);
    assert.equal(fifo.peek(), undefined);
    fifo.push(7);
    assert.equal(fifo.shift(), 7, "usable again after it shrank back");
  });
});
