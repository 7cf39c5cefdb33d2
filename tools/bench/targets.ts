/**
 * The comparisons the chapters quote: the performance targets of chapters 04
 * and 06 (ratios of medians measured in one run), and a few more that explain
 * them. A comparison that names an implementation not built yet (the kit's
 * pools) reports that instead of a number.
 */
import type { Contender } from "./registry.js";
import { findMeasurement, paramsOf, type BenchReport } from "./results.js";
import { scenario as scenarioById, type Metric, type MetricId, type ScenarioId } from "./scenarios.js";
import { ratio } from "./stats.js";
import { formatNumber, formatTimes } from "./format.js";

/** "a is N× better than b" in a scenario, by the medians of one metric (the headline by default). */
export interface RatioTarget {
  kind: "ratio";
  scenario: ScenarioId;
  metric?: MetricId;
  a: string;
  b: string;
  /** The least ratio the course promises; none for comparisons that only explain. */
  atLeast?: number;
  /** The chapters that quote it. */
  chapters: string;
}

/** One implementation's median of a metric, against a floor or a ceiling. */
export interface ValueTarget {
  kind: "value";
  scenario: ScenarioId;
  metric: MetricId;
  implementation: string;
  atLeast?: number;
  /** The most it may be, for a metric where lower is better (a round trip's milliseconds). */
  atMost?: number;
  chapters: string;
}

/** A target or an explaining comparison. */
export type Target = RatioTarget | ValueTarget;

/** The kit's pools, which join the benchmark as they are built (see tools/bench/README.md). */
export const KIT_LABELS: Readonly<Record<string, string>> = {
  "kit-event-loop": "kit Pool, event loop",
  "kit-threads": "kit Pool, threads",
  "kit-processes": "kit Pool, processes",
  "kit-postgres": "kit Pool, Postgres queue",
};

/** Everything the results report, targets first. */
export const TARGETS: readonly Target[] = [
  { kind: "ratio", scenario: "burst", a: "kit-threads", b: "piscina", atLeast: 3, chapters: "04, 06" },
  { kind: "ratio", scenario: "burst", a: "kit-threads", b: "python-mp-pool", atLeast: 5, chapters: "06" },
  { kind: "ratio", scenario: "latency", a: "kit-threads", b: "piscina", atLeast: 1, chapters: "04" },
  { kind: "value", scenario: "sum", metric: "speedup", implementation: "kit-threads", atLeast: 1.8, chapters: "04, 06" },
  { kind: "ratio", scenario: "sum", metric: "speedup", a: "kit-threads", b: "piscina", atLeast: 0.95, chapters: "04, 06" },
  { kind: "ratio", scenario: "map", a: "kit-threads", b: "python-mp-pool", atLeast: 1, chapters: "06" },
  { kind: "ratio", scenario: "async-queue", a: "kit-event-loop", b: "p-queue", atLeast: 2, chapters: "06" },
  { kind: "ratio", scenario: "async-queue", a: "kit-event-loop", b: "fastq", atLeast: 0.8, chapters: "06" },
  { kind: "ratio", scenario: "worker-per-task", a: "kit-threads", b: "raw-worker-per-task", atLeast: 50, chapters: "06" },
  // What explains them.
  { kind: "ratio", scenario: "worker-per-task", a: "raw-worker-reused", b: "raw-worker-per-task", chapters: "00" },
  { kind: "ratio", scenario: "worker-per-task", a: "python-thread-per-task", b: "python-process-per-task", chapters: "00" },
  { kind: "ratio", scenario: "burst", a: "piscina", b: "tinypool", chapters: "06" },
  { kind: "ratio", scenario: "burst", a: "piscina", b: "python-mp-pool", chapters: "06" },
  { kind: "ratio", scenario: "latency", a: "raw-worker-reused", b: "piscina", chapters: "04, 06" },
  { kind: "value", scenario: "sum", metric: "speedup", implementation: "piscina", chapters: "04, 06" },
  { kind: "value", scenario: "sum", metric: "speedup", implementation: "kit-event-loop", chapters: "04" },
  { kind: "value", scenario: "sum", metric: "speedup", implementation: "python-mp-pool", chapters: "06" },
  { kind: "value", scenario: "sum", metric: "speedup", implementation: "python-thread-pool", chapters: "06" },
  { kind: "value", scenario: "pbkdf2", metric: "speedup", implementation: "python-thread-pool", chapters: "06" },
  { kind: "value", scenario: "pbkdf2", metric: "speedup", implementation: "libuv-1", chapters: "06" },
  { kind: "value", scenario: "pbkdf2", metric: "speedup", implementation: "libuv-4", chapters: "06" },
  { kind: "ratio", scenario: "io", a: "kit-event-loop", b: "kit-threads", chapters: "04" },
  { kind: "ratio", scenario: "async-queue", a: "fastq", b: "p-queue", chapters: "06" },
  { kind: "ratio", scenario: "async-queue", a: "kit-event-loop", b: "bare-queue", chapters: "06" },
  { kind: "ratio", scenario: "async-queue", a: "bare-queue", b: "p-queue", chapters: "06" },
  // Chapter 07: the queue in Postgres.
  { kind: "value", scenario: "pg-map", metric: "tasks_per_s", implementation: "kit-postgres", atLeast: 50_000, chapters: "07" },
  { kind: "value", scenario: "pg-map-1", metric: "tasks_per_s", implementation: "kit-postgres", atLeast: 1_500, chapters: "07" },
  { kind: "value", scenario: "pg-latency", metric: "median_ms", implementation: "kit-postgres", atMost: 5, chapters: "07" },
  { kind: "ratio", scenario: "pg-map-1", a: "kit-postgres", b: "raw-graphile-worker", chapters: "07" },
  { kind: "ratio", scenario: "pg-map", a: "kit-processes", b: "kit-postgres", chapters: "07" },
  { kind: "ratio", scenario: "pg-map-1", a: "kit-processes", b: "kit-postgres", chapters: "07" },
  { kind: "ratio", scenario: "pg-latency", metric: "median_ms", a: "kit-processes", b: "kit-postgres", chapters: "07" },
  { kind: "value", scenario: "pg-recovery", metric: "wall_ms", implementation: "kit-postgres", chapters: "07" },
  { kind: "value", scenario: "pg-start", metric: "wall_ms", implementation: "kit-postgres", chapters: "07" },
];

