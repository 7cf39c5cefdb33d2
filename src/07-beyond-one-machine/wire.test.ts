import assert from "node:assert/strict";
import { lstat, mkdir, mkdtemp, readlink, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { RemoteTraceback } from "../04-threads-and-processes/errors.js";
import { ensureLibrarySymlinks } from "./binaries.js";
import { redact, resolveConnectionString } from "./connection.js";
import { AttemptsExhaustedError, WorkerCrashedError } from "../index.js";
import { letUserReach } from "./postgres-user.js";
import { NOTIFY_PAYLOAD_LIMIT, resultChannel, resultMessage } from "./results.js";
import { runJob } from "./run-job.js";
import { decode, decodeOutcome, encode, encodeOutcome, isJobPayload } from "./wire.js";
import * as tasks from "./fixtures/tasks.js";

describe("what travels through the database", () => {
  test("values cross as V8 serializes them: Map, Set, BigInt, Date, typed arrays, undefined", () => {
    const value = [new Map([["a", 1]]), new Set([2]), 2n ** 70n, new Date(0), new Uint8Array([1, 2]), undefined, -0];
    assert.deepEqual(decode(encode(value)), value);
  });

  test("an outcome keeps its values, or its error's type, fields and remote stack", () => {
    assert.deepEqual(decodeOutcome(encodeOutcome({ ok: true, value: [1, "two"] }, "t")), { ok: true, value: [1, "two"] });
    const failed = decodeOutcome(encodeOutcome({ ok: false, error: new tasks.ParseError("bad") }, "t"));
    assert.equal(failed.ok, false);
    const error = (failed as { error: Error & { code: string } }).error;
    assert.equal(error.name, "ParseError");
    assert.equal(error.code, "E_PARSE");
    assert.ok(error.cause instanceof RemoteTraceback);
  });

  test("a value that cannot be serialized fails the job with a TypeError that names the task", () => {
    const outcome = decodeOutcome(encodeOutcome({ ok: true, value: [() => 1] }, "makeClosure"));
    assert.equal(outcome.ok, false);
    assert.ok((outcome as { error: unknown }).error instanceof TypeError);
    assert.match(String((outcome as { error: Error }).error.message), /the result of makeClosure cannot be sent back/);
  });

  test("isJobPayload accepts the kit's payloads and nothing else", () => {
    assert.ok(isJobPayload({ poolId: "p", jobId: 1, task: "t", star: false, items: "" }));
    for (const bad of [null, 3, {}, { poolId: "p", jobId: 1.5, task: "t", star: false, items: "" }, { poolId: "p", jobId: 1, task: "t", star: "no", items: "" }]) {
      assert.equal(isJobPayload(bad), false);
    }
  });
});

describe("runJob: one job's calls on a worker", () => {
  test("calls in order, spreading argument lists with star, awaiting promises", async () => {
    assert.deepEqual(await runJob(tasks, "square", [1, 2, 3], false), { ok: true, value: [1, 4, 9] });
    assert.deepEqual(await runJob(tasks, "add", [[1, 2], [3, 4]], true), { ok: true, value: [3, 7] });
    assert.deepEqual(await runJob(tasks, "slowSquare", [[3, 1]], true), { ok: true, value: [9] });
  });

  test("the first throw fails the job; a missing or inherited name is refused", async () => {
    const failed = await runJob(tasks, "failRange", ["x", "y"], false);
    assert.equal(failed.ok, false);
    assert.ok((failed as { error: unknown }).error instanceof RangeError);
    for (const name of ["nope", "toString", "__proto__"]) {
      const outcome = await runJob(tasks, name, [1], false);
      assert.match(String((outcome as { error: Error }).error.message), /has no function named/);
    }
  });
});

describe("results", () => {
  test("a result channel is the pool id with a prefix; anything else is refused", () => {
    assert.equal(resultChannel("abc_123"), "pools_by_hand_results_abc_123");
    for (const bad of ["", "A", "a-b", "x".repeat(41)]) assert.throws(() => resultChannel(bad), RangeError);
  });

  test("the notification carries the outcome when it fits in 7999 bytes, counted in UTF-8", () => {
    const fits = resultMessage(1, "w", "a".repeat(100));
    assert.deepEqual(JSON.parse(fits), { jobId: 1, worker: "w", outcome: "a".repeat(100) });
    const overhead = Buffer.byteLength(resultMessage(1, "w", ""));
    const exact = resultMessage(1, "w", "a".repeat(NOTIFY_PAYLOAD_LIMIT - overhead));
    assert.equal(Buffer.byteLength(exact), NOTIFY_PAYLOAD_LIMIT);
    assert.ok("outcome" in JSON.parse(exact));
    assert.deepEqual(JSON.parse(resultMessage(1, "wé", "é".repeat(NOTIFY_PAYLOAD_LIMIT / 2))), { jobId: 1, worker: "wé" });
  });
});

describe("connection strings", () => {
  test("an explicit string wins; DATABASE_URL is the fallback; none is a TypeError", () => {
    const saved = process.env.DATABASE_URL;
    try {
      process.env.DATABASE_URL = "postgres://env@127.0.0.1/db";
      assert.equal(resolveConnectionString("postgresql://given@h/db"), "postgresql://given@h/db");
      assert.equal(resolveConnectionString(undefined), "postgres://env@127.0.0.1/db");
      delete process.env.DATABASE_URL;
      assert.throws(() => resolveConnectionString(undefined), { name: "TypeError", message: /DATABASE_URL/ });
      assert.throws(() => resolveConnectionString(42), { name: "TypeError", message: /must be a string/ });
      assert.throws(() => resolveConnectionString("not a url:secret"), { name: "TypeError", message: /postgres:\/\/ URL/ });
      assert.throws(() => resolveConnectionString("mysql://u:secret@h/db"), (error: Error) => !error.message.includes("secret"));
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  test("redact hides the password", () => {
    assert.equal(redact("postgres://u:secret@db:5432/app"), "postgres://u:***@db:5432/app");
    assert.equal(redact("postgres://u@db/app"), "postgres://u@db/app");
    assert.equal(redact("::"), "<a connection string that is not a URL>");
  });
});

describe("running Postgres as root", () => {
  test("letUserReach adds only the search bit of the class that applies", async () => {
    const parent = await mkdtemp(join(tmpdir(), "pbh-reach-"));
    try {
      const inner = join(parent, "a", "b");
      await mkdir(inner, { recursive: true, mode: 0o700 });
      const info = await stat(parent);
      // A user that neither owns the folders nor shares their group: "others" get x.
      const stranger = { name: "stranger", uid: info.uid + 12_345, gid: info.gid + 12_345 };
      const changed = await letUserReach(join(inner, "not-made-yet"), stranger);
      assert.ok(changed.includes(parent) && changed.includes(inner));
      assert.equal((await stat(parent)).mode & 0o777, 0o701);
      // Its group: group x. Its owner: nothing to do.
      await mkdir(join(parent, "g"), { mode: 0o700 });
      await letUserReach(join(parent, "g"), { name: "grouped", uid: info.uid + 1, gid: info.gid });
      assert.equal((await stat(join(parent, "g"))).mode & 0o777, 0o710);
      assert.deepEqual(await letUserReach(parent, { name: "owner", uid: info.uid, gid: info.gid }), []);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  test("missing library links are made again from pg-symlinks.json, relative", async () => {
    const fake = await mkdtemp(join(tmpdir(), "pbh-links-"));
    try {
      await mkdir(join(fake, "native", "lib"), { recursive: true });
      await writeFile(join(fake, "native", "lib", "libx.so.1.2"), "");
      await writeFile(join(fake, "native", "pg-symlinks.json"), JSON.stringify([{ source: "native/lib/libx.so.1.2", target: "native/lib/libx.so.1" }]));
      assert.equal(await ensureLibrarySymlinks(fake), 1);
      const link = join(fake, "native", "lib", "libx.so.1");
      assert.ok((await lstat(link)).isSymbolicLink());
      assert.equal(await readlink(link), "libx.so.1.2");
      assert.equal(await ensureLibrarySymlinks(fake), 0, "links that exist are left alone");
      assert.equal(await ensureLibrarySymlinks(join(fake, "native")), 0, "a package without a list has nothing to restore");
      assert.equal(await ensureLibrarySymlinks(), 0, "the installed package's links are all there");
    } finally {
      await rm(fake, { recursive: true, force: true });
    }
  });
});

describe("AttemptsExhaustedError", () => {
  test("is a WorkerCrashedError that says how many attempts were made", () => {
    const error = new AttemptsExhaustedError(3, "boom");
    assert.ok(error instanceof WorkerCrashedError);
    assert.equal(error.name, "AttemptsExhaustedError");
    assert.equal(error.attempts, 3);
    assert.equal(error.exitCode, null);
    assert.match(error.message, /3 attempts/);
    assert.equal((error.cause as Error).message, "boom");
    assert.equal(new AttemptsExhaustedError(2, null).cause, undefined);
  });
});
