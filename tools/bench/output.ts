/** Writes the results folder: results.md, results.json and one SVG chart per scenario. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { markdownReport } from "./report.js";
import { measurementsOf, paramsOf, type BenchReport } from "./results.js";
import { scenario as scenarioById, type ScenarioId } from "./scenarios.js";
import { barChart } from "./svg.js";
import type { TargetResult } from "./targets.js";

/** The chart of one scenario's headline metric, or undefined when nothing was measured. */
export function scenarioChart(report: BenchReport, id: ScenarioId): string | undefined {
  const scenario = scenarioById(id);
  const headline = scenario.metrics[0];
  if (!headline) return undefined;
  const bars = measurementsOf(report, id, headline.id);
  if (bars.length === 0) return undefined;
  const { stamp } = report;
  const params = paramsOf(report, scenario);
  const reference =
    headline.id === "speedup"
      ? { value: 1, label: "serial" }
      : params.kind === "burst" && params.task === "wait"
        ? { value: (params.n * (params.waitMs ?? 0)) / stamp.workers, label: "ideal" }
        : undefined;
  return barChart({
    ...(reference ? { reference } : {}),
    title: scenario.title(params),
    unit: headline.short,
    measure: headline.unit,
    better: headline.better,
    bars,
    runs: stamp.repetitions,
    footnote: `${stamp.date.slice(0, 10)} · Node ${stamp.node}${stamp.python ? ` · Python ${stamp.python.split(" ")[0]}` : ""} · ${stamp.cpu} × ${stamp.cores} cores · npm run bench`,
  });
}

/** Replaces the results files in `folder` (other files there are left alone). */
export function writeResults(report: BenchReport, targets: readonly TargetResult[], folder: string): string[] {
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(folder)) {
    if (name.endsWith(".svg") || name === "results.md" || name === "results.json") rmSync(join(folder, name));
  }
  const charts: Partial<Record<ScenarioId, string>> = {};
  const written: string[] = [];
  for (const id of report.scenarios) {
    const svg = scenarioChart(report, id);
    if (svg === undefined) continue;
    charts[id] = `${id}.svg`;
    writeFileSync(join(folder, `${id}.svg`), svg);
    written.push(`${id}.svg`);
  }
  writeFileSync(join(folder, "results.md"), markdownReport(report, targets, charts));
  const evaluated = targets.map(({ target, text, value, status, reason }) => ({ ...target, text, value, status, reason }));
  writeFileSync(join(folder, "results.json"), `${JSON.stringify({ ...report, targets: evaluated }, null, 2)}\n`);
  return ["results.md", "results.json", ...written];
}