/** A target as measured in one run. */
export interface TargetResult {
  target: Target;
  /** "kit Pool, threads vs piscina, tiny tasks at once". */
  text: string;
  /** The ratio or the value, when both sides were measured. */
  value?: number;
  /** The metric a value target reads (a ratio is a plain number of times). */
  metric: Metric;
  /** met / missed for targets, info for explaining comparisons, missing when a side was not measured. */
  status: "met" | "missed" | "info" | "missing";
  /** Why it is missing. */
  reason?: string;
}

function labelOf(id: string, contenders: readonly Contender[]): string {
  return contenders.find((c) => c.id === id)?.label ?? KIT_LABELS[id] ?? id;
}

function whyMissing(id: string, contenders: readonly Contender[], report: BenchReport, scenario: ScenarioId): string {
  if (!contenders.some((c) => c.id === id)) return id in KIT_LABELS ? `${labelOf(id, contenders)} is not built yet` : `no implementation has the id ${id}`;
  if (report.failures.some((f) => f.implementation === id && f.scenario === scenario)) return `${labelOf(id, contenders)} failed`;
  return `${labelOf(id, contenders)} was not run`;
}

/** Every target, evaluated against the medians of `report`. */
export function evaluateTargets(report: BenchReport, contenders: readonly Contender[], targets = TARGETS): TargetResult[] {
  return targets.map((target) => {
    const scenario = scenarioById(target.scenario);
    const metricId = target.metric ?? (scenario.metrics[0] as { id: MetricId }).id;
    const metric = scenario.metrics.find((m) => m.id === metricId);
    if (!metric) throw new RangeError(`scenario ${scenario.id} reports no ${metricId}`);
    const phrase = scenario.phrase(paramsOf(report, scenario));
    const suffix = metricId === "speedup" ? ": speed-up over serial" : target.kind === "value" ? `, ${metric.unit}` : "";
    const ids = target.kind === "ratio" ? [target.a, target.b] : [target.implementation];
    const text =
      target.kind === "ratio"
        ? `${labelOf(target.a, contenders)} vs ${labelOf(target.b, contenders)}, ${phrase}${suffix}`
        : `${labelOf(target.implementation, contenders)}, ${phrase}${suffix}`;
    const found = ids.map((id) => findMeasurement(report, target.scenario, metricId, id));
    const missing = ids.find((_, i) => found[i] === undefined);
    if (missing !== undefined) return { target, text, metric, status: "missing", reason: whyMissing(missing, contenders, report, target.scenario) };
    const [a, b] = found.map((m) => (m as { median: number }).median) as [number, number | undefined];
    const value = b === undefined ? a : ratio(a, b, metric.better);
    const atMost = target.kind === "value" ? target.atMost : undefined;
    const status =
      target.atLeast !== undefined ? (value >= target.atLeast ? "met" : "missed") : atMost !== undefined ? (value <= atMost ? "met" : "missed") : "info";
    return { target, text, metric, value, status };
  });
}

/** How a target's number reads: a ratio or a speed-up as "3.42×", a value with its unit ("1,734 tasks/s"). */
function formatTargetNumber(value: number, target: Target, metric: Metric): string {
  return target.kind === "ratio" || metric.id === "speedup" ? formatTimes(value) : `${formatNumber(value)} ${metric.short}`;
}

/** A target's measured value as text, or why it was not measured. */
export function describeMeasured(result: TargetResult): string {
  return result.value === undefined ? `not measured: ${result.reason}` : formatTargetNumber(result.value, result.target, result.metric);
}

/** A target's goal as text ("≥ 3×", "≤ 5 ms"), or "" for a comparison that only explains. */
export function describeGoal(result: TargetResult): string {
  const { target, metric } = result;
  if (target.atLeast !== undefined) return `≥ ${formatTargetNumber(target.atLeast, target, metric)}`;
  if (target.kind === "value" && target.atMost !== undefined) return `≤ ${formatTargetNumber(target.atMost, target, metric)}`;
  return "";
}

/** A target result as one line of text: "… : 3.42× (target ≥ 3×)". */
export function describeTarget(result: TargetResult): string {
  const goal = describeGoal(result);
  return `${result.text}: ${describeMeasured(result)}${goal ? ` (target ${goal})` : ""}`;
}
