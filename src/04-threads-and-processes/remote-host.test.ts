import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { within } from "../../testkit/index.js";
import { RemoteHost, TaskModule, TaskTimings, type ToWorker } from "./index.js";

/** A host whose worker cannot even be made. */
class UnspawnableHost extends RemoteHost {
  protected readonly what = "worker thread";
  protected spawn(): void {
    throw new Error("no worker for you");
  }
  protected send(_message: ToWorker): void {}
  protected forceEnd(): void {}
}

describe("RemoteHost", () => {
  test("a worker that cannot be made fails start(), and stop()/kill() still return", async () => {
    const tasks = new TaskModule(new URL("./fixtures/tasks.js", import.meta.url));
    const host = new UnspawnableHost(tasks, { size: 1, initargs: [], extra: {}, broken: () => {} }, new TaskTimings());
    await assert.rejects(within(host.start(), "start() of a host whose spawn throws"), /no worker for you/);
    assert.equal(host.alive, false);
    await within(host.kill(), "kill() of a worker that never existed");
    await within(host.stop(), "stop() of a worker that never existed");
    assert.deepEqual(await within(host.run([]), "run() on a dead host"), []);
  });
});
