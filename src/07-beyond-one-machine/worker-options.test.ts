import assert from "node:assert/strict";
import { test } from "node:test";
import { runWorker } from "./worker.js";

const TASKS = new URL("./fixtures/tasks.js", import.meta.url);
const URL_ = "postgres://user@127.0.0.1:1/nowhere";

test("runWorker refuses bad options at the call, before it connects to anything", () => {
  assert.throws(() => runWorker(null as never), TypeError);
  assert.throws(() => runWorker({ connectionString: URL_, tasks: TASKS, concurrency: 0 }), /concurrency must be at least 1, got 0/);
  assert.throws(() => runWorker({ connectionString: URL_, tasks: TASKS, recoverAfterMs: 1.5 }), /recoverAfterMs must be a whole number/);
  assert.throws(() => runWorker({ connectionString: URL_, tasks: TASKS, name: "" }), /name must be a non-empty string/);
});

test("a heartbeat must beat at least twice in the recovery window, or a live worker could look silent", () => {
  assert.throws(
    () => runWorker({ connectionString: URL_, tasks: TASKS, recoverAfterMs: 1_000, heartbeatMs: 1_000 }),
    (error: unknown) => error instanceof RangeError && /heartbeatMs must be at most half of recoverAfterMs \(1000\).*got 1000/.test(error.message),
  );
});
