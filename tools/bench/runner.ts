/**
 * The runner: plans one child process per (implementation, scenario,
 * repetition), runs them one at a time in an order shuffled afresh for every
 * round, and gathers each metric's runs into median, min and max. A crash, a
 * timeout or a wrong result is a failure: reported loudly, and that pair is
 * not run again.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, type as osType, arch } from "node:os";
import { fileURLToPath } from "node:url";
import { ROOT } from "../course/paths.js";
import { loadNote } from "./report.js";
import { parseChildOutput, type ChildJob, type ChildOutput } from "./protocol.js";
import { loadContenders, type Contender } from "./registry.js";
import type { BenchReport, Failure, Measurement, Stamp } from "./results.js";
import { SCENARIOS, type MetricId, type Params, type Scenario, type ScenarioId } from "./scenarios.js";
import { summarise } from "./stats.js";

/** Every pool is pinned at this many workers (node-pools.md §2.2 rule 2). */
export const WORKERS = 2;

/** What to run. */
export interface RunOptions {
  /** Scenario ids; all when absent. */
  scenarios?: readonly ScenarioId[];
  /** Implementation ids, or prefixes ending in `*` ("python-*"); all when absent. */
  implementations?: readonly string[];
  repetitions: number;
  /** Use each scenario's smaller `quick` parameters. */
  quick?: boolean;
  /** Parameters to use instead of a scenario's own (the smoke test's tiny sizes). */
  params?: Partial<Record<ScenarioId, Params>>;
  /** The Python interpreter, or null to leave Python's pools out. */
  python: string | null;
  /** A child running longer than this is killed and counted as a failure. */
  timeoutMs?: number;
  /** Called after every child, for the progress line. */
  onProgress?: (progress: Progress) => void;
}

/** Where the run is. */
export interface Progress {
  done: number;
  total: number;
  round: number;
  rounds: number;
  /** The measurement just finished. */
  scenario: ScenarioId;
  implementation: string;
  ok: boolean;
  elapsedMs: number;
  /** The remaining time, estimated from the children so far. */
  etaMs: number;
}

/** One (scenario, implementation) pair with its parameters. */
export interface Job {
  scenario: Scenario;
  contender: Contender;
  params: Params;
}

/** Whether `id` matches one of the patterns (exact ids, or prefixes ending in `*`). */
export function matches(id: string, patterns: readonly string[] | undefined): boolean {
  if (patterns === undefined) return true;
  return patterns.some((p) => (p.endsWith("*") ? id.startsWith(p.slice(0, -1)) : id === p));
}

/** Every job the options select, scenarios in table order, implementations in family order. */
export function planJobs(contenders: readonly Contender[], options: Pick<RunOptions, "scenarios" | "implementations" | "quick" | "params">): Job[] {
  const jobs: Job[] = [];
  for (const scenario of SCENARIOS) {
    if (options.scenarios && !options.scenarios.includes(scenario.id)) continue;
    const params = options.params?.[scenario.id] ?? (options.quick ? scenario.quick : scenario.params);
    for (const contender of contenders) {
      if (contender.scenarios.includes(scenario.id) && matches(contender.id, options.implementations)) jobs.push({ scenario, contender, params });
    }
  }
  return jobs;
}

/** `items` in an order shuffled by a small seeded generator, so a run can be repeated exactly. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const CHILD = fileURLToPath(new URL("./child.js", import.meta.url));
const PYTHON_BENCH = `${ROOT}tools/bench/python/bench.py`;

/** The child process now running, so an interrupted run can stop it. */
let running: ReturnType<typeof spawn> | undefined;

