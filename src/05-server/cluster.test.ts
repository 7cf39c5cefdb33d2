import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { sleep, within } from "../../testkit/index.js";
import { isAlive, killAll, NodeProcess } from "./fixtures/client.js";
import { RestartBackoff, runClusterWorker, runLoad, startEchoCluster, type ClusterEvent, type EchoCluster } from "./index.js";

const MAIN = new URL("./main.js", import.meta.url);
const workerPids = new Set<number>();
const clusters: EchoCluster[] = [];
// Whatever a failed test left running is killed: primaries, their workers, and in-process clusters' workers.
after(async () => {
  await Promise.all(clusters.map((echo) => within(echo.close(), "a cluster to close", 10_000).catch(() => {})));
  killAll(workerPids);
});

function recordPids(event: ClusterEvent): void {
  workerPids.add(event.pid);
}

async function answers(port: number, what: string): Promise<void> {
  const report = await within(runLoad({ port, clients: 10, lines: 50, timeoutMs: 5000 }), what, 6000);
  assert.equal(report.errors, 0, `${what}: ${report.errorSamples.join("; ")}`);
  assert.equal(report.linesAnswered, 500);
}

describe("RestartBackoff", () => {
  test("a healthy worker is restarted at once; quick deaths in a row double the delay, up to the maximum", () => {
    const backoff = new RestartBackoff({ baseMs: 100, maxMs: 500, stableMs: 1000 });
    assert.deepEqual([5000, 10, 10, 10, 10, 10].map((lived) => backoff.delayAfter(lived)), [0, 100, 200, 400, 500, 500]);
    assert.equal(backoff.delayAfter(1000), 0, "a stable run starts over");
    assert.equal(backoff.delayAfter(10), 100);
    assert.deepEqual([1, 1].map((lived) => new RestartBackoff().delayAfter(lived)), [100, 100]);
    assert.throws(() => new RestartBackoff({ maxMs: -1 }), RangeError);
  });
});

