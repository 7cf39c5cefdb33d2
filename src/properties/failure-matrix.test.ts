/**
 * The failure matrix: for worker threads and child processes, every way a
 * worker dies × every moment it can die at, each with the outcome the kit
 * promises and the number of workers the pool has afterwards.
 *
 * Ways of dying: `process.exit()`, an exception thrown from a timer (async),
 * an unhandled rejection, running out of memory, SIGKILL (processes only: in
 * a thread it would kill the pool's own process), and a tasks module that
 * throws when a worker imports it (the pool's replacement workers cannot
 * start).
 *
 * Moments: while the worker is idle; in the middle of a task, with other
 * tasks running and queued; after `close()`, while `join()` waits; and while
 * `terminate()` runs (called as the pool is replacing the dead worker).
 *
 * Workers are counted by their handles in this process: a thread's message
 * port, a child's process handle — each pool worker holds exactly one.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { sleep, within } from "../../testkit/index.js";
import { InvalidStateError } from "../01-reusable-worker/index.js";
import { BrokenPoolError, Pool, PoolTerminatedError } from "../03-results/index.js";
import { WorkerCrashedError } from "../04-threads-and-processes/index.js";
import { dieMidTask, dieWhenIdle, wait, workerAfter, type CrashKind } from "./fixtures/crash-tasks.js";

const TASKS = new URL("./fixtures/crash-tasks.js", import.meta.url);
const SIZE = 2;

type Place = "threads" | "processes";
type Trigger = CrashKind | "import";
type Moment = "idle" | "mid-task" | "close()+join()" | "terminate()";
/** How a result ended, by the name of its error (or "value"). */
type Ending = "value" | "WorkerCrashedError" | "BrokenPoolError" | "PoolTerminatedError";

interface Expected {
  /** The task whose worker died (for "idle", the task that armed the timer and returned). */
  crashed: Ending;
  /** The tasks running beside it and queued behind it. */
  others: Ending;
  /** What a submission made afterwards does. */
  later: "runs" | "throws BrokenPoolError" | "throws Pool not running";
  /** Live workers afterwards: after follow-up work while the pool runs, after join() once it ended. */
  workers: number;
}

/** The matrix: one row per moment, one column per kind of trigger (a dying worker, or a module that cannot load). */
const MATRIX: Record<Moment, Record<"dies" | "import", Expected>> = {
  idle: {
    dies: { crashed: "value", others: "value", later: "runs", workers: SIZE },
    import: { crashed: "BrokenPoolError", others: "BrokenPoolError", later: "throws BrokenPoolError", workers: 0 },
  },
  "mid-task": {
    dies: { crashed: "WorkerCrashedError", others: "value", later: "runs", workers: SIZE },
    import: { crashed: "WorkerCrashedError", others: "BrokenPoolError", later: "throws BrokenPoolError", workers: 0 },
  },
  "close()+join()": {
    dies: { crashed: "WorkerCrashedError", others: "value", later: "throws Pool not running", workers: 0 },
    import: { crashed: "WorkerCrashedError", others: "BrokenPoolError", later: "throws BrokenPoolError", workers: 0 },
  },
  "terminate()": {
    dies: { crashed: "WorkerCrashedError", others: "PoolTerminatedError", later: "throws Pool not running", workers: 0 },
    import: { crashed: "WorkerCrashedError", others: "PoolTerminatedError", later: "throws Pool not running", workers: 0 },
  },
};

const TRIGGERS: Record<Place, Trigger[]> = {
  threads: ["exit", "async-throw", "unhandled-rejection", "out-of-memory", "import"],
  processes: ["exit", "async-throw", "unhandled-rejection", "out-of-memory", "sigkill", "import"],
};

const pools: Pool[] = [];
after(async () => {
  delete process.env.POOLS_BY_HAND_REFUSE_IMPORT;
  await Promise.all(pools.map((pool) => pool.terminate()));
});

