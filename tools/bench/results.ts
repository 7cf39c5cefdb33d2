/** What a benchmark run produced, as the reports, results.json and `--json` carry it. */
import type { Family } from "./implementation.js";
import type { MetricId, Params, Scenario, ScenarioId } from "./scenarios.js";
import type { Summary } from "./stats.js";

/** One metric of one implementation in one scenario, over all its runs: one line of `--json`. */
export interface Measurement extends Summary {
  scenario: ScenarioId;
  implementation: string;
  label: string;
  family: Family;
  metric: MetricId;
  unit: string;
  better: "lower" | "higher";
}

/** A measurement that could not be made: a crash, a timeout, or a wrong result. */
export interface Failure {
  scenario: ScenarioId;
  implementation: string;
  /** Which repetition failed (1-based). */
  run: number;
  error: string;
}

/** Where and how the run was made. */
export interface Stamp {
  /** When the run started, ISO 8601. */
  date: string;
  node: string;
  /** "3.11.7 (multiprocessing start method: fork)", or null when python3 was not found. */
  python: string | null;
  cpu: string;
  cores: number;
  os: string;
  /** The 1-minute load average at the start, its highest after any child, and at the end: a busy machine shows here. */
  loadAverage: { start: number; max: number; end: number };
  /** Versions of the libraries measured. */
  libraries: Record<string, string>;
  repetitions: number;
  quick: boolean;
  workers: number;
  /** The whole run's wall time. */
  wallSeconds: number;
  /** The wall time of each scenario's child processes, all repetitions: where the run's time goes. */
  scenarioSeconds: Partial<Record<ScenarioId, number>>;
  /** The commit the run was made on, if known. */
  commit?: string;
}

/** A whole run. */
export interface BenchReport {
  stamp: Stamp;
  /** The scenarios run, in table order. */
  scenarios: ScenarioId[];
  /** The parameters each scenario ran with. */
  params: Partial<Record<ScenarioId, Params>>;
  measurements: Measurement[];
  failures: Failure[];
  /** Notes printed with the results (e.g. Python skipped). */
  notes: string[];
}

/** The measurements of one scenario and metric, in table order. */
export function measurementsOf(report: Pick<BenchReport, "measurements">, scenario: ScenarioId, metric: MetricId): Measurement[] {
  return report.measurements.filter((m) => m.scenario === scenario && m.metric === metric);
}

/** The one measurement of an implementation, scenario and metric, if it was made. */
export function findMeasurement(
  report: Pick<BenchReport, "measurements">,
  scenario: ScenarioId,
  metric: MetricId,
  implementation: string,
): Measurement | undefined {
  return report.measurements.find((m) => m.scenario === scenario && m.metric === metric && m.implementation === implementation);
}

/** The parameters a scenario ran with in this report (its defaults if the report does not say). */
export function paramsOf(report: Pick<BenchReport, "params">, scenario: Scenario): Params {
  return report.params[scenario.id] ?? scenario.params;
}
