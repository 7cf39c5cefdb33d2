/** The pool property on the event loop; see pool-schedule.ts for what it checks. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { within } from "../../testkit/index.js";
import { checkProperty, forMode, recordSummary } from "../../testkit/properties.js";
import { eventLoop } from "./places.js";
import { runPoolSchedule, scheduleArb, tallies } from "./pool-schedule.js";

test("Pool schedules on the event loop: every result settles once, at most size run at once, in order, join() waits for the last", async (t) => {
  const property = fc.asyncProperty(scheduleArb(eventLoop), (schedule) => runPoolSchedule(eventLoop, schedule));
  const runs = await within(
    checkProperty("Pool schedules on the event loop", property, { test: 1000, soak: 20000 }),
    "the pool property on the event loop",
    forMode({ test: 120_000, soak: 3_600_000 }),
  );
  assert.ok(runs > 0);
  const seen = Object.fromEntries(tallies);
  recordSummary({ kind: "tallies", name: t.name, ...seen });
  t.diagnostic(JSON.stringify(seen));
});
