/**
 * The benchmark's scenarios as plain data: what each one runs, how big, and
 * what it reports. The runner sends a scenario's parameters as JSON to the
 * Node child (measure.ts) or to Python's twin (python/bench.py), so the two
 * languages run the same workloads from one definition.
 */
import { defaultChunksize } from "../../src/03-results/chunks.js";

/** What a measurement reports; the first metric of a scenario is its headline. */
export interface Metric {
  /** The key in the JSON and the results (`tasks_per_s`). */
  id: MetricId;
  /** How tables print it (`tasks/s`). */
  unit: string;
  /** How a chart prints it after a value (`µs`). */
  short: string;
  better: "lower" | "higher";
}

/** Every metric the scenarios report. */
export const METRICS = {
  wall_ms: { id: "wall_ms", unit: "ms", short: "ms", better: "lower" },
  tasks_per_s: { id: "tasks_per_s", unit: "tasks/s", short: "tasks/s", better: "higher" },
  us_per_task: { id: "us_per_task", unit: "µs per task", short: "µs", better: "lower" },
  speedup: { id: "speedup", unit: "speed-up over serial", short: "×", better: "higher" },
  serial_ms: { id: "serial_ms", unit: "ms serial", short: "ms", better: "lower" },
  median_ms: { id: "median_ms", unit: "ms per call, median of each run", short: "ms", better: "lower" },
} as const satisfies Record<string, Metric>;

/** A metric's id. */
export type MetricId = "wall_ms" | "tasks_per_s" | "us_per_task" | "speedup" | "serial_ms" | "median_ms";

/**
 * The work of one scenario. Every kind does a warm-up (`warmup` items or
 * calls, or a smaller job) before the clock starts.
 */
export type Params =
  /** Open the pool and time it until its first `add(1, 2)` result; a first open and close warms up. */
  | { kind: "startup" }
  /** Submit `n` calls at once, then await them all. `add(i, 1)`, `addAsync(i, 1)` or `wait(waitMs, i)`. */
  | { kind: "burst"; task: "add" | "addAsync" | "wait"; n: number; warmup: number; waitMs?: number }
  /** `n` calls of `add(i, 1)`, each awaited before the next is sent: one task in flight at a time. */
  | { kind: "sequential"; n: number; warmup: number }
  /** `map(double, [0 … n-1])`; `chunksize` absent means the pool's default (Python's formula). */
  | { kind: "map"; n: number; warmup: number; chunksize?: number }
  /** 1..n summed in `chunks` equal ranges, all submitted at once, and serially in the same process. */
  | { kind: "sum"; n: number; chunks: number }
  /** `calls` PBKDF2-SHA512 derivations submitted at once, and serially in the same process. */
  | { kind: "pbkdf2"; calls: number; iterations: number; keylen: number }
  /** Start the implementation's server (chapter 07's embedded Postgres) and time it until it is ready; then stop it. */
  | { kind: "server-start" }
  /**
   * One `wait(taskMs, i)` per worker, then SIGKILL a worker while it runs one:
   * the time from the kill until every result is in, the killed worker's task
   * having been run again elsewhere.
   */
  | { kind: "recovery"; taskMs: number };

/** A scenario of the comparison. */
export interface Scenario {
  id: ScenarioId;
  /** The table's heading, for the sizes run. */
  title: (params: Params) => string;
  /** How a ratio line names it ("tiny tasks at once"). */
  phrase: (params: Params) => string;
  /** One sentence on what it measures and how, for the sizes run. */
  about: (params: Params) => string;
  params: Params;
  /** Smaller work for `--quick`. */
  quick: Params;
  /** What it reports, headline first. */
  metrics: readonly Metric[];
  /** At most this many repetitions, whatever `--reps` says: for scenarios whose every run starts a database server. */
  repetitions?: number;
}

/** The scenarios' ids, in the order the tables show them. */
export const SCENARIO_IDS = [
  "startup",
  "burst",
  "latency",
  "map",
  "sum",
  "pbkdf2",
  "io",
  "async-queue",
  "worker-per-task",
  "pg-start",
  "pg-map",
  "pg-map-1",
  "pg-latency",
  "pg-recovery",
] as const;

/** A scenario's id. */
export type ScenarioId = (typeof SCENARIO_IDS)[number];

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The Postgres scenarios' repetitions: each run starts a server and two worker
 * processes (2 to 4 s here before anything is timed), and five of each would
 * take the default run past its ten minutes.
 */
const PG_REPETITIONS = 3;

