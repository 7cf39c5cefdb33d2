import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { within } from "../../testkit/index.js";
import { connectClient } from "./connection.js";
import { isAlive } from "./embedded-server.js";
import { until } from "./fixtures/until.js";
import { startPostgres, type RunningPostgres } from "./start-postgres.js";

const started: RunningPostgres[] = [];
const children: ChildProcess[] = [];
// Whatever fails, nothing this file started may outlive it.
after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(started.map((db) => db.stop()));
});

async function start(options = {}): Promise<RunningPostgres> {
  const db = await within(startPostgres(options), "startPostgres()", 60_000);
  started.push(db);
  return db;
}

const KIT = fileURLToPath(new URL("./start-postgres.js", import.meta.url));

/** A Node process that starts Postgres, prints what it got, then runs `then`. */
function owner(then: string): ChildProcess {
  const script = `import { startPostgres } from ${JSON.stringify(KIT)};
    const db = await startPostgres();
    console.log(JSON.stringify(db));
    ${then}`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return child;
}

async function firstLine(child: ChildProcess): Promise<RunningPostgres> {
  const line = await within(new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve)), "the owner's first line", 60_000);
  return JSON.parse(line) as RunningPostgres;
}

describe("startPostgres", () => {
  test("a server in a temporary folder: it answers, and stop() removes the server, its supervisor and the folder", async () => {
    const listenersBefore = process.listenerCount("beforeExit") + process.listenerCount("SIGTERM");
    const db = await start();
    assert.equal(process.listenerCount("beforeExit") + process.listenerCount("SIGTERM"), listenersBefore, "no exit hook was installed in this process");
    assert.ok(db.timings.initdbMs > 0 && db.timings.startMs > 0);
    assert.match(db.connectionString, /^postgres:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:\d+\/postgres$/);
    const client = await connectClient(db.connectionString);
    assert.equal((await client.query("select 1 + 1 as two")).rows[0].two, 2);
    await client.end();
    await within(db.stop(), "stop()", 30_000);
    await within(db.stop(), "a second stop()");
    assert.equal(isAlive(db.postmasterPid), false);
    assert.equal(isAlive(db.supervisorPid), false);
    assert.equal(existsSync(dirname(db.dataDir)), false);
  });

  test("a data folder inside a fresh 0700 mkdtemp folder works, is kept, and is used again without initdb", async () => {
    const parent = await mkdtemp(join(tmpdir(), "pbh-data-"));
    try {
      assert.equal((await stat(parent)).mode & 0o777, 0o700);
      const dataDir = join(parent, "pgdata");
      const first = await start({ dataDir, settings: { synchronous_commit: "off" } });
      const client = await connectClient(first.connectionString);
      assert.equal((await client.query("show synchronous_commit")).rows[0].synchronous_commit, "off");
      await client.end();
      await first.stop();
      assert.ok(existsSync(join(dataDir, "PG_VERSION")), "a chosen folder is kept");
      const second = await start({ dataDir });
      assert.equal(second.timings.initdbMs, 0);
      await second.stop();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  test("a port in use gives an Error that says so, with the server's last words", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await assert.rejects(within(startPostgres({ port }), "a start that must fail", 60_000), (error: Error) => {
        assert.match(error.message, new RegExp(`port ${port} is already in use`));
        assert.match(error.message, /Address already in use/);
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  test("bad options are refused at the call", () => {
    assert.throws(() => startPostgres(null as never), TypeError);
    assert.throws(() => startPostgres({ port: 70_000 }), RangeError);
    assert.throws(() => startPostgres({ port: 1.5 }), RangeError);
    assert.throws(() => startPostgres({ dataDir: "" }), TypeError);
    assert.throws(() => startPostgres({ settings: { work_mem: 4 as never } }), TypeError);
    assert.throws(() => startPostgres({ timeoutMs: 0 }), RangeError);
  });

  test("SIGKILL of the process that started it: the supervisor stops the server and removes the folder", async () => {
    const child = owner("setInterval(() => {}, 1_000);");
    const db = await firstLine(child);
    assert.ok(isAlive(db.postmasterPid));
    child.kill("SIGKILL");
    await until(() => !isAlive(db.postmasterPid), "the orphaned server to stop");
    await until(() => !existsSync(dirname(db.dataDir)), "the temporary folder to go");
    await until(() => !isAlive(db.supervisorPid), "the supervisor to exit");
  });

  test("a script that ends without stop() exits by itself, and leaves nothing behind", async () => {
    const child = owner("");
    const db = await firstLine(child);
    const [code] = await within(once(child, "exit"), "the script to exit by itself", 20_000);
    assert.equal(code, 0);
    await until(() => !isAlive(db.postmasterPid) && !isAlive(db.supervisorPid), "the server and its supervisor to go");
    await until(() => !existsSync(dirname(db.dataDir)), "the temporary folder to go");
  });

  test("a supervisor that is killed: its caller stops the server itself", async () => {
    const db = await start();
    process.kill(db.supervisorPid, "SIGKILL");
    await until(() => !isAlive(db.postmasterPid), "the server to stop");
    await until(() => !existsSync(dirname(db.dataDir)), "the temporary folder to go");
    await within(db.stop(), "stop() after the supervisor died");
  });
});
