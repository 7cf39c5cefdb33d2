/**
 * The pool property, once for every place a {@link Pool} runs its tasks.
 *
 * A *schedule* is a random list of steps: submissions of every kind
 * (`applyAsync` with or without callbacks, `apply`, `map`, `mapAsync`,
 * `starmapAsync`, `imap`, `imapUnordered`, random chunk sizes), `get(timeoutMs)`
 * and `wait(timeoutMs)` on earlier results, time passing, `close()`,
 * `terminate()`, `[Symbol.asyncDispose]()` and `join()` at random points.
 * Tasks return, throw, sleep, reject, or (in threads and processes) kill their
 * worker. The driver plays the schedule, then checks what happened against
 * the kit's promises:
 *
 * 1. every accepted task's result settles exactly once: with its value, its
 *    own error, or a typed error (`WorkerCrashedError` for a task that killed
 *    its worker, `PoolTerminatedError` after `terminate()`, `BrokenPoolError`
 *    after an initializer failed); every callback runs at most once, and
 *    exactly the right one runs;
 * 2. no more than `size` tasks run at once;
 * 3. tasks start in submission order (on the event loop exactly; in threads
 *    and processes, on each worker, and exactly when there is one worker);
 *    the tasks of a chunk run in order and stop at the first failure;
 * 4. `join()` resolves after the last result is ready and every task has
 *    stopped, never before, and never hangs;
 * 5. a call refused (after `close()`, after the pool broke) queues nothing.
 *
 * Each place is a {@link Place}: the event loop runs on a virtual clock (a
 * thousand schedules in a few seconds, replayable exactly); threads and
 * processes run in real time, with fewer and shorter schedules. A new place
 * (chapter 07's Postgres queue) joins by adding a `Place`; chapter 05's server
 * gets its own property file beside this one, on the same harness
 * (`testkit/properties.ts`).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { flushMicrotasks } from "../../testkit/index.js";
import { Problems, propertyTest, recordSummary, type Runs } from "../../testkit/properties.js";
import { InvalidStateError } from "../01-reusable-worker/index.js";
import { AsyncResult, BrokenPoolError, Pool, PoolTerminatedError, TimeoutError, defaultChunksize, type TaskFunction } from "../03-results/index.js";
import { WorkerCrashedError } from "../04-threads-and-processes/index.js";
import { CRASHES, messageOf, valueOf, type Kind, type TaskSpec } from "./fixtures/schedule-tasks.js";

/** One task of a schedule, before it gets its id. */
export interface TaskPlan {
  kind: Kind;
  ms: number;
}

/** What the callbacks of a result do. */
export type CallbackPlan = "none" | "record" | "throws" | "async" | "error-throws";

/** The many-item submissions. */
export type Via = "map" | "mapAsync" | "starmapAsync" | "imap" | "imapUnordered";

/** One step of a schedule. */
export type Step =
  | { op: "applyAsync"; task: TaskPlan; callbacks: CallbackPlan }
  | { op: "apply"; task: TaskPlan }
  | { op: "map"; via: Via; tasks: TaskPlan[]; chunksize: number | undefined; callbacks: CallbackPlan }
  | { op: "get"; target: number; timeoutMs: number | undefined }
  | { op: "wait"; target: number; timeoutMs: number | undefined }
  | { op: "tick"; ms: number }
  | { op: "close" }
  | { op: "terminate" }
  | { op: "dispose" }
  | { op: "join" };

/** The pool's initializer: none, or one that (on its `failOnCall`-th call) throws. */
export interface InitializerPlan {
  kind: "none" | "sync" | "async";
  failOnCall: number | undefined;
}

/** A whole schedule: the pool's shape, its steps, and how it ends if no step ended it. */
export interface Schedule {
  size: number;
  maxTasksPerChild: number | undefined;
  initializer: InitializerPlan;
  steps: Step[];
  ending: "close" | "terminate";
}

