/** `npm run bench`: parses the options, runs the benchmark, prints and writes the results. */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { ROOT, fromRoot } from "../course/paths.js";
import { bold, dim, mark, red, yellow } from "../course/style.js";
import { formatDuration } from "./format.js";
import { writeResults } from "./output.js";
import { loadContenders } from "./registry.js";
import { describeBudget, describeStamp, jsonLines, terminalReport } from "./report.js";
import { runBench, stopRunningChild, type Progress } from "./runner.js";
import { isScenarioId, SCENARIOS, type ScenarioId } from "./scenarios.js";
import { evaluateTargets } from "./targets.js";

const USAGE = `usage: npm run bench -- [options]
  -s, --scenario LIST   only these scenarios (comma-separated ids; --list shows them)
  -i, --impl LIST       only these implementations (ids; a trailing * matches a prefix: python-*)
  --reps N              repetitions of each measurement, each in a fresh process (default 5)
  --quick               smaller sizes and 3 repetitions: a quick look, not for citing
  --json                print one JSON object per measurement instead of the tables
  --out DIR             write the results folder here
  --python BIN          the Python interpreter (default python3); --no-python leaves Python out
  --list                list the scenarios and implementations

A complete default run writes bench-results/latest/, the results the chapters
cite; any other run writes bench-results/tmp/<date>/ unless --out says where.`;

/** The results folder of the run the chapters cite. */
export const LATEST = join(ROOT, "bench-results", "latest");

const DEFAULT_REPETITIONS = 5;
const QUICK_REPETITIONS = 3;

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(",").map((s) => s.trim()).filter(Boolean);
}

function progressLine(p: Progress): string {
  return (
    `[${String(p.done).padStart(String(p.total).length)}/${p.total}] round ${p.round}/${p.rounds} · ${p.scenario} · ${p.implementation} ${mark(p.ok)}` +
    ` · ${formatDuration(p.elapsedMs / 1000)} elapsed, about ${formatDuration(p.etaMs / 1000)} left`
  );
}

/** Runs the command; resolves to the exit code (1 if any measurement failed). */
export async function benchCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        scenario: { type: "string", short: "s" },
        impl: { type: "string", short: "i" },
        reps: { type: "string" },
        quick: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        out: { type: "string" },
        python: { type: "string", default: "python3" },
        "no-python": { type: "boolean", default: false },
        list: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const contenders = await loadContenders();
  if (parsed.list) {
    console.log(bold("Scenarios"));
    for (const s of SCENARIOS) console.log(`  ${s.id.padEnd(16)} ${s.title(s.params)}`);
    console.log(bold("\nImplementations"));
    for (const c of contenders) console.log(`  ${c.id.padEnd(24)} ${c.label} ${dim(`(${c.scenarios.join(", ")})`)}`);
    return 0;
  }
  const scenarios = list(parsed.scenario);
  const unknownScenarios = (scenarios ?? []).filter((s) => !isScenarioId(s));
  if (unknownScenarios.length > 0) {
    console.error(`Unknown scenario ${unknownScenarios.join(", ")}; the scenarios are ${SCENARIOS.map((s) => s.id).join(", ")}.`);
    return 2;
  }
  const implementations = list(parsed.impl);
  const repetitions = parsed.reps === undefined ? (parsed.quick ? QUICK_REPETITIONS : DEFAULT_REPETITIONS) : Number(parsed.reps);
  if (!Number.isInteger(repetitions) || repetitions < 1) {
    console.error(`--reps must be a whole number ≥ 1, got ${parsed.reps}`);
    return 2;
  }
  const python = parsed["no-python"] ? null : parsed.python;
  const tty = process.stderr.isTTY === true;
  let lastPrinted = 0;
  const onProgress = (p: Progress) => {
    const line = progressLine(p);
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else if (!p.ok || p.done === p.total || p.elapsedMs - lastPrinted > 15_000) {
      lastPrinted = p.elapsedMs;
      process.stderr.write(`${line}\n`);
    }
  };
  const interrupt = () => {
    stopRunningChild();
    process.stderr.write("\ninterrupted\n");
    process.exit(130);
  };
  process.on("SIGINT", interrupt);
  let result;
  try {
    result = await runBench({
      ...(scenarios ? { scenarios: scenarios as ScenarioId[] } : {}),
      ...(implementations ? { implementations } : {}),
      repetitions,
      quick: parsed.quick,
      python,
      onProgress,
    });
  } finally {
    process.off("SIGINT", interrupt);
    if (tty) process.stderr.write("\n");
  }
  const { report } = result;
  const targets = evaluateTargets(report, result.contenders);
  const complete =
    scenarios === undefined && implementations === undefined && repetitions === DEFAULT_REPETITIONS && !parsed.quick && report.stamp.python !== null;
  const folder = parsed.out ?? (complete && report.failures.length === 0 ? LATEST : join(ROOT, "bench-results", "tmp", report.stamp.date.replace(/[:.]/g, "-")));
  const written = writeResults(report, targets, folder);
  if (parsed.json) {
    console.log(jsonLines(report));
  } else {
    console.log(bold("Pools by Hand · benchmark"));
    console.log(dim(describeStamp(report.stamp)));
    console.log(dim(`Time per scenario: ${describeBudget(report.stamp)}.`));
    console.log(terminalReport(report, targets, { bold, dim, mark }));
    for (const note of report.notes) console.log(yellow(`\n${note}`));
  }
  const out = parsed.json ? console.error : console.log;
  if (report.failures.length > 0) {
    out(red(`\n${report.failures.length} measurement(s) failed; their pairs were not run again:`));
    for (const f of report.failures) out(red(`  ✗ ${f.scenario} · ${f.implementation} · run ${f.run}:\n${f.error.trim().split("\n").slice(0, 8).map((l) => `      ${l}`).join("\n")}`));
  }
  out(dim(`\nResults written to ${fromRoot(folder)}/ (${written.join(", ")}); the run took ${formatDuration(report.stamp.wallSeconds)}.`));
  if (complete && folder !== LATEST && parsed.out === undefined) out(yellow("A measurement failed, so bench-results/latest/ was left as it was."));
  return report.failures.length > 0 ? 1 : 0;
}