/** Pool workers alive in this process, counted by the one handle each holds. */
function liveWorkers(place: Place): number {
  const handle = place === "threads" ? "MessagePort" : "ProcessWrap";
  return process.getActiveResourcesInfo().filter((name) => name === handle).length;
}

/** Waits (bounded) until `liveWorkers` is `expected`, and returns the last count seen. */
async function workersSettleAt(place: Place, expected: number): Promise<number> {
  const deadline = Date.now() + 5000;
  while (liveWorkers(place) !== expected && Date.now() < deadline) await sleep(10);
  return liveWorkers(place);
}

function ending(outcome: PromiseSettledResult<unknown>): Ending | string {
  if (outcome.status === "fulfilled") return "value";
  const error = outcome.reason as Error;
  return error?.name ?? String(error);
}

/** Checks how a crash was reported: its exit code or signal says how the worker died. */
function checkCrash(place: Place, trigger: Trigger, outcome: PromiseSettledResult<unknown>): void {
  if (outcome.status !== "rejected" || !(outcome.reason instanceof WorkerCrashedError)) return;
  const error = outcome.reason;
  if (trigger === "exit" || trigger === "import") assert.equal(error.exitCode, 3, "process.exit(3) shows as exit code 3");
  else if (trigger === "sigkill") assert.equal(error.signal, "SIGKILL");
  else assert.ok(error.exitCode !== 0 || error.signal !== null, `a crash is not a clean exit: ${error.message}`);
  if (place === "threads" && (trigger === "async-throw" || trigger === "unhandled-rejection")) {
    assert.match(error.message, trigger === "async-throw" ? /thrown from a timer/ : /nobody handles this/, "a thread's error travels with the crash");
  }
}

/**
 * How many tasks the pool runs at once, on distinct workers: two 150 ms tasks
 * at a time, tried until both ran on different workers or 5 s passed (a
 * replacement may still be starting on a busy machine).
 */
async function capacity(pool: Pool): Promise<number> {
  const deadline = Date.now() + 5000;
  let distinct = 0;
  while (distinct < SIZE && Date.now() < deadline) {
    const ran = await within(pool.map(workerAfter, Array.from({ length: SIZE }, () => 150), 1), "tasks that measure the pool's size", 10_000);
    distinct = new Set(ran).size;
  }
  return distinct;
}

async function laterCall(pool: Pool): Promise<string> {
  try {
    const value = await within(pool.apply(wait, [1]), "a task submitted afterwards", 10_000);
    return value === 1 ? "runs" : `gave ${String(value)}`;
  } catch (error) {
    if (error instanceof BrokenPoolError) return "throws BrokenPoolError";
    if (error instanceof InvalidStateError) return `throws ${error.message}`;
    return `throws ${String(error)}`;
  }
}