/** One line of a journal: a task started or ended, or the pool side marked a moment. */
export type JournalEvent = { type: "S" | "E"; id: number; worker: string } | { type: "T" | "J" };

/** A pool set up for one schedule, and the means to drive and observe it. */
export interface Session {
  pool: Pool;
  /** The function every submission hands the pool. */
  task: TaskFunction;
  /** The argument of task `id`. */
  spec(id: number, plan: TaskPlan): TaskSpec;
  /** Writes a pool-side marker into the journal. */
  note(marker: "T" | "J"): void;
  /** Lets `ms` of time pass. */
  tick(ms: number): Promise<void>;
  /** Waits until `joined` is true, or gives up; bounded either way. */
  finish(joined: () => boolean): Promise<void>;
  /** The journal, read once the schedule is over. */
  journal(): Promise<JournalEvent[]>;
  /** How many times the initializer has failed so far (event loop only). */
  initializerFailures(): number;
  /** Ends the pool whatever happened, and cleans up. */
  dispose(): Promise<void>;
}

/** A place where a pool runs tasks, with the sizes of schedules that suit it. */
export interface Place {
  name: string;
  kinds: readonly Kind[];
  maxSize: number;
  maxSteps: number;
  maxMs: number;
  /** Whether schedules may give the pool an initializer that fails. */
  failingInitializers: boolean;
  open(schedule: Schedule): Promise<Session>;
}

const KIND_WEIGHTS: Record<Kind, number> = { value: 6, sleep: 8, throw: 2, reject: 2, exit: 1, uncaught: 1, unhandled: 1, sigkill: 1 };

/** Random schedules that fit `place`. */
export function scheduleArb(place: Place): fc.Arbitrary<Schedule> {
  const kindArb = fc.oneof(...place.kinds.map((kind) => ({ arbitrary: fc.constant(kind), weight: KIND_WEIGHTS[kind] })));
  const taskArb: fc.Arbitrary<TaskPlan> = fc.record({ kind: kindArb, ms: fc.integer({ min: 0, max: place.maxMs }) });
  const callbacksArb = fc.constantFrom<CallbackPlan>("none", "none", "record", "throws", "async", "error-throws");
  const timeoutArb = fc.option(fc.constantFrom(0, 1, 3, place.maxMs), { nil: undefined });
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant("applyAsync" as const), task: taskArb, callbacks: callbacksArb }), weight: 20 },
    { arbitrary: fc.record({ op: fc.constant("apply" as const), task: taskArb }), weight: 4 },
    {
      arbitrary: fc.record({
        op: fc.constant("map" as const),
        via: fc.constantFrom<Via>("map", "mapAsync", "starmapAsync", "imap", "imapUnordered"),
        tasks: fc.array(taskArb, { maxLength: 6 }),
        chunksize: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        callbacks: callbacksArb,
      }),
      weight: 12,
    },
    { arbitrary: fc.record({ op: fc.constant("get" as const), target: fc.nat(20), timeoutMs: timeoutArb }), weight: 6 },
    { arbitrary: fc.record({ op: fc.constant("wait" as const), target: fc.nat(20), timeoutMs: timeoutArb }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant("tick" as const), ms: fc.integer({ min: 1, max: place.maxMs }) }), weight: 12 },
    { arbitrary: fc.constant({ op: "close" as const }), weight: 1 },
    { arbitrary: fc.constant({ op: "terminate" as const }), weight: 1 },
    { arbitrary: fc.constant({ op: "dispose" as const }), weight: 1 },
    { arbitrary: fc.constant({ op: "join" as const }), weight: 3 },
  );
  const initializerArb: fc.Arbitrary<InitializerPlan> = place.failingInitializers
    ? fc.record({
        kind: fc.constantFrom<InitializerPlan["kind"]>("none", "none", "sync", "async"),
        failOnCall: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined, freq: 3 }),
      })
    : fc.record({ kind: fc.constantFrom<InitializerPlan["kind"]>("none", "sync"), failOnCall: fc.constant(undefined) });
  return fc.record({
    size: fc.integer({ min: 1, max: place.maxSize }),
    maxTasksPerChild: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 3 }),
    initializer: initializerArb,
    steps: fc.array(stepArb, { maxLength: place.maxSteps, size: "max" }),
    ending: fc.constantFrom<Schedule["ending"]>("close", "close", "terminate"),
  });
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Everything observed about one submission. */
interface Handle {
  index: number;
  via: "applyAsync" | "apply" | Via;
  chunks: TaskSpec[][];
  callbacks: CallbackPlan;
  callbackError: Error;
  result: AsyncResult<any> | undefined;
  /** The result as the callbacks saw it (before a throwing callback changed it). */
  seenByCallback: Outcome | undefined;
  callbackCalls: number;
  errorCallbackCalls: number;
  /** The final outcome (results and promises) and when it arrived. */
  final: Outcome | undefined;
  settledAt: number | undefined;
  /** What an imap stream gave, in order, and whether it ended. */
  streamed: Outcome[];
  streamDone: boolean;
  gets: { outcome: Outcome; readyThen: boolean; timeoutMs: number | undefined }[];
}