describe("the cluster", () => {
  test("`serve --cluster`: a worker killed with SIGKILL is replaced, the port keeps answering, SIGTERM exits 0", async () => {
    const primary = new NodeProcess(MAIN, ["serve", "--cluster", "--workers", "2", "--idle-timeout-ms", "5000"]);
    const [, port] = await within(primary.line(/^listening on 127\.0\.0\.1:(\d+): primary \d+, 2 workers$/), "the primary to listen", 10_000);
    const pids = primary.lines.map((line) => /^worker (\d+) listening$/.exec(line)?.[1]).filter((pid) => pid !== undefined).map(Number);
    pids.forEach((pid) => workerPids.add(pid));
    assert.equal(pids.length, 2);
    await answers(Number(port), "the load run before the kill");

    const victim = pids[0] as number;
    const seen = primary.lines.length;
    process.kill(victim, "SIGKILL");
    await within(primary.line(new RegExp(`^worker ${victim} exited \\(SIGKILL\\) after \\d+ ms; restarting in \\d+ ms$`), seen), "the primary to see the death");
    await answers(Number(port), "the load run right after the kill");
    const [, replacement] = await within(primary.line(/^worker (\d+) listening$/, seen), "a replacement worker", 10_000);
    workerPids.add(Number(replacement));
    assert.notEqual(Number(replacement), victim);
    await answers(Number(port), "the load run with the replacement");

    primary.child.kill("SIGTERM");
    const exit = await within(primary.exited, "the primary to exit after SIGTERM", 10_000);
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(primary.lines.at(-1), "closed");
    for (const pid of [pids[1] as number, Number(replacement)]) assert.equal(isAlive(pid), false, `worker ${pid} is gone`);
  });

  test("`serve`: SIGTERM in the middle of a load run answers every accepted line, then exits 0", async () => {
    const server = new NodeProcess(MAIN, ["serve", "--pool-size", "20"]);
    const [, port] = await within(server.line(/^listening on 127\.0\.0\.1:(\d+): pid \d+$/), "the server to listen", 10_000);
    const load = runLoad({ port: Number(port), clients: 40, lines: 2000, window: 4, timeoutMs: 15_000 });
    await sleep(100);
    server.child.kill("SIGTERM");
    const exit = await within(server.exited, "the server to exit after SIGTERM", 10_000);
    assert.deepEqual(exit, { code: 0, signal: null });
    const report = await within(load, "the load run to end", 16_000);
    assert.equal(report.errorKinds["mismatch"], undefined, report.errorSamples.join("\n"));
    assert.ok(report.linesAnswered > 0 && report.linesAnswered < 80_000);
    const [, received, answered, forced] = (await server.line(/^closed: (\d+) lines received, (\d+) answered, (\d+) connections forced$/)) as string[];
    assert.deepEqual([Number(received), Number(answered), Number(forced)], [report.linesAnswered, report.linesAnswered, 0]);
  });

  test("a worker that dies soon after starting is restarted later each time; addWorker and retireWorker", async () => {
    const events: ClusterEvent[] = [];
    const flaky = await within(
      startEchoCluster({
        workers: 1,
        exec: new URL("./fixtures/flaky-worker.js", import.meta.url),
        restart: { baseMs: 20, maxMs: 1000, stableMs: 60_000 },
        onEvent: (event) => {
          recordPids(event);
          events.push(event);
        },
      }),
      "a cluster of one flaky worker",
      10_000,
    );
    clusters.push(flaky);
    const exits = () => events.filter((event) => event.type === "exit");
    await within((async () => { while (exits().length < 3) await sleep(10); })(), "three deaths", 10_000);
    assert.deepEqual(exits().slice(0, 3).map((event) => (event.type === "exit" ? [event.code, event.restartInMs] : [])), [[7, 20], [7, 40], [7, 80]]);
    await within(flaky.close(), "the flaky cluster to close", 10_000);
    assert.deepEqual(flaky.pids(), []);

    const echo = await within(startEchoCluster({ workers: 1, onEvent: recordPids }), "a cluster of one", 10_000);
    clusters.push(echo);
    const [first] = echo.pids() as [number];
    const second = await within(echo.addWorker(), "a second worker", 10_000);
    assert.deepEqual(echo.pids().sort(), [first, second].sort());
    await within(echo.retireWorker(first), "the first worker to retire", 10_000);
    assert.deepEqual(echo.pids(), [second]);
    assert.equal(isAlive(first), false);
    await answers(echo.port, "the load run on the second worker");
    assert.throws(() => echo.retireWorker(first), /no worker of this cluster has pid/);
    await assert.rejects(within(echo.addWorker({ exec: new URL("./fixtures/exits-at-once.js", import.meta.url) }), "a broken worker"), /exited \(code 3\) before it listened/);
    assert.deepEqual(echo.pids(), [second], "the broken worker is not restarted");
    await within(echo.close(), "the cluster to close", 10_000);
    await assert.rejects(echo.addWorker(), /closing/);
  });

  test("a worker script that cannot start fails the start, and no worker is left behind", async () => {
    const events: ClusterEvent[] = [];
    const start = startEchoCluster({ workers: 2, exec: new URL("./fixtures/exits-at-once.js", import.meta.url), onEvent: (event) => events.push(event) });
    await assert.rejects(within(start, "the start to fail", 10_000), /exited \(code 3\) before it listened/);
    for (const event of events) assert.equal(isAlive(event.pid), false);
  });

  test("bad options are refused at the call; runClusterWorker only runs in a worker", async () => {
    assert.throws(() => startEchoCluster({ workers: 0 }), RangeError);
    assert.throws(() => startEchoCluster({ poolSize: -1 }), RangeError);
    assert.throws(() => startEchoCluster({ exec: 42 as unknown as string }), /exec must be a path/);
    assert.throws(() => startEchoCluster({ onEvent: "log" as unknown as () => void }), /onEvent must be a function/);
    await assert.rejects(runClusterWorker(), /runs in a cluster worker/);
  });
});
