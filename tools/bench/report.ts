/**
 * The run's results as text: the terminal tables, `--json` lines, and the
 * markdown page of the results folder. Pure functions of a BenchReport.
 */
import { formatBare, formatDuration } from "./format.js";
import { measurementsOf, paramsOf, type BenchReport, type Stamp } from "./results.js";
import { scenario as scenarioById, SCENARIOS, type Scenario, type ScenarioId } from "./scenarios.js";
import { describeGoal, describeMeasured, describeTarget, type TargetResult } from "./targets.js";

/** A scenario's table: its heading cells and one row of cells per implementation. */
export interface Table {
  head: string[];
  rows: string[][];
}

/**
 * One row per implementation measured in the scenario: its label, then for the
 * headline metric "median (min – max)", for the others the median, then the runs.
 */
export function scenarioTable(report: BenchReport, scenario: Scenario): Table {
  const [headline, ...others] = scenario.metrics;
  if (!headline) throw new RangeError(`scenario ${scenario.id} has no metric`);
  const unit = (id: string, unitText: string) => (id === "speedup" ? "speed-up" : unitText);
  const head = [
    "implementation",
    `${unit(headline.id, headline.unit)}: median (min – max)`,
    ...others.map((m) => `${unit(m.id, m.unit)}: median`),
    "runs",
  ];
  const rows = measurementsOf(report, scenario.id, headline.id).map((m) => {
    const secondary = others.map((metric) => {
      const other = measurementsOf(report, scenario.id, metric.id).find((o) => o.implementation === m.implementation);
      return other ? formatBare(other.median, metric) : "–";
    });
    return [
      m.label,
      `${formatBare(m.median, headline)} (${formatBare(m.min, headline)} – ${formatBare(m.max, headline)})`,
      ...secondary,
      String(m.runs),
    ];
  });
  return { head, rows };
}

/** The stamp as one sentence. */
export function describeStamp(stamp: Stamp): string {
  const python = stamp.python === null ? "no Python" : `Python ${stamp.python}`;
  const libraries = Object.entries(stamp.libraries).map(([name, version]) => `${name} ${version}`).join(", ");
  return (
    `${stamp.date.slice(0, 10)} on ${stamp.cpu} × ${stamp.cores} cores (${stamp.os}), Node ${stamp.node}, ${python}` +
    `${libraries ? `, ${libraries}` : ""}. Every pool pinned at ${stamp.workers} workers; ${stamp.repetitions} repetitions` +
    ` of each measurement, each in a fresh process${stamp.quick ? ", quick sizes" : ""}. Load average ${stamp.loadAverage.start.toFixed(2)}` +
    ` at the start, ${stamp.loadAverage.max.toFixed(2)} at most, ${stamp.loadAverage.end.toFixed(2)} at the end; the run took ${formatDuration(stamp.wallSeconds)}.`
  );
}

/**
 * What the load average says about a run, or nothing when it says nothing.
 * The run adds load of its own (a main process and two workers, and Postgres
 * in its scenarios), so only the load before it started shows other work.
 */
export function loadNote(load: Stamp["loadAverage"], cores: number): string | undefined {
  const before = `${load.start.toFixed(2)} when the run started`;
  if (load.start > cores / 2) {
    return (
      `The machine was busy: the 1-minute load average was ${before}, on ${cores} cores, so other processes shared the CPUs. ` +
      "Speed-ups are understated and ranges wide; re-run on a quiet machine before citing these figures."
    );
  }
  if (load.max > cores) {
    return (
      `The 1-minute load average reached ${load.max.toFixed(2)} on ${cores} cores, from ${before}. Most of the rise is the run ` +
      "itself (each measurement runs a main process and two workers, the Postgres scenarios a server too), but other " +
      "work may have joined it: compare runs before reading much into a small difference."
    );
  }
  return undefined;
}

/** Where the run's time went: "startup 21 s · burst 1 min 40 s · …". */
export function describeBudget(stamp: Stamp): string {
  return SCENARIOS.filter((s) => stamp.scenarioSeconds[s.id] !== undefined)
    .map((s) => `${s.id} ${formatDuration(stamp.scenarioSeconds[s.id] as number)}`)
    .join(" · ");
}

const SYMBOL: Record<TargetResult["status"], string> = { met: "✓", missed: "✗", info: "·", missing: "–" };

/** The markdown page of the results folder. `charts` are the SVG file names, by scenario. */
export function markdownReport(report: BenchReport, targets: readonly TargetResult[], charts: Partial<Record<ScenarioId, string>>): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const table = ({ head, rows }: Table) =>
    [head, head.map(() => "---"), ...rows].map((row) => `| ${row.map(cell).join(" | ")} |`).join("\n");
  const lines = [
    "# Benchmark results",
    "",
    `Measured ${describeStamp(report.stamp)}`,
    "",
    "Made by `npm run bench`; tools/bench/README.md describes the scenarios and the rules that keep them fair.",
    "",
    `Time per scenario, all repetitions: ${describeBudget(report.stamp)}.`,
    ...report.notes.map((note) => `\n${note}`),
    "",
    "## Targets and comparisons",
    "",
    table({
      head: ["", "comparison", "measured", "target", "chapters"],
      rows: targets.map((t) => [
        SYMBOL[t.status],
        t.text,
        describeMeasured(t),
        describeGoal(t),
        t.target.chapters,
      ]),
    }),
  ];
  for (const id of report.scenarios) {
    const scenario = scenarioById(id);
    const title = scenario.title(paramsOf(report, scenario));
    lines.push("", `## ${title}`, "", scenario.about(paramsOf(report, scenario)), "");
    if (charts[id]) lines.push(`![${title}](./${charts[id]})`, "");
    const t = scenarioTable(report, scenario);
    lines.push(t.rows.length > 0 ? table(t) : "Nothing was measured.");
  }
  if (report.failures.length > 0) {
    lines.push("", "## Failures", "");
    for (const f of report.failures) lines.push(`- ${f.scenario} · ${f.implementation} · run ${f.run}: ${f.error.split("\n")[0]}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The terminal's version: the tables padded into columns, then the targets. */
export function terminalReport(
  report: BenchReport,
  targets: readonly TargetResult[],
  style: { bold: (s: string) => string; dim: (s: string) => string; mark: (ok: boolean) => string },
): string {
  const lines: string[] = [];
  for (const id of report.scenarios) {
    const scenario = scenarioById(id);
    const { head, rows } = scenarioTable(report, scenario);
    const params = paramsOf(report, scenario);
    lines.push("", style.bold(scenario.title(params)), style.dim(`  ${scenario.about(params)}`));
    if (rows.length === 0) {
      lines.push("  nothing was measured");
      continue;
    }
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const render = (row: string[]) => `  ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("   ")}`;
    lines.push(style.dim(render(head)), ...rows.map(render));
  }
  lines.push("", style.bold("Targets and comparisons"));
  for (const t of targets) {
    const symbol = t.status === "met" || t.status === "missed" ? style.mark(t.status === "met") : style.dim(SYMBOL[t.status]);
    lines.push(`  ${symbol} ${t.status === "missing" ? style.dim(describeTarget(t)) : describeTarget(t)}`);
  }
  return lines.join("\n");
}

/** `--json`: one JSON object per measurement, one per line. */
export function jsonLines(report: BenchReport): string {
  return report.measurements
    .map(({ scenario, implementation, metric, median, min, max, runs, unit, better, values }) =>
      JSON.stringify({ scenario, implementation, metric, median, min, max, runs, unit, better, values }),
    )
    .join("\n");
}