/** Plays one cell of the matrix and reports what happened, in the matrix's terms. */
async function play(place: Place, trigger: Trigger, moment: Moment): Promise<{ crashed: string; others: string[]; later: string; workers: number }> {
  const kind: CrashKind = trigger === "import" ? "exit" : trigger;
  const options = {
    runIn: place,
    tasks: TASKS,
    ...(kind === "out-of-memory" ? { resourceLimits: { maxOldGenerationSizeMb: 32 } } : {}),
  } as const;
  // The module stops loading in workers: from the start for "idle", else just before the crash.
  if (trigger === "import" && moment === "idle") process.env.POOLS_BY_HAND_REFUSE_IMPORT = "1";
  const pool = new Pool(SIZE, options);
  pools.push(pool);
  const bounded = <T>(promise: Promise<T>, what: string) => within(promise, what, 15_000);

  if (moment === "idle") {
    if (trigger === "import") {
      const work = await bounded(Promise.allSettled([pool.apply(wait, [1]), pool.apply(wait, [2]), pool.apply(wait, [3])]), "work on a pool whose workers cannot load");
      const later = await laterCall(pool);
      pool.close();
      await bounded(pool.join(), "join() of the broken pool");
      return { crashed: ending(work[0] as PromiseSettledResult<unknown>), others: work.slice(1).map(ending), later, workers: await workersSettleAt(place, 0) };
    }
    await bounded(pool.map(wait, [1, 1], 1), "warm-up");
    const armed = await bounded(Promise.allSettled([pool.apply(dieWhenIdle, [kind, 20])]), "the task that arms an idle death");
    // The worker is idle when it dies; the pool notices and has one worker less until work comes.
    assert.equal(await workersSettleAt(place, SIZE - 1), SIZE - 1, "the idle worker died");
    const others = await bounded(Promise.allSettled([pool.map(wait, [5, 5, 5], 1)]), "work after the idle death");
    assert.equal(await capacity(pool), SIZE, "the pool runs SIZE tasks at once again");
    const workers = await workersSettleAt(place, SIZE);
    const later = await laterCall(pool);
    pool.close();
    await bounded(pool.join(), "join() after the idle death");
    return { crashed: ending(armed[0] as PromiseSettledResult<unknown>), others: others.map(ending), later, workers };
  }

  await bounded(pool.map(wait, [1, 1], 1), "warm-up");
  if (trigger === "import") process.env.POOLS_BY_HAND_REFUSE_IMPORT = "1";
  // Beside the crash: one task running on the other worker, three queued. It
  // runs long where it must still be running when the pool breaks or ends.
  const beside = trigger === "import" || moment === "terminate()" ? 3000 : 100;
  const crashed = pool.apply(dieMidTask, [kind, 30]);
  const others = [pool.apply(wait, [beside]), pool.map(wait, [10, 10, 10], 1)];
  let terminated: Promise<void> | undefined;
  if (moment === "close()+join()") pool.close();
  if (moment === "terminate()") {
    // terminate() lands while the pool is starting the dead worker's replacement.
    crashed.catch(() => setTimeout(() => (terminated = pool.terminate()), 5));
  }
  const crashedOutcome = (await bounded(Promise.allSettled([crashed]), "the crashed task"))[0] as PromiseSettledResult<unknown>;
  checkCrash(place, trigger, crashedOutcome);
  const othersOutcome = await bounded(Promise.allSettled(others), "the tasks beside the crash");
  if (moment === "terminate()") {
    while (!terminated) await sleep(1);
    await bounded(terminated, "terminate()");
  }
  let workers: number;
  if (moment === "mid-task" && trigger !== "import") {
    assert.equal(await capacity(pool), SIZE, "the pool runs SIZE tasks at once again");
    workers = await workersSettleAt(place, SIZE);
  } else {
    workers = -1;
  }
  const later = await laterCall(pool);
  if (pool.state === "RUN") pool.close();
  await bounded(pool.join(), "join()");
  if (workers === -1) workers = await workersSettleAt(place, 0);
  return { crashed: ending(crashedOutcome), others: othersOutcome.map(ending), later, workers };
}

for (const place of ["threads", "processes"] as const) {
  describe(`failure matrix: ${place}`, () => {
    for (const trigger of TRIGGERS[place]) {
      for (const moment of Object.keys(MATRIX) as Moment[]) {
        const expected = MATRIX[moment][trigger === "import" ? "import" : "dies"];
        const name =
          `${trigger === "import" ? "tasks module throws on import" : trigger} × ${moment} → ` +
          `crashed task: ${expected.crashed}, others: ${expected.others}, later: ${expected.later}, workers after: ${expected.workers}`;
        test(name, async () => {
          assert.equal(liveWorkers(place), 0, "no worker left over from the previous cell");
          try {
            const seen = await play(place, trigger, moment);
            assert.equal(seen.crashed, expected.crashed, "the crashed task");
            for (const other of seen.others) assert.equal(other, expected.others, "a task beside or behind the crash");
            assert.equal(seen.later, expected.later, "a submission afterwards");
            assert.equal(seen.workers, expected.workers, "live workers afterwards");
          } finally {
            delete process.env.POOLS_BY_HAND_REFUSE_IMPORT;
            await Promise.all(pools.map((pool) => pool.terminate()));
            await workersSettleAt(place, 0);
          }
        });
      }
    }
  });
}
