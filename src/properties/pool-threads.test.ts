/** The pool property in worker threads; see pool-schedule.ts for what it checks. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { within } from "../../testkit/index.js";
import { checkProperty, forMode, recordSummary } from "../../testkit/properties.js";
import { threads } from "./places.js";
import { runPoolSchedule, scheduleArb, tallies } from "./pool-schedule.js";

test("Pool schedules in worker threads: every result settles once, at most size run at once, in order, join() waits for the last", async (t) => {
  const property = fc.asyncProperty(scheduleArb(threads), (schedule) => runPoolSchedule(threads, schedule));
  const runs = await within(
    checkProperty("Pool schedules in worker threads", property, { test: 40, soak: 1000 }),
    "the pool property in worker threads",
    forMode({ test: 120_000, soak: 3_600_000 }),
  );
  assert.ok(runs > 0);
  const seen = Object.fromEntries(tallies);
  recordSummary({ kind: "tallies", name: t.name, ...seen });
  t.diagnostic(JSON.stringify(seen));
});
