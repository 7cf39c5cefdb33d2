import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runLoad, startEchoCluster, type EchoCluster, type LoadReport } from "pools-by-hand";
import { within } from "../../testkit/index.js";
import { rollingRestart, RolloutError, type RolloutStep } from "#exercise/05-server/rolling-restart.js";

const clusters: EchoCluster[] = [];
const folder = mkdtempSync(join(tmpdir(), "rolling-restart-"));
after(async () => {
  await Promise.all(clusters.map((cluster) => within(cluster.close(), "a cluster to close", 10_000).catch(() => {})));
  rmSync(folder, { recursive: true, force: true });
});

async function cluster(workers: number): Promise<EchoCluster> {
  const started = await within(startEchoCluster({ workers }), `a cluster of ${workers}`, 10_000);
  clusters.push(started);
  return started;
}

/** Short connections, one after another, until `done` settles: none may be refused. */
async function keepConnecting(port: number, done: Promise<unknown>): Promise<LoadReport[]> {
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => {});
  const reports: LoadReport[] = [];
  while (!finished) reports.push(await runLoad({ port, clients: 2, lines: 1, timeoutMs: 5000 }));
  return reports;
}

describe("05.3 rollingRestart", () => {
  test("every worker is replaced, one at a time, and the port never refuses a connection", async () => {
    const echo = await cluster(2);
    const before = echo.pids();
    const steps: (RolloutStep & { alive: number })[] = [];
    const rollout = rollingRestart(echo, { onStep: (step) => steps.push({ ...step, alive: echo.pids().length }) });
    const reports = await within(keepConnecting(echo.port, rollout), "connections during the rollout", 20_000);
    const fresh = await within(rollout, "the rollout", 20_000);

    assert.equal(fresh.length, 2);
    assert.deepEqual(echo.pids().sort(), [...fresh].sort());
    assert.ok(fresh.every((pid) => !before.includes(pid)), "every worker is new");
    assert.deepEqual(
      steps.map(({ type, pid }) => [type, pid]),
      [["started", fresh[0]], ["retired", before[0]], ["started", fresh[1]], ["retired", before[1]]],
    );
    assert.ok(steps.every((step) => step.alive >= 2), `never fewer than 2 workers: ${JSON.stringify(steps)}`);
    const refused = reports.reduce((sum, report) => sum + (report.errorKinds["connect"] ?? 0), 0);
    assert.equal(refused, 0, "no connection refused during the rollout");
    assert.ok(reports.length > 0);
    const after = await within(runLoad({ port: echo.port, clients: 10, lines: 20 }), "a load run after the rollout");
    assert.equal(after.errors, 0);
  });

  test("a new worker that cannot start stops the rollout; the old workers keep serving", async () => {
    const broken = join(folder, "broken-release.mjs");
    writeFileSync(broken, "process.exit(3);\n");
    const echo = await cluster(2);
    const before = echo.pids();
    const steps: RolloutStep[] = [];
    const error = await within(
      rollingRestart(echo, { exec: broken, onStep: (step) => steps.push(step) }).then(() => undefined, (e: unknown) => e),
      "the broken rollout to stop",
      10_000,
    );
    assert.ok(error instanceof RolloutError, `expected a RolloutError, got ${String(error)}`);
    assert.deepEqual(error.replaced, []);
    assert.match(String((error.cause as Error).message), /before it listened/);
    assert.deepEqual(steps, []);
    assert.deepEqual(echo.pids().sort(), [...before].sort(), "nothing retired, nothing left behind");
    const report = await within(runLoad({ port: echo.port, clients: 10, lines: 20 }), "a load run after the failed rollout");
    assert.equal(report.errors, 0);
  });
});