/** Kills the child now running and everything it started (its process group). */
export function stopRunningChild(): void {
  if (running?.pid !== undefined) {
    try {
      process.kill(-running.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Runs one measurement in a fresh process and reads its answer. */
export function runChild(job: Job, python: string | null, timeoutMs: number): Promise<ChildOutput> {
  const message: ChildJob = { scenario: job.scenario.id, implementation: job.contender.id, params: job.params, workers: WORKERS };
  const env: NodeJS.ProcessEnv = { ...process.env, ...job.contender.env };
  delete env.NODE_V8_COVERAGE; // a child under c8's coverage would measure the instrumentation
  const [command, args] =
    job.contender.language === "node"
      ? [process.execPath, ["--expose-gc", "--enable-source-maps", CHILD, JSON.stringify(message)]]
      : [python ?? "python3", [PYTHON_BENCH, JSON.stringify(message)]];
  if (job.contender.language === "python") env.PYTHONDONTWRITEBYTECODE = "1";
  return new Promise((resolve) => {
    // Its own process group, so a timeout can kill the pool's processes too.
    const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    running = child;
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      stopRunningChild();
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `could not start ${command}: ${error.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      if (timedOut) return resolve({ ok: false, error: `timed out after ${timeoutMs / 1000} s\n${stderr.trim()}` });
      let output: ChildOutput | undefined;
      try {
        output = parseChildOutput(stdout);
      } catch (error) {
        return resolve({ ok: false, error: `unreadable result line: ${String(error)}` });
      }
      resolve(output ?? { ok: false, error: `exited with ${signal ?? `code ${code}`} and no result\n${stderr.trim()}` });
    });
  });
}

/** Python's version and multiprocessing start method, or null when `python` does not run. */
export function detectPython(python: string): string | null {
  const probe = spawnSync(python, ["-c", "import sys, multiprocessing as m; print(sys.version.split()[0], m.get_start_method())"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (probe.status !== 0 || probe.error) return null;
  const [version, method] = probe.stdout.trim().split(" ");
  return `${version} (multiprocessing start method: ${method})`;
}

function libraryVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of ["piscina", "tinypool", "p-queue", "fastq"]) {
    const file = `${ROOT}node_modules/${name}/package.json`;
    if (existsSync(file)) versions[name] = (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return versions;
}

function gitCommit(): string | undefined {
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  return git.status === 0 ? git.stdout.trim() : undefined;
}

/** Runs the selected jobs and summarises them. */
export async function runBench(options: RunOptions): Promise<{ report: BenchReport; contenders: Contender[] }> {
  const started = performance.now();
  const date = new Date().toISOString();
  const loadAtStart = loadavg()[0] as number;
  let loadMax = loadAtStart;
  const notes: string[] = [];
  const pythonVersion = options.python === null ? null : detectPython(options.python);
  const all = await loadContenders();
  const contenders = all.filter((c) => c.language === "node" || pythonVersion !== null);
  if (pythonVersion === null) {
    notes.push(options.python === null ? "Python's pools were left out." : `Python's pools were skipped: ${options.python} was not found.`);
  }
  const jobs = planJobs(contenders, options);
  const rounds = options.repetitions;
  // A scenario may cap its repetitions (chapter 07's start a database server each time).
  const roundsOf = (job: Job) => Math.min(rounds, job.scenario.repetitions ?? rounds);
  const total = jobs.reduce((sum, job) => sum + roundsOf(job), 0);
  const values = new Map<Job, Map<MetricId, number[]>>();
  const failures: Failure[] = [];
  const failed = new Set<Job>();
  const seconds: Partial<Record<ScenarioId, number>> = {};
  let done = 0;
  for (let round = 1; round <= rounds; round++) {
    for (const job of shuffled(jobs, round).filter((j) => round <= roundsOf(j))) {
      let ok = false;
      if (!failed.has(job)) {
        const childStarted = performance.now();
        const output = await runChild(job, options.python, options.timeoutMs ?? 180_000);
        seconds[job.scenario.id] = (seconds[job.scenario.id] ?? 0) + (performance.now() - childStarted) / 1000;
        const missing = output.ok ? job.scenario.metrics.filter((m) => typeof output.metrics[m.id] !== "number") : [];
        if (output.ok && missing.length === 0) {
          ok = true;
          const byMetric = values.get(job) ?? new Map<MetricId, number[]>();
          for (const metric of job.scenario.metrics) byMetric.set(metric.id, [...(byMetric.get(metric.id) ?? []), output.metrics[metric.id] as number]);
          values.set(job, byMetric);
        } else {
          failed.add(job);
          const error = output.ok ? `reported no ${missing.map((m) => m.id).join(", ")}` : output.error;
          failures.push({ scenario: job.scenario.id, implementation: job.contender.id, run: round, error });
        }
      }
      done += 1;
      loadMax = Math.max(loadMax, loadavg()[0] as number);
      const elapsedMs = performance.now() - started;
      options.onProgress?.({
        done,
        total,
        round,
        rounds,
        scenario: job.scenario.id,
        implementation: job.contender.id,
        ok,
        elapsedMs,
        etaMs: (elapsedMs / done) * (total - done),
      });
    }
  }
  const measurements: Measurement[] = [];
  for (const job of jobs) {
    const byMetric = values.get(job);
    if (!byMetric || failed.has(job)) continue;
    for (const metric of job.scenario.metrics) {
      const { id, label, family } = job.contender;
      measurements.push({
        scenario: job.scenario.id,
        implementation: id,
        label,
        family,
        metric: metric.id,
        unit: metric.unit,
        better: metric.better,
        ...summarise(byMetric.get(metric.id) ?? []),
      });
    }
  }
  const cores = availableParallelism();
  const loadNoteText = loadNote({ start: loadAtStart, max: loadMax, end: loadavg()[0] as number }, cores);
  if (loadNoteText) notes.push(loadNoteText);
  const cpuList = cpus();
  const commit = gitCommit();
  const stamp: Stamp = {
    date,
    node: process.version,
    python: pythonVersion,
    cpu: cpuList[0]?.model.trim() ?? "unknown CPU",
    cores,
    os: `${osType()} ${release()} ${arch()}`,
    loadAverage: { start: loadAtStart, max: loadMax, end: loadavg()[0] as number },
    libraries: libraryVersions(),
    repetitions: rounds,
    quick: options.quick === true,
    workers: WORKERS,
    wallSeconds: (performance.now() - started) / 1000,
    scenarioSeconds: seconds,
    ...(commit ? { commit } : {}),
  };
  const scenarios = SCENARIOS.map((s) => s.id).filter((id) => jobs.some((j) => j.scenario.id === id));
  const params = Object.fromEntries(scenarios.map((id) => [id, jobs.find((j) => j.scenario.id === id)?.params]));
  return { report: { stamp, scenarios, params, measurements, failures, notes }, contenders };
}
