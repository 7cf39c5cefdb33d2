import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

test("the demo's quick run prints every section, exact sums, a detached buffer and a crash", () => {
  const demo = fileURLToPath(new URL("./demo.js", import.meta.url));
  const run = spawnSync(process.execPath, [demo, "--quick"], { timeout: 60_000, encoding: "utf8" });
  assert.equal(run.status, 0, `the demo failed: ${run.stderr}`);
  const out = run.stdout;
  for (const heading of ["1. CPU-bound", "2. IO-bound", "3. What crossing costs", "4. What goes wrong"]) assert.match(out, new RegExp(`^${heading}`, "m"));
  assert.match(out, /every run's total was 500,000,500,000/);
  const rows = [...out.matchAll(/^ {3}(serial|event-loop pool|worker threads|child processes)\b.*?(\d+\.\d+)×$/gm)];
  assert.equal(rows.length, 6, "serial and five pools, each with a speed-up");
  assert.match(out, /^ {3}(event-loop pool|worker threads|child processes) +[\d.]+ ms/m);
  assert.match(out, /byteLength 0: true/);
  assert.match(out, /cannot be sent to a worker: it is not an export/);
  assert.match(out, /WorkerCrashedError: the worker thread running this task died \(exit code 3\)/);
});