/** Every scenario, in table order. Titles and descriptions name the sizes actually run. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: "startup",
    title: () => "Start-up to first result",
    phrase: () => "start-up to first result",
    about: () => "Time from creating a pool of 2 workers to the first result of a tiny task, after one open and close to warm up.",
    params: { kind: "startup" },
    quick: { kind: "startup" },
    metrics: [METRICS.wall_ms],
  },
  {
    id: "burst",
    title: (p) => `${count(size(p))} tiny tasks submitted at once`,
    phrase: (p) => `${count(size(p))} tiny tasks at once`,
    about: (p) => `\`add(i, 1)\` submitted ${count(size(p))} times before any result is awaited: per-task overhead and the queue's data structure.`,
    params: { kind: "burst", task: "add", n: 50_000, warmup: 1_000 },
    quick: { kind: "burst", task: "add", n: 5_000, warmup: 200 },
    metrics: [METRICS.tasks_per_s],
  },
  {
    id: "latency",
    title: () => "One task in flight at a time",
    phrase: () => "round-trip latency",
    about: (p) => `${count(size(p))} calls of \`add(i, 1)\`, each awaited before the next is sent: the round trip to a worker and back.`,
    params: { kind: "sequential", n: 2_000, warmup: 200 },
    quick: { kind: "sequential", n: 200, warmup: 50 },
    metrics: [METRICS.us_per_task],
  },
  {
    id: "map",
    title: (p) => `map over ${count(size(p))} tiny items`,
    phrase: (p) => `map of ${count(size(p))} tiny items`,
    about: (p) =>
      `\`map(double, items)\` over ${count(size(p))} numbers with the default chunk size, Python's formula ` +
      `(${count(defaultChunksize(size(p), 2))} items per chunk on 2 workers).`,
    params: { kind: "map", n: 1_000_000, warmup: 10_000 },
    quick: { kind: "map", n: 100_000, warmup: 1_000 },
    metrics: [METRICS.wall_ms],
  },
  {
    id: "sum",
    title: (p) => `CPU-bound: the sum of 1..${count(size(p))} in chunks`,
    phrase: () => "chunked sum",
    about: (p) =>
      `1..${count(size(p))} summed in ${p.kind === "sum" ? p.chunks : "?"} equal ranges submitted at once, against the same ranges ` +
      "summed serially in the same process; both totals are checked against n(n+1)/2.",
    params: { kind: "sum", n: 100_000_000, chunks: 10 },
    quick: { kind: "sum", n: 10_000_000, chunks: 10 },
    metrics: [METRICS.speedup, METRICS.wall_ms, METRICS.serial_ms],
  },
  {
    id: "pbkdf2",
    title: (p) => `CPU-bound in C: ${size(p)} PBKDF2 derivations`,
    phrase: (p) => `${size(p)} PBKDF2 derivations`,
    about: (p) =>
      `${size(p)} PBKDF2-HMAC-SHA512 derivations (${count(p.kind === "pbkdf2" ? p.iterations : 0)} iterations each) submitted at once, ` +
      "against the same run serially in the same process; Node's libuv pool runs them with the async `crypto.pbkdf2`.",
    params: { kind: "pbkdf2", calls: 8, iterations: 40_000, keylen: 64 },
    quick: { kind: "pbkdf2", calls: 4, iterations: 5_000, keylen: 64 },
    metrics: [METRICS.speedup, METRICS.wall_ms, METRICS.serial_ms],
  },
  {
    id: "io",
    title: (p) => `IO-bound: ${size(p)} tasks that wait ${p.kind === "burst" ? p.waitMs : "?"} ms`,
    phrase: (p) => `${size(p)} waiting tasks`,
    about: (p) =>
      p.kind === "burst"
        ? `${p.n} calls of \`wait(${p.waitMs} ms)\` submitted at once to 2 workers: ideally ${(p.n * (p.waitMs ?? 0)) / 2} ms, whatever the pool is made of.`
        : "",
    params: { kind: "burst", task: "wait", n: 100, warmup: 4, waitMs: 10 },
    quick: { kind: "burst", task: "wait", n: 20, warmup: 2, waitMs: 10 },
    metrics: [METRICS.wall_ms],
  },
  {
    id: "async-queue",
    title: (p) => `${count(size(p))} tiny async tasks at concurrency 2, in process`,
    phrase: (p) => `${count(size(p))} tiny async tasks at concurrency 2`,
    about: (p) => `\`addAsync(i, 1)\` submitted ${count(size(p))} times to a queue running 2 at a time on the event loop: the cost of the queue itself.`,
    params: { kind: "burst", task: "addAsync", n: 100_000, warmup: 2_000 },
    quick: { kind: "burst", task: "addAsync", n: 10_000, warmup: 500 },
    metrics: [METRICS.tasks_per_s],
  },
  {
    id: "worker-per-task",
    title: (p) => `${size(p)} tiny tasks: a new worker per task vs reuse`,
    phrase: (p) => `${size(p)} tiny tasks`,
    about: (p) =>
      `${size(p)} calls of \`add(i, 1)\` submitted at once, at most 2 running: a fresh Worker (or process, or thread) ` +
      "for each task, against workers that are reused.",
    params: { kind: "burst", task: "add", n: 200, warmup: 2 },
    quick: { kind: "burst", task: "add", n: 20, warmup: 2 },
    metrics: [METRICS.wall_ms],
  },
  // Chapter 07: the queue in Postgres, beside chapter 04's process pool.
  {
    id: "pg-start",
    title: () => "Embedded Postgres: initdb and start",
    phrase: () => "Postgres initdb and start",
    about: () => "`startPostgres()` in a fresh temporary folder until the server accepts connections (initdb without fsync, then start), under its supervisor process.",
    params: { kind: "server-start" },
    quick: { kind: "server-start" },
    metrics: [METRICS.wall_ms],
    repetitions: PG_REPETITIONS,
  },
  {
    id: "pg-map",
    title: (p) => `Postgres queue: map over ${count(size(p))} tiny items, default chunks`,
    phrase: (p) => `map of ${count(size(p))} items through the queue, default chunks`,
    about: (p) =>
      `\`map(double, items)\` over ${count(size(p))} numbers with Python's default chunk size for 2 workers ` +
      `(${count(defaultChunksize(size(p), 2))} items per job), through a Postgres job queue and two worker processes taking 4 jobs at a time each; ` +
      "the process pool of chapter 04 beside it.",
    params: { kind: "map", n: 5_000, warmup: 500 },
    quick: { kind: "map", n: 1_000, warmup: 100 },
    metrics: [METRICS.tasks_per_s, METRICS.wall_ms],
    repetitions: PG_REPETITIONS,
  },
  {
    id: "pg-map-1",
    title: (p) => `Postgres queue: map over ${count(size(p))} tiny items, one item per job`,
    phrase: (p) => `map of ${count(size(p))} items through the queue, one per job`,
    about: (p) =>
      `\`map(double, items, 1)\`: ${count(size(p))} jobs of one item each, so every item pays for a job's trip through the ` +
      "database (insert, lock, result, completion); two worker processes taking 4 jobs at a time each, beside raw graphile-worker " +
      "(the same two processes and concurrency, a result row per job) with each job added by its own `addJob`, and the process pool.",
    params: { kind: "map", n: 5_000, warmup: 200, chunksize: 1 },
    quick: { kind: "map", n: 500, warmup: 50, chunksize: 1 },
    metrics: [METRICS.tasks_per_s, METRICS.wall_ms],
    repetitions: PG_REPETITIONS,
  },
  {
    id: "pg-latency",
    title: (p) => `Postgres queue: one task in flight, ${count(size(p))} calls`,
    phrase: () => "apply round trip through the queue",
    about: (p) => `${count(size(p))} calls of \`add(i, 1)\`, each awaited before the next: a job's round trip through Postgres and a worker, by LISTEN/NOTIFY both ways.`,
    params: { kind: "sequential", n: 200, warmup: 20 },
    quick: { kind: "sequential", n: 50, warmup: 10 },
    metrics: [METRICS.median_ms, METRICS.us_per_task],
    repetitions: PG_REPETITIONS,
  },
  {
    id: "pg-recovery",
    title: () => "Postgres queue: from a SIGKILL to recovery",
    phrase: () => "SIGKILL to recovery",
    about: (p) =>
      `Two \`wait(${p.kind === "recovery" ? p.taskMs : "?"} ms)\` tasks; the worker process that takes one is SIGKILLed while it runs it, ` +
      "and the clock runs from the kill until both results are in. The recovery window is 2 s (a heartbeat every half second).",
    params: { kind: "recovery", taskMs: 300 },
    quick: { kind: "recovery", taskMs: 300 },
    metrics: [METRICS.wall_ms],
    repetitions: PG_REPETITIONS,
  },
];

/** The size of a scenario's work: its item or call count, or the sum's n. */
export function size(params: Params): number {
  switch (params.kind) {
    case "startup":
    case "server-start":
      return 1;
    case "recovery":
      return 2;
    case "pbkdf2":
      return params.calls;
    default:
      return params.n;
  }
}

/** The scenario with this id. */
export function scenario(id: ScenarioId): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new RangeError(`unknown scenario ${id}`);
  return found;
}

/** Whether `id` names a scenario. */
export function isScenarioId(id: string): id is ScenarioId {
  return (SCENARIO_IDS as readonly string[]).includes(id);
}
