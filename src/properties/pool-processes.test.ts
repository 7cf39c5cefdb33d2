/** The pool property in child processes; see pool-schedule.ts for what it checks. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { within } from "../../testkit/index.js";
import { checkProperty, forMode, recordSummary } from "../../testkit/properties.js";
import { processes } from "./places.js";
import { runPoolSchedule, scheduleArb, tallies } from "./pool-schedule.js";

test("Pool schedules in child processes: every result settles once, at most size run at once, in order, join() waits for the last", async (t) => {
  const property = fc.asyncProperty(scheduleArb(processes), (schedule) => runPoolSchedule(processes, schedule));
  const runs = await within(
    checkProperty("Pool schedules in child processes", property, { test: 20, soak: 300 }),
    "the pool property in child processes",
    forMode({ test: 120_000, soak: 3_600_000 }),
  );
  assert.ok(runs > 0);
  const seen = Object.fromEntries(tallies);
  recordSummary({ kind: "tallies", name: t.name, ...seen });
  t.diagnostic(JSON.stringify(seen));
});
