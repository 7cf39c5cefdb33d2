/**
 * The benchmark harness's smoke test: its statistics and formulas on fixed
 * inputs, its renderers, its wrong-result check, and one tiny real run of one
 * scenario for two implementations, each in its own child process. No
 * assertion here is about speed; speed belongs in `npm run bench`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { within } from "../../testkit/index.js";
import type { Implementation } from "./implementation.js";
import { measure, sumRanges, triangular, WrongResultError } from "./measure.js";
import { writeResults } from "./output.js";
import { parseChildOutput, RESULT_MARKER } from "./protocol.js";
import { loadContenders, loadImplementations, type Contender } from "./registry.js";
import { jsonLines, loadNote, markdownReport, scenarioTable, terminalReport } from "./report.js";
import type { BenchReport, Measurement } from "./results.js";
import { matches, planJobs, runBench, runChild, shuffled } from "./runner.js";
import { scenario, SCENARIOS } from "./scenarios.js";
import { median, ratio, summarise } from "./stats.js";
import { axisEnd, barChart, escapeXml, tickStep } from "./svg.js";
import { describeTarget, evaluateTargets, KIT_LABELS, TARGETS, type TargetResult } from "./targets.js";
import runTask, { sumRange } from "./tasks.js";
import { formatNumber, formatTimes } from "./format.js";

describe("statistics", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]), RangeError);
  });

  it("summarises runs as median, min, max and count, keeping their order", () => {
    assert.deepEqual(summarise([70, 132, 68, 71, 131]), { median: 71, min: 68, max: 132, runs: 5, values: [70, 132, 68, 71, 131] });
    assert.throws(() => summarise([1, Number.NaN]), RangeError);
  });

  it("turns two medians into how many times better the first is", () => {
    assert.equal(ratio(300, 100, "higher"), 3); // tasks per second
    assert.equal(ratio(50, 100, "lower"), 2); // milliseconds
  });
});

describe("workloads", () => {
  it("sums 1..n exactly, and splits it into ranges that cover it once", () => {
    assert.equal(triangular(100_000_000), 5_000_000_050_000_000);
    assert.ok(triangular(100_000_000) < 2 ** 53);
    assert.throws(() => triangular(200_000_000), RangeError);
    const ranges = sumRanges(1_003, 10);
    assert.deepEqual(ranges[0], [1, 100]);
    assert.deepEqual(ranges.at(-1), [901, 1_003]);
    assert.equal(ranges.reduce((total, [start, end]) => total + sumRange(start, end), 0), triangular(1_003));
  });

  it("runs a task by name, and refuses a name it does not know", async () => {
    assert.equal(runTask({ fn: "add", args: [2, 3] }), 5);
    assert.equal(await runTask({ fn: "wait", args: [1, "done"] }), "done");
    assert.deepEqual(runTask({ fn: "mapChunk", args: ["double", [1, 2]] }), [2, 4]);
    assert.throws(() => runTask({ fn: "nope" as "add", args: [] }), TypeError);
  });

  it("fails a measurement loudly when a pool returns a wrong result", async () => {
    const liar: Implementation = {
      id: "liar",
      label: "liar",
      family: "baseline",
      scenarios: ["burst"],
      async open() {
        return { call: async (_fn, args) => (args[0] === 7 ? -1 : (args[0] as number) + 1), close: async () => {} };
      },
    };
    await assert.rejects(within(measure(liar, { kind: "burst", task: "add", n: 10, warmup: 1 }, 2), "the liar's burst"), (error: Error) => {
      assert.ok(error instanceof WrongResultError);
      assert.match(error.message, /add call 7: expected 8, got -1/);
      return true;
    });
  });
});

describe("registry and plan", () => {
  it("finds every Node implementation, each with a unique id and known scenarios", async () => {
    const implementations = await loadImplementations();
    const ids = implementations.map((i) => i.id);
    assert.ok(ids.includes("piscina") && ids.includes("libuv-4") && ids.includes("raw-worker-per-task"));
    assert.equal(new Set(ids).size, ids.length);
    const contenders = await loadContenders();
    assert.ok(contenders.some((c) => c.id === "python-mp-pool" && c.language === "python"));
  });

  it("names in its targets only implementations that exist or are the kit's, still to come", async () => {
    const known = new Set((await loadContenders()).map((c) => c.id));
    for (const target of TARGETS) {
      const ids = target.kind === "ratio" ? [target.a, target.b] : [target.implementation];
      for (const id of ids) assert.ok(known.has(id) || id in KIT_LABELS, `${id} in a target`);
    }
  });

  it("plans the selected pairs, and shuffles each round the same way every time", async () => {
    const contenders = await loadContenders();
    const jobs = planJobs(contenders, { scenarios: ["pbkdf2"], implementations: ["libuv-*", "piscina"] });
    assert.deepEqual(jobs.map((j) => j.contender.id), ["piscina", "libuv-1", "libuv-2", "libuv-4", "libuv-8"]);
    assert.ok(matches("python-mp-pool", ["python-*"]) && !matches("piscina", ["pisc"]));
    const order = shuffled([1, 2, 3, 4, 5, 6, 7, 8], 3);
    assert.deepEqual(shuffled([1, 2, 3, 4, 5, 6, 7, 8], 3), order);
    assert.deepEqual([...order].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.notDeepEqual(shuffled([1, 2, 3, 4, 5, 6, 7, 8], 4), order);
  });

  it("reads a child's answer from its last result line", () => {
    assert.deepEqual(parseChildOutput(`noise\n${RESULT_MARKER}{"ok":false,"error":"x"}\n`), { ok: false, error: "x" });
    assert.equal(parseChildOutput("nothing here\n"), undefined);
  });
});

const stamp = {
  date: "2026-01-02T03:04:05.000Z",
  node: "v20.20.2",
  python: "3.11.7 (multiprocessing start method: fork)",
  cpu: "Test CPU",
  cores: 2,
  os: "Linux",
  loadAverage: { start: 0.5, max: 0.9, end: 0.7 },
  libraries: { piscina: "5.3.2" },
  repetitions: 5,
  quick: false,
  workers: 2,
  wallSeconds: 123,
  scenarioSeconds: { sum: 43, burst: 80 },
};

function measurement(scenarioId: Measurement["scenario"], implementation: string, metric: Measurement["metric"], values: number[]): Measurement {
  const m = scenario(scenarioId).metrics.find((x) => x.id === metric);
  assert.ok(m);
  return { scenario: scenarioId, implementation, label: `<${implementation}>`, family: "node-pool", metric, unit: m.unit, better: m.better, ...summarise(values) };
}

const fixedReport: BenchReport = {
  stamp,
  scenarios: ["burst", "sum"],
  params: { burst: scenario("burst").params, sum: scenario("sum").params },
  measurements: [
    measurement("burst", "piscina", "tasks_per_s", [20_000, 22_000, 21_000]),
    measurement("burst", "python-mp-pool", "tasks_per_s", [40_000, 42_000, 41_000]),
    measurement("sum", "piscina", "speedup", [1.8, 1.9, 1.7]),
    measurement("sum", "piscina", "wall_ms", [70, 72, 68]),
    measurement("sum", "piscina", "serial_ms", [130, 131, 129]),
  ],
  failures: [{ scenario: "sum", implementation: "tinypool", run: 2, error: "WrongResultError: pooled sum" }],
  notes: [],
};

describe("reports", () => {
  const contenders: Contender[] = [
    { id: "piscina", label: "piscina", family: "node-pool", language: "node", scenarios: ["burst", "sum"] },
    { id: "tinypool", label: "tinypool", family: "node-pool", language: "node", scenarios: ["sum"] },
    { id: "python-mp-pool", label: "mp.Pool", family: "python", language: "python", scenarios: ["burst"] },
  ];

  it("evaluates targets: met, missed, explaining, and missing with the reason", () => {
    const results = evaluateTargets(fixedReport, contenders, [
      { kind: "ratio", scenario: "burst", a: "python-mp-pool", b: "piscina", atLeast: 1.5, chapters: "06" },
      { kind: "ratio", scenario: "burst", a: "piscina", b: "python-mp-pool", atLeast: 1, chapters: "06" },
      { kind: "value", scenario: "sum", metric: "speedup", implementation: "piscina", chapters: "04" },
      { kind: "ratio", scenario: "burst", a: "kit-threads", b: "piscina", atLeast: 3, chapters: "04" },
      { kind: "value", scenario: "sum", metric: "speedup", implementation: "tinypool", chapters: "04" },
    ]);
    assert.deepEqual(results.map((r) => r.status), ["met", "missed", "info", "missing", "missing"]);
    assert.equal(results[0]?.value, 41_000 / 21_000);
    assert.equal(results[2]?.value, 1.8);
    assert.equal(results[3]?.reason, "kit Pool, threads is not built yet");
    assert.equal(results[4]?.reason, "tinypool failed");
    assert.equal(results[0]?.text, "mp.Pool vs piscina, 50,000 tiny tasks at once");
  });

  it("reads a value target with its unit, against a floor or a ceiling (chapter 07's)", () => {
    const report: BenchReport = {
      ...fixedReport,
      scenarios: ["pg-latency"],
      params: { "pg-latency": scenario("pg-latency").params },
      measurements: [measurement("pg-latency", "kit-postgres", "median_ms", [3.1, 2.9, 4])],
    };
    const kit: Contender[] = [{ id: "kit-postgres", label: "kit Pool, Postgres queue", family: "kit", language: "node", scenarios: ["pg-latency"] }];
    const [met, missed] = evaluateTargets(report, kit, [
      { kind: "value", scenario: "pg-latency", metric: "median_ms", implementation: "kit-postgres", atMost: 5, chapters: "07" },
      { kind: "value", scenario: "pg-latency", metric: "median_ms", implementation: "kit-postgres", atMost: 2, chapters: "07" },
    ]);
    assert.equal(met?.status, "met");
    assert.equal(missed?.status, "missed");
    assert.equal(
      describeTarget(met as TargetResult),
      "kit Pool, Postgres queue, apply round trip through the queue, ms per call, median of each run: 3.10 ms (target ≤ 5.00 ms)",
    );
  });

  it("tabulates a scenario: headline with its range, other metrics' medians, runs", () => {
    const table = scenarioTable(fixedReport, scenario("sum"));
    assert.deepEqual(table.head, ["implementation", "speed-up: median (min – max)", "ms: median", "ms serial: median", "runs"]);
    assert.deepEqual(table.rows, [["<piscina>", "1.80× (1.70× – 1.90×)", "70.0", "130", "3"]]);
    assert.equal(formatNumber(48_213.4), "48,213");
    assert.equal(formatNumber(0.41234), "0.412");
    assert.equal(formatTimes(3.4249), "3.42×");
  });

  it("writes markdown with the stamp, the targets, each table and its chart", () => {
    const targets = evaluateTargets(fixedReport, contenders);
    const markdown = markdownReport(fixedReport, targets, { burst: "burst.svg" });
    assert.match(markdown, /^# Benchmark results/);
    assert.match(markdown, /2026-01-02 on Test CPU × 2 cores \(Linux\), Node v20\.20\.2, Python 3\.11\.7/);
    assert.match(markdown, /Time per scenario, all repetitions: burst 1 min 20 s · sum 43\.0 s\./);
    assert.match(markdown, /!\[50,000 tiny tasks submitted at once\]\(\.\/burst\.svg\)/);
    assert.match(markdown, /\| <python-mp-pool> \| 41,000 \(40,000 – 42,000\) \| 3 \|/);
    assert.match(markdown, /## Failures\n\n- sum · tinypool · run 2: WrongResultError: pooled sum/);
    const plain = { bold: (s: string) => s, dim: (s: string) => s, mark: (ok: boolean) => (ok ? "✓" : "✗") };
    assert.match(terminalReport(fixedReport, targets, plain), /<piscina>\s+21,000 \(20,000 – 22,000\)\s+3/);
  });

  it("prints one JSON object per measurement with the fields the chapters read", () => {
    const lines = jsonLines(fixedReport).split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, fixedReport.measurements.length);
    assert.deepEqual(Object.keys(lines[0] ?? {}).slice(0, 7), ["scenario", "implementation", "metric", "median", "min", "max", "runs"]);
    assert.deepEqual(lines[0], { scenario: "burst", implementation: "piscina", metric: "tasks_per_s", median: 21_000, min: 20_000, max: 22_000, runs: 3, unit: "tasks/s", better: "higher", values: [20_000, 22_000, 21_000] });
  });

  it("draws a bar chart: a bar and a value per implementation, text escaped", () => {
    const svg = barChart({
      title: "A <fast> & fair chart",
      unit: "tasks/s",
      measure: "tasks per second",
      better: "higher",
      runs: 5,
      reference: { value: 10, label: "ideal" },
      bars: [
        { label: "pool \"one\"", family: "node-pool", median: 20, min: 18, max: 22 },
        { label: "inline", family: "baseline", median: 5_000, min: 4_000, max: 6_000 },
      ],
    });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    assert.ok(svg.includes("A &#60;fast&#62; &#38; fair chart"));
    assert.ok(svg.includes("pool &#34;one&#34;"));
    assert.ok(svg.includes(">20.0 tasks/s<") && svg.includes(">5,000 tasks/s<") && svg.includes(">ideal<"));
    assert.equal((svg.match(/<rect [^>]*rx="2"/g) ?? []).length, 2 + 2); // two bars, two legend keys
    assert.doesNotMatch(svg, /NaN|undefined/);
    // The inline baseline is far off the scale, so the axis stops above the pools.
    assert.equal(axisEnd([{ label: "", family: "node-pool", median: 20, min: 18, max: 22 }, { label: "", family: "baseline", median: 5_000, min: 4_000, max: 6_000 }], "higher"), 22 * 1.15);
    assert.equal(tickStep(1_234), 500);
    assert.equal(tickStep(0.9), 0.2);
    assert.equal(escapeXml(`<&>"'`), "&#60;&#38;&#62;&#34;&#39;");
  });
});

describe("the load note", () => {
  it("blames other work only for load that was there before the run", () => {
    assert.equal(loadNote({ start: 0.3, max: 1.8, end: 1.2 }, 2), undefined, "a quiet run needs no note");
    const own = loadNote({ start: 0.85, max: 2.92, end: 1.84 }, 2);
    assert.match(own ?? "", /reached 2\.92 on 2 cores, from 0\.85 when the run started\. Most of the rise is the run itself/);
    const busy = loadNote({ start: 3.04, max: 8.04, end: 7.5 }, 2);
    assert.match(busy ?? "", /^The machine was busy: the 1-minute load average was 3\.04 when the run started/);
    assert.match(busy ?? "", /re-run on a quiet machine/);
  });
});

describe("a tiny real run", () => {
  it("measures one scenario on two implementations, each in its own process, and writes the results", async () => {
    const { report, contenders } = await within(
      runBench({
        scenarios: ["burst"],
        implementations: ["inline", "piscina"],
        repetitions: 1,
        python: null,
        params: { burst: { kind: "burst", task: "add", n: 20, warmup: 2 } },
        timeoutMs: 30_000,
      }),
      "a one-repetition burst of 20 tasks on inline and piscina",
      60_000,
    );
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      report.measurements.map((m) => [m.scenario, m.implementation, m.metric, m.runs]),
      [
        ["burst", "piscina", "tasks_per_s", 1],
        ["burst", "inline", "tasks_per_s", 1],
      ],
    );
    assert.ok(report.measurements.every((m) => m.median > 0));
    assert.equal(report.stamp.python, null);
    assert.match(report.notes.join(" "), /Python's pools were left out/);
    const folder = mkdtempSync(join(tmpdir(), "bench-test-"));
    try {
      const written = writeResults(report, evaluateTargets(report, contenders), folder);
      assert.deepEqual(written, ["results.md", "results.json", "burst.svg"]);
      assert.match(readFileSync(join(folder, "results.md"), "utf8"), /20 tiny tasks submitted at once/);
      assert.ok(existsSync(join(folder, "burst.svg")));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("reports a child that cannot run its job as a failure, with the child's reason", async () => {
    const ghost: Contender = { id: "ghost", label: "ghost", family: "baseline", language: "node", scenarios: ["burst"] };
    const output = await within(runChild({ scenario: scenario("burst"), contender: ghost, params: { kind: "startup" } }, null, 30_000), "the ghost's child", 40_000);
    assert.equal(output.ok, false);
    assert.match(output.ok ? "" : output.error, /no Node implementation has the id ghost/);
    assert.equal(SCENARIOS.length, 14);
  });
});