/** The outcome a chunk's job has if nothing stops it: its values, or its first failure. */
function natural(chunk: TaskSpec[]): { ok: true; values: string[] } | { ok: false; failing: TaskSpec } {
  const values: string[] = [];
  for (const task of chunk) {
    if (task.kind === "value" || task.kind === "sleep") values.push(valueOf(task.id));
    else return { ok: false, failing: task };
  }
  return { ok: true, values };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Plays one schedule in `place` and checks every promise of the kit. */
export async function runPoolSchedule(place: Place, schedule: Schedule): Promise<void> {
  const problems = new Problems();
  try {
    const session = await place.open(schedule);
    try {
      await play(session, schedule, problems);
    } finally {
      await session.dispose();
    }
    problems.raise();
  } finally {
    problems.stop();
  }
}

async function play(session: Session, schedule: Schedule, problems: Problems): Promise<void> {
  const { pool } = session;
  let clock = 0;
  const now = () => ++clock;
  const guard = problems.guard.bind(problems);
  const raise = () => problems.raise();

  const handles: Handle[] = [];
  const refusedIds = new Set<number>();
  const joins: { resolvedAt: number | undefined }[] = [];
  const terminations: { resolved: boolean }[] = [];
  let terminatedAt: number | undefined;
  let nextId = 0;

  const newHandle = (via: Handle["via"], plans: TaskPlan[], chunksize: number, callbacks: CallbackPlan): Handle => {
    const specs = plans.map((plan) => session.spec(nextId++, plan));
    const chunks: TaskSpec[][] = [];
    for (let i = 0; i < specs.length; i += chunksize) chunks.push(specs.slice(i, i + chunksize));
    const index = handles.length;
    return {
      index,
      via,
      chunks,
      callbacks,
      callbackError: new Error(`the callback of submission ${index} throws`),
      result: undefined,
      seenByCallback: undefined,
      callbackCalls: 0,
      errorCallbackCalls: 0,
      final: undefined,
      settledAt: undefined,
      streamed: [],
      streamDone: false,
      gets: [],
    };
  };

  const callbacksFor = (handle: Handle) => {
    if (handle.callbacks === "none") return {};
    const after = (seen: Outcome, throwing: boolean) => {
      handle.seenByCallback = seen;
      if (throwing) throw handle.callbackError;
      if (handle.callbacks === "async") return new Promise<void>((resolve) => setTimeout(resolve, 1));
      return undefined;
    };
    return {
      callback: (value: unknown) => {
        handle.callbackCalls += 1;
        return after({ ok: true, value }, handle.callbacks === "throws");
      },
      errorCallback: (error: unknown) => {
        handle.errorCallbackCalls += 1;
        return after({ ok: false, error }, handle.callbacks === "error-throws");
      },
    };
  };

  const observe = (handle: Handle, promise: Promise<unknown>) => {
    promise.then(
      guard((value: unknown) => {
        assert.equal(handle.final, undefined, `submission ${handle.index} settled twice`);
        handle.final = { ok: true, value };
        handle.settledAt = now();
      }),
      guard((error: unknown) => {
        assert.equal(handle.final, undefined, `submission ${handle.index} settled twice`);
        handle.final = { ok: false, error };
        handle.settledAt = now();
      }),
    );
  };

  const readStream = async (handle: Handle, stream: AsyncIterator<unknown>) => {
    for (;;) {
      try {
        const next = await stream.next();
        if (next.done) break;
        handle.streamed.push({ ok: true, value: next.value });
      } catch (error) {
        handle.streamed.push({ ok: false, error });
      }
      handle.settledAt = now();
    }
    handle.streamDone = true;
  };

  /** Submits, or checks that a refusal was right and queued nothing. */
  const submit = (where: string, handle: Handle, make: () => void) => {
    const state = pool.state;
    try {
      make();
    } catch (error) {
      for (const chunk of handle.chunks) for (const task of chunk) refusedIds.add(task.id);
      if (error instanceof BrokenPoolError) {
        assert.ok(session.initializerFailures() > 0, `${where}: BrokenPoolError, but no initializer failed`);
      } else {
        assert.ok(error instanceof InvalidStateError, `${where}: refused with ${describeError(error)}`);
        assert.equal(error.message, "Pool not running");
        assert.notEqual(state, "RUN", `${where}: refused while the pool was running`);
      }
      return;
    }
    assert.equal(state, "RUN", `${where}: accepted while the pool was ${state}`);
    handles.push(handle);
  };

  const resultHandles = () => handles.filter((h) => h.result !== undefined);

  const terminate = (how: "terminate" | "dispose") => {
    if (terminatedAt === undefined && pool.state !== "TERMINATE") {
      terminatedAt = now();
      session.note("T");
    }
    const done = { resolved: false };
    terminations.push(done);
    const ending = how === "terminate" ? pool.terminate() : pool[Symbol.asyncDispose]();
    ending.then(
      () => (done.resolved = true),
      guard((error: unknown) => assert.fail(`${how}() rejected with ${describeError(error)}`)),
    );
    assert.equal(pool.state, "TERMINATE");
  };

  const join = (where: string) => {
    if (pool.state === "RUN") {
      assert.throws(() => pool.join(), { name: "InvalidStateError", message: "Pool is still running" }, where);
      return;
    }
    const record: { resolvedAt: number | undefined } = { resolvedAt: undefined };
    joins.push(record);
    pool.join().then(
      () => {
        record.resolvedAt = now();
        session.note("J");
        // Every stream's chunks are delivered by now: reading the rest takes only microtasks.
        const streams = handles.filter((h) => h.via === "imap" || h.via === "imapUnordered");
        void flushMicrotasks().then(
          guard(() => {
            for (const h of streams) assert.ok(h.streamDone, `${where}: join() resolved while stream ${h.index} still waited for a chunk`);
          }),
        );
      },
      guard((error: unknown) => assert.fail(`${where}: join() rejected with ${describeError(error)}`)),
    );
  };

  for (const [index, step] of schedule.steps.entries()) {
    const where = `step ${index} (${step.op})`;
    switch (step.op) {
      case "applyAsync": {
        const handle = newHandle("applyAsync", [step.task], 1, step.callbacks);
        submit(where, handle, () => {
          handle.result = pool.applyAsync(session.task, [handle.chunks[0]?.[0]], callbacksFor(handle));
          observe(handle, handle.result.get());
        });
        break;
      }
      case "apply": {
        const handle = newHandle("apply", [step.task], 1, "none");
        submit(where, handle, () => observe(handle, pool.apply(session.task, [handle.chunks[0]?.[0]])));
        break;
      }
      case "map": {
        const streaming = step.via === "imap" || step.via === "imapUnordered";
        const chunksize = step.chunksize ?? (streaming ? 1 : defaultChunksize(step.tasks.length, pool.size));
        const callbacks = step.via === "mapAsync" || step.via === "starmapAsync" ? step.callbacks : "none";
        const handle = newHandle(step.via, step.tasks, Math.max(1, chunksize), callbacks);
        const specs = handle.chunks.flat();
        submit(where, handle, () => {
          if (step.via === "map") observe(handle, pool.map(session.task, specs, step.chunksize));
          else if (step.via === "mapAsync") handle.result = pool.mapAsync(session.task, specs, { chunksize: step.chunksize, ...callbacksFor(handle) });
          else if (step.via === "starmapAsync") {
            handle.result = pool.starmapAsync(session.task, specs.map((spec) => [spec]), { chunksize: step.chunksize, ...callbacksFor(handle) });
          } else {
            const stream = step.via === "imap" ? pool.imap(session.task, specs, step.chunksize) : pool.imapUnordered(session.task, specs, step.chunksize);
            void readStream(handle, stream).catch(guard((error: unknown) => assert.fail(`reading a stream failed: ${describeError(error)}`)));
          }
          if (handle.result) observe(handle, handle.result.get());
        });
        break;
      }
      case "get":
      case "wait": {
        const targets = resultHandles();
        const handle = targets[step.target % Math.max(1, targets.length)];
        if (!handle?.result) break;
        const result = handle.result;
        if (step.op === "wait") {
          result.wait(step.timeoutMs).then(
            guard(() => assert.ok(step.timeoutMs !== undefined || result.ready(), "wait() without a timeout resolves only once ready")),
            guard((error: unknown) => assert.fail(`wait() rejected with ${describeError(error)}`)),
          );
          break;
        }
        const record = (outcome: Outcome) => handle.gets.push({ outcome, readyThen: result.ready(), timeoutMs: step.timeoutMs });
        result.get(step.timeoutMs).then(
          guard((value: unknown) => record({ ok: true, value })),
          guard((error: unknown) => record({ ok: false, error })),
        );
        break;
      }
      case "tick":
        await session.tick(step.ms);
        break;
      case "close":
        pool.close();
        assert.equal(pool.state, terminatedAt === undefined ? "CLOSE" : "TERMINATE");
        break;
      case "terminate":
      case "dispose":
        terminate(step.op);
        break;
      case "join":
        join(where);
        break;
    }
    await flushMicrotasks();
    raise();
  }

  if (pool.state === "RUN") {
    if (schedule.ending === "close") pool.close();
    else terminate("terminate");
  }
  join("the final join()");
  const last = joins[joins.length - 1] as { resolvedAt: number | undefined };
  await session.finish(() => last.resolvedAt !== undefined);
  await flushMicrotasks();
  raise();
  assert.ok(last.resolvedAt !== undefined, "join() never resolved: the pool hung");
  const journal = await session.journal();
  raise();
  verify({ schedule, handles, refusedIds, joins, terminations, terminatedAt, journal, brokenPossible: session.initializerFailures() > 0, eventLoop: pool.runIn === "event-loop" });
}

interface Observed {
  schedule: Schedule;
  handles: Handle[];
  refusedIds: Set<number>;
  joins: { resolvedAt: number | undefined }[];
  terminations: { resolved: boolean }[];
  terminatedAt: number | undefined;
  journal: JournalEvent[];
  brokenPossible: boolean;
  eventLoop: boolean;
}

/** Checks one job's outcome (before callbacks) against what its chunk allows. */
function allowedFor(chunk: TaskSpec[], outcome: Outcome, seen: Observed): boolean {
  const expected = natural(chunk);
  if (outcome.ok) return expected.ok && JSON.stringify(outcome.value) === JSON.stringify(expected.values);
  const error = outcome.error;
  if (seen.terminatedAt !== undefined && error instanceof PoolTerminatedError) return true;
  if (seen.brokenPossible && error instanceof BrokenPoolError) return true;
  if (expected.ok) return false;
  const failing = expected.failing;
  if (CRASHES.includes(failing.kind)) return error instanceof WorkerCrashedError;
  return error instanceof Error && error.name === "TaskError" && error.message === messageOf(failing.id);
}

/** The handle's outcome before a throwing callback replaced it, as one job or the concatenation of its chunks. */
function checkHandle(handle: Handle, seen: Observed): void {
  const where = `submission ${handle.index} (${handle.via} of tasks ${handle.chunks.flat().map((t) => `${t.id}:${t.kind}`).join(" ") || "none"})`;
  if (handle.via === "imap" || handle.via === "imapUnordered") return checkStream(handle, seen, where);
  assert.ok(handle.final, `${where}: its result never settled`);
  const final = handle.final;
  const single = handle.via === "applyAsync" || handle.via === "apply";
  // What the task (or tasks) gave, as the callbacks saw it, or as the result shows when there are none.
  let taskOutcome: Outcome = final;
  if (handle.callbacks !== "none") {
    assert.equal(handle.callbackCalls + handle.errorCallbackCalls, 1, `${where}: ${handle.callbackCalls} callback and ${handle.errorCallbackCalls} errorCallback calls; exactly one call was due`);
    taskOutcome = handle.seenByCallback as Outcome;
    const replaced = (taskOutcome.ok && handle.callbacks === "throws") || (!taskOutcome.ok && handle.callbacks === "error-throws");
    if (replaced) assert.ok(!final.ok && final.error === handle.callbackError, `${where}: a throwing callback fails its own result with its own error`);
    else assert.deepEqual(final, taskOutcome, `${where}: the result is what the callback saw`);
  }
  if (single) {
    const chunk = handle.chunks[0] as TaskSpec[];
    const asJob: Outcome = taskOutcome.ok ? { ok: true, value: [taskOutcome.value] } : taskOutcome;
    assert.ok(allowedFor(chunk, asJob, seen), `${where}: settled with ${taskOutcome.ok ? JSON.stringify(taskOutcome.value) : describeError(taskOutcome.error)}, which the task cannot give`);
  } else if (taskOutcome.ok) {
    const expected = handle.chunks.flat().map((task) => valueOf(task.id));
    assert.ok(handle.chunks.every((chunk) => natural(chunk).ok), `${where}: succeeded although a task in it fails`);
    assert.deepEqual(taskOutcome.value, expected, `${where}: the values, in input order`);
  } else {
    const error = taskOutcome.error;
    assert.ok(
      handle.chunks.some((chunk) => allowedFor(chunk, { ok: false, error }, seen)),
      `${where}: failed with ${describeError(error)}, which none of its chunks can give`,
    );
  }
  for (const get of handle.gets) {
    if (!get.outcome.ok && get.outcome.error instanceof TimeoutError) {
      assert.ok(get.timeoutMs !== undefined && !get.readyThen, `${where}: get(${get.timeoutMs}) timed out although the result was ready`);
      continue;
    }
    assert.ok(get.readyThen, `${where}: get() settled before the result was ready (its callback had not finished)`);
    if (get.outcome.ok) assert.deepEqual(get.outcome, final, `${where}: get() gave another value than the result's`);
    else assert.ok(!final.ok && get.outcome.error === final.error, `${where}: every get() rejects with the same error object`);
  }
}

/** An imap stream: each chunk gives all its values, or one error, in input order for `imap`. */
function checkStream(handle: Handle, seen: Observed, where: string): void {
  assert.ok(handle.streamDone, `${where}: the stream never ended`);
  // Split what came out into one piece per chunk: the values of a chunk come out together.
  const pieces: Outcome[][] = [];
  for (let i = 0; i < handle.streamed.length; ) {
    const item = handle.streamed[i] as Outcome;
    if (!item.ok) {
      pieces.push([item]);
      i += 1;
      continue;
    }
    const chunk = handle.chunks.find((c) => c.some((task) => valueOf(task.id) === item.value));
    assert.ok(chunk, `${where}: a value that no task of this stream returns: ${String(item.value)}`);
    pieces.push(handle.streamed.slice(i, i + chunk.length));
    i += chunk.length;
  }
  assert.equal(pieces.length, handle.chunks.length, `${where}: ${pieces.length} outcomes for ${handle.chunks.length} chunks`);
  const asJob = (piece: Outcome[]): Outcome => (piece[0]?.ok ? { ok: true, value: piece.map((p) => (p as { value: unknown }).value) } : (piece[0] as Outcome));
  if (handle.via === "imap") {
    pieces.forEach((piece, i) => assert.ok(allowedFor(handle.chunks[i] as TaskSpec[], asJob(piece), seen), `${where}: chunk ${i} gave ${JSON.stringify(piece.map((p) => (p.ok ? p.value : describeError(p.error))))}`));
    return;
  }
  // In completion order: find a chunk for every piece (a small matching, by backtracking).
  const used = new Array<boolean>(handle.chunks.length).fill(false);
  const match = (p: number): boolean => {
    if (p === pieces.length) return true;
    for (let c = 0; c < handle.chunks.length; c++) {
      if (used[c] || !allowedFor(handle.chunks[c] as TaskSpec[], asJob(pieces[p] as Outcome[]), seen)) continue;
      used[c] = true;
      if (match(p + 1)) return true;
      used[c] = false;
    }
    return false;
  };
  assert.ok(match(0), `${where}: its outcomes cannot be matched to its chunks: ${JSON.stringify(handle.streamed.map((p) => (p.ok ? p.value : describeError(p.error))))}`);
}

/** The journal: at most `size` running, order of starts, chunks in order, nothing after join(). */
function checkJournal(seen: Observed, size: number): void {
  const chunkOf = new Map<number, TaskSpec[]>();
  for (const handle of seen.handles) for (const chunk of handle.chunks) for (const task of chunk) chunkOf.set(task.id, chunk);
  const started = new Map<number, number>();
  const ended = new Map<number, number>();
  const open = new Set<number>();
  const lastOnWorker = new Map<string, number>();
  let lastStart = -1;
  let joinedAt: number | undefined;
  let terminatedAt: number | undefined;
  seen.journal.forEach((event, position) => {
    if (event.type === "J") joinedAt ??= position;
    if (event.type === "T") terminatedAt ??= position;
    if (event.type !== "S" && event.type !== "E") return;
    const { id } = event;
    if (event.type === "E") {
      ended.set(id, position);
      open.delete(id);
      return;
    }
    assert.ok(!seen.refusedIds.has(id), `task ${id} ran although its submission was refused`);
    assert.ok(!started.has(id), `task ${id} started twice`);
    assert.ok(joinedAt === undefined, `task ${id} started after join() resolved`);
    if (seen.eventLoop) assert.ok(terminatedAt === undefined, `task ${id} started after terminate()`);
    started.set(id, position);
    open.add(id);
    assert.ok(open.size <= size, `task ${id} started while ${open.size - 1} others ran; size is ${size}`);
    const chunk = chunkOf.get(id) as TaskSpec[];
    const before = chunk[chunk.findIndex((task) => task.id === id) - 1];
    // A thread or process runs one task at a time, so each runs its tasks in submission order.
    if (!seen.eventLoop) {
      const previous = lastOnWorker.get(event.worker) ?? -1;
      assert.ok(id > previous, `task ${id} started on ${event.worker} after task ${previous}: out of submission order`);
      lastOnWorker.set(event.worker, id);
    }
    // Jobs start in submission order (the rest of a chunk follows its first task).
    if (!before && (seen.eventLoop || size === 1)) {
      assert.ok(id > lastStart, `job of task ${id} started after the job of task ${lastStart}: out of submission order`);
      lastStart = id;
    }
    // Inside a chunk, a task starts only after the one before it ended well.
    if (before) {
      assert.ok(ended.has(before.id), `task ${id} started before task ${before.id} of its chunk ended`);
      assert.ok(before.kind === "value" || before.kind === "sleep", `task ${id} ran after task ${before.id} of its chunk failed`);
    }
  });
  // After close(), join() waits for every worker to stop; on the event loop, even after terminate().
  if (joinedAt !== undefined && (seen.eventLoop || seen.terminatedAt === undefined)) {
    for (const id of started.keys()) assert.ok((ended.get(id) ?? Infinity) < joinedAt, `task ${id} was still running when join() resolved`);
  }
  if (seen.eventLoop) for (const id of started.keys()) assert.ok(ended.has(id), `task ${id} never ended`);
  // Nothing lost: without terminate() or a broken pool, each chunk ran up to its first failure.
  if (seen.terminatedAt === undefined && !seen.brokenPossible) {
    for (const handle of seen.handles) {
      for (const chunk of handle.chunks) {
        for (const task of chunk) {
          assert.ok(started.has(task.id), `task ${task.id} was accepted but never ran`);
          if (task.kind !== "value" && task.kind !== "sleep") break;
        }
      }
    }
  }
}

/**
 * How often each interesting thing happened across the runs of this process,
 * so a report can show that the schedules reach crashes, terminations,
 * timeouts and broken pools, and not only the easy paths.
 */
export const tallies = new Map<string, number>();

function tally(name: string, by = 1): void {
  if (by > 0) tallies.set(name, (tallies.get(name) ?? 0) + by);
}

function errorKind(outcome: Outcome | undefined): string {
  if (!outcome) return "pending";
  if (outcome.ok) return "value";
  const error = outcome.error as Error;
  return error?.name === "Error" ? "callback error" : (error?.name ?? "non-error");
}

function count(seen: Observed): void {
  tally("runs");
  if (seen.terminatedAt !== undefined) tally("runs with terminate()");
  if (seen.brokenPossible) tally("runs with a failing initializer");
  tally("tasks accepted", seen.handles.reduce((n, h) => n + h.chunks.flat().length, 0));
  tally("tasks started", seen.journal.filter((e) => e.type === "S").length);
  tally("submissions refused", new Set(seen.refusedIds).size > 0 ? 1 : 0);
  for (const handle of seen.handles) {
    const outcomes = handle.via === "imap" || handle.via === "imapUnordered" ? handle.streamed : [handle.final];
    for (const outcome of outcomes) tally(`outcome: ${errorKind(outcome)}`);
    for (const get of handle.gets) tally(`get(timeoutMs): ${errorKind(get.outcome)}`);
  }
}

function verify(seen: Observed): void {
  count(seen);
  for (const handle of seen.handles) checkHandle(handle, seen);
  // Streams are read after their chunks arrive, so they are checked when join() resolves instead.
  const lastSettled = Math.max(0, ...seen.handles.filter((h) => h.result || h.via === "apply" || h.via === "map").map((h) => h.settledAt ?? 0));
  for (const join of seen.joins) {
    assert.ok(join.resolvedAt !== undefined, "a join() never resolved");
    assert.ok(join.resolvedAt > lastSettled, "join() resolved before the last result was ready");
  }
  for (const termination of seen.terminations) assert.ok(termination.resolved, "terminate() never resolved");
  checkJournal(seen, seen.schedule.size);
}

/**
 * The test of the pool property for `place`: `runs` schedules, and a report of
 * how often each outcome came up, so a reader can see the runs reached the
 * crashes, terminations and timeouts.
 */
export function poolPropertyTest(place: Place, where: string, runs: Runs): ReturnType<typeof propertyTest> {
  const name = `Pool schedules ${where}`;
  const promise = "every result settles once, at most size run at once, in order, join() waits for the last";
  return propertyTest(name, promise, () => fc.asyncProperty(scheduleArb(place), (schedule) => runPoolSchedule(place, schedule)), runs, (t) => {
    const seen = Object.fromEntries(tallies);
    recordSummary({ kind: "tallies", name, ...seen });
    t.diagnostic(JSON.stringify(seen));
  });
}
