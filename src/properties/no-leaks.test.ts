/**
 * No leaks: a pool that has been closed and joined, or terminated, holds
 * nothing that keeps Node running — a real script using it exits by itself
 * within a second — and many tiny tasks leave the heap where it started.
 * Both are checked in child processes, which is the only honest way to see
 * whether a process exits, and where `--expose-gc` can be given.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { within } from "../../testkit/index.js";
import { forMode, recordSummary } from "../../testkit/properties.js";

const INDEX = new URL("../index.js", import.meta.url).href;
const TASKS = new URL("../04-threads-and-processes/fixtures/tasks.js", import.meta.url).href;
const BROKEN = new URL("../04-threads-and-processes/fixtures/broken-in-workers.js", import.meta.url).href;
const HEAP_CHECK = new URL("./fixtures/heap-check.js", import.meta.url);

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When the child exited, by this process's clock. */
  exitedAt: number;
}

/** Runs `node <args>`, bounded, and says when it exited. */
function runNode(args: string[], what: string, ms: number): Promise<Finished> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<Finished>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr, exitedAt: Date.now() })));
  return within(exited, what, ms).finally(() => child.kill("SIGKILL"));
}

interface Ending {
  name: string;
  places: ("event-loop" | "threads" | "processes")[];
  /** Module code run with `pool` (size 2), `t` (the tasks) and `sleep`; it ends the pool. */
  body: string;
  tasks?: string;
}

const EVERYWHERE = ["event-loop", "threads", "processes"] as const;
const WORKERS = ["threads", "processes"] as const;

// Each way a pool can end, in each place it applies to. Chapter 05's server
// joins with rows of its own (start, serve a client, close()), see README.md.
const ENDINGS: Ending[] = [
  { name: "close() + join() with a task in flight", places: [...EVERYWHERE], body: "pool.applyAsync(t.wait, [30]); await sleep(5); pool.close(); await pool.join();" },
  { name: "terminate() with a task in flight", places: [...EVERYWHERE], body: "pool.applyAsync(t.wait, [30]); await sleep(5); await pool.terminate();" },
  { name: "terminate() + join() with tasks queued", places: [...EVERYWHERE], body: "pool.map(t.wait, [30, 30, 30, 30], 1).catch(() => {}); await pool.terminate(); await pool.join();" },
  { name: "[Symbol.asyncDispose]() (await using)", places: [...EVERYWHERE], body: "pool.applyAsync(t.wait, [30]); await sleep(5); await pool[Symbol.asyncDispose]();" },
  {
    name: "a get(timeoutMs) that timed out, then close() + join()",
    places: [...EVERYWHERE],
    body: "await pool.applyAsync(t.wait, [50]).get(1).catch(() => {}); pool.close(); await pool.join();",
  },
  {
    name: "a crash and its replacement, then close() + join()",
    places: [...WORKERS],
    body: "await pool.apply(t.exitNow, [3]).catch(() => {}); await pool.map(t.square, [1, 2, 3]); pool.close(); await pool.join();",
  },
  { name: "terminate() while a task spins forever", places: [...WORKERS], body: "pool.apply(t.spinForever).catch(() => {}); await sleep(50); await pool.terminate();" },
  {
    name: "a pool that broke (its workers cannot load the tasks), then close() + join()",
    places: [...WORKERS],
    tasks: BROKEN,
    body: "await pool.apply(t.never).catch(() => {}); pool.close(); await pool.join();",
  },
];

/** The script: an ESM module, run with `node --input-type=module -e`. */
function script(place: string, ending: Ending): string {
  const tasks = ending.tasks ?? TASKS;
  const options = place === "event-loop" ? "{}" : `{ runIn: ${JSON.stringify(place)}, tasks: ${JSON.stringify(tasks)} }`;
  return `
    import { Pool } from ${JSON.stringify(INDEX)};
    import * as t from ${JSON.stringify(tasks)};
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const pool = new Pool(2, ${options});
    ${ending.tasks ? "" : "await pool.map(t.square, [1, 2, 3]);"}
    ${ending.body}
    console.log("ENDED " + Date.now());
  `;
}

describe("no leaks: a script exits by itself within a second after the pool ends", () => {
  for (const ending of ENDINGS) {
    for (const place of ending.places) {
      test(`${place}: ${ending.name}`, async () => {
        const run = await runNode(["--input-type=module", "-e", script(place, ending)], `the script (${place}: ${ending.name}) to exit`, 20_000);
        assert.equal(run.code, 0, `the script failed: ${run.stderr}`);
        const ended = /ENDED (\d+)/.exec(run.stdout);
        assert.ok(ended, `the script never reached its end: ${run.stdout}${run.stderr}`);
        const lingered = run.exitedAt - Number(ended[1]);
        recordSummary({ kind: "exit", place, ending: ending.name, lingeredMs: lingered });
        assert.ok(lingered < 1000, `the process lived on ${lingered} ms after the pool ended`);
      });
    }
  }
});

describe("no leaks: the heap returns to its level after many tiny tasks", () => {
  const runs = [
    { place: "event-loop", count: forMode({ test: 1_000_000, soak: 1_000_000 }) },
    { place: "threads", count: forMode({ test: 100_000, soak: 100_000 }) },
    { place: "processes", count: forMode({ test: 20_000, soak: 100_000 }) },
  ];
  for (const { place, count } of runs) {
    test(`${place}: ${count.toLocaleString("en")} tasks, heap after GC within 10% of where it started`, async () => {
      const run = await runNode(["--expose-gc", HEAP_CHECK.pathname, place, String(count)], `${count} tasks on ${place}`, 120_000);
      assert.equal(run.code, 0, `the heap check failed: ${run.stderr}`);
      const figures = JSON.parse(run.stdout.trim().split("\n").pop() as string) as { start: number; readings: number[]; afterTasks: number; afterJoin: number; seconds: number };
      recordSummary({ kind: "heap", place, count, ...figures });
      const limit = figures.start * 1.1;
      // The script runs the tasks again (up to three rounds in all) while a reading is above the limit: only a leak stays above.
      assert.ok(figures.afterTasks <= limit, `heap after ${figures.readings.length} rounds of the tasks: ${figures.readings.join(", ")} bytes, started at ${figures.start}`);
      assert.ok(figures.afterJoin <= limit, `heap after close() + join(): ${figures.afterJoin} bytes, started at ${figures.start}`);
    });
  }
});
