import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

test("the demo runs seed 003's example on 3, 1 and 9 workers, then uneven tasks, and writes five pictures", (t) => {
  const folder = mkdtempSync(join(tmpdir(), "pools-demo-02-"));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const demo = fileURLToPath(new URL("./demo.js", import.meta.url));
  const run = spawnSync(process.execPath, [demo, "--task-ms", "20", "--svg-dir", folder], { timeout: 20_000, encoding: "utf8" });
  assert.equal(run.status, 0, `the demo failed: ${run.stderr}`);
  const timings = [...run.stdout.matchAll(/^SimplePool\((\d)\): 9 tasks in ([\d.]+) s/gm)].map(([, size, s]) => [Number(size), Number(s)]);
  assert.deepEqual(timings.map(([size]) => size), [3, 1, 9]);
  for (const [size, elapsed] of timings) {
    const waves = Math.ceil(9 / (size as number));
    assert.ok((elapsed as number) >= (waves * 20) / 1000, `SimplePool(${size}) took ${elapsed} s, less than ${waves} waves of 20 ms`);
  }
  assert.match(run.stdout, /^worker 3 \|\s*\[2-+\]\s*\[5-+\]\s*\[8-+\]\s*\|$/m, "the timeline of the first run shows three waves");
  const dealt = /^a queue per worker, tasks dealt in turn: ([\d.]+) s$/m.exec(run.stdout);
  assert.ok(dealt && Number(dealt[1]) >= 0.06, "dealt in turn, worker 1 runs three 20 ms tasks one after another");
  assert.match(run.stdout, /^one shared queue: [\d.]+ s$/m);
  assert.deepEqual(readdirSync(folder).sort(), [
    "02-timeline-1-worker.svg",
    "02-timeline-3-workers.svg",
    "02-timeline-9-workers.svg",
    "02-timeline-queue-per-worker.svg",
    "02-timeline-shared-queue.svg",
  ]);
  assert.match(readFileSync(join(folder, "02-timeline-3-workers.svg"), "utf8"), /^<svg [^]*<\/svg>\n$/);
});
