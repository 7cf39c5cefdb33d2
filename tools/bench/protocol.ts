/** What the runner sends each child process and what it reads back, in both languages. */
import type { MetricId, Params, ScenarioId } from "./scenarios.js";

/** The prefix of the one line a child prints with its result. */
export const RESULT_MARKER = "BENCH-RESULT ";

/** One measurement to make, given to the child as its one argument, in JSON. */
export interface ChildJob {
  scenario: ScenarioId;
  implementation: string;
  params: Params;
  workers: number;
}

/** The child's answer. */
export type ChildOutput =
  | { ok: true; metrics: Partial<Record<MetricId, number>>; checked: string }
  | { ok: false; error: string };

/** The child's answer found in its stdout, or undefined if it printed none. */
export function parseChildOutput(stdout: string): ChildOutput | undefined {
  const line = stdout.split("\n").findLast((l) => l.startsWith(RESULT_MARKER));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_MARKER.length)) as ChildOutput);
}
