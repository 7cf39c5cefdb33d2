/**
 * The places the pool property runs in: the event loop on a virtual clock,
 * worker threads and child processes in real time.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flushMicrotasks, sleep, within } from "../../testkit/index.js";
import { VirtualClock } from "../../testkit/virtual-clock.js";
import { Pool, type TaskFunction } from "../03-results/index.js";
import "../04-threads-and-processes/index.js";
import { init, runTask, step, type Kind, type TaskSpec } from "./fixtures/schedule-tasks.js";
import type { JournalEvent, Place, Schedule, Session } from "./pool-schedule.js";

const TASKS = new URL("./fixtures/schedule-tasks.js", import.meta.url);

function parseLine(line: string): JournalEvent {
  const [type, id, worker] = line.split(" ");
  if (type === "S" || type === "E") return { type, id: Number(id), worker: worker as string };
  return { type: type as "T" | "J" };
}

/** The event loop, on a virtual clock: time passes only when the schedule says so. */
export const eventLoop: Place = {
  name: "event-loop",
  kinds: ["value", "throw", "sleep", "reject"],
  maxSize: 4,
  maxSteps: 30,
  maxMs: 5,
  failingInitializers: true,
  async open(schedule: Schedule): Promise<Session> {
    const clock = new VirtualClock();
    clock.install();
    const journal: JournalEvent[] = [];
    let calls = 0;
    let failures = 0;
    const { kind, failOnCall } = schedule.initializer;
    const initializer =
      kind === "none"
        ? undefined
        : () => {
            calls += 1;
            const fail = calls === failOnCall;
            if (kind === "sync") {
              if (fail) {
                failures += 1;
                throw new Error(`initializer call ${calls} fails`);
              }
              return undefined;
            }
            return new Promise<void>((resolve, reject) =>
              setTimeout(() => {
                if (!fail) return resolve();
                failures += 1;
                reject(new Error(`initializer call ${calls} fails`));
              }, 1),
            );
          };
    let pool: Pool;
    try {
      pool = new Pool(schedule.size, { maxTasksPerChild: schedule.maxTasksPerChild, initializer });
    } catch (error) {
      clock.uninstall();
      throw error;
    }
    return {
      pool,
      task: ((spec: TaskSpec) => runTask(spec, (line) => journal.push(parseLine(line)))) as TaskFunction,
      spec: (id, plan) => ({ id, ...plan }),
      note: (marker) => journal.push({ type: marker }),
      tick: (ms) => clock.advance(ms),
      async finish(joined) {
        for (let round = 0; round < 100 && !joined(); round++) {
          await clock.runAll();
          await flushMicrotasks();
        }
      },
      journal: async () => journal,
      initializerFailures: () => failures,
      async dispose() {
        try {
          await pool.terminate();
        } finally {
          clock.uninstall();
        }
      },
    };
  },
};

/** Threads or processes, in real time, journaling to a file every worker appends to. */
function remotePlace(runIn: "threads" | "processes", kinds: Kind[]): Place {
  return {
    name: runIn,
    kinds,
    maxSize: 3,
    maxSteps: 14,
    maxMs: 8,
    failingInitializers: false,
    async open(schedule: Schedule): Promise<Session> {
      const folder = mkdtempSync(join(tmpdir(), "pools-by-hand-schedule-"));
      const log = join(folder, "journal");
      writeFileSync(log, "");
      const pool = new Pool(schedule.size, {
        runIn,
        tasks: TASKS,
        maxTasksPerChild: schedule.maxTasksPerChild,
        initializer: schedule.initializer.kind === "none" ? undefined : init,
      });
      return {
        pool,
        task: step as TaskFunction,
        spec: (id, plan) => ({ id, ...plan, log }),
        note: (marker) => appendFileSync(log, `${marker}\n`),
        tick: (ms) => sleep(ms),
        async finish(joined) {
          const deadline = Date.now() + 20_000;
          while (!joined() && Date.now() < deadline) await sleep(5);
        },
        async journal() {
          await sleep(20); // a task that starts after join() would show up by now
          return readFileSync(log, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map(parseLine);
        },
        initializerFailures: () => 0,
        async dispose() {
          try {
            await within(pool.terminate(), `terminate() of the ${runIn} pool after the schedule`, 10_000);
          } finally {
            rmSync(folder, { recursive: true, force: true });
          }
        },
      };
    },
  };
}

/** Worker threads: every kind of task, every way of dying but SIGKILL (which would kill the test's process too). */
export const threads = remotePlace("threads", ["value", "throw", "sleep", "reject", "exit", "uncaught", "unhandled"]);

/** Child processes: every kind of task and every way of dying. */
export const processes = remotePlace("processes", ["value", "throw", "sleep", "reject", "exit", "uncaught", "unhandled", "sigkill"]);
