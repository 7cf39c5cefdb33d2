/**
 * Runs test files with `node --test` and the course's JSON-lines reporter, and
 * gathers the results per file.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReportedError, ReporterLine } from "../test-reporter.js";
import { DIST, ROOT } from "./paths.js";

/** A test that failed, with where it failed. */
export interface Failure {
  name: string;
  /** The names of the suites around it, outermost first. */
  path: string[];
  error: ReportedError;
}

/** What happened in one test file. */
export interface FileResult {
  passed: number;
  failed: Failure[];
  /** What the file printed to stderr (a crash before any test shows here). */
  stderr: string;
}

/** The whole run. */
export interface RunResult {
  files: Map<string, FileResult>;
  tests: number;
  passed: number;
  failed: number;
  exitCode: number;
  /** The command's own stdout, e.g. c8's coverage table. */
  output: string;
}

/** How to run the files. */
export interface RunOptions {
  /** Resolve `#exercise/...` imports to the solutions instead of the stubs. */
  solution?: boolean;
  /** Wrap the run in another command, e.g. c8. */
  wrapper?: string[];
  /** A test running longer than this fails (a last safety net; tests bound their own waits). */
  testTimeoutMs?: number;
  /** How many test files run at once. */
  concurrency?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Extra options for `node --test`, e.g. `--test-name-pattern=…`. */
  nodeArgs?: string[];
}

/** The JSON objects of a file that holds one per line, skipping other lines; none if the file is missing. */
export function readJsonLines<T>(path: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as T);
}

/** Runs the compiled test files (absolute paths) and collects their results. */
export async function runTests(files: string[], options: RunOptions = {}): Promise<RunResult> {
  const folder = mkdtempSync(join(tmpdir(), "pools-tests-"));
  const destination = join(folder, "events.jsonl");
  const args = [
    ...(options.wrapper ?? []),
    process.execPath,
    "--enable-source-maps",
    ...(options.solution ? ["--conditions=solution"] : []),
    ...(options.nodeArgs ?? []),
    "--test",
    `--test-timeout=${options.testTimeoutMs ?? 30_000}`,
    `--test-concurrency=${options.concurrency ?? 2}`,
    `--test-reporter=${DIST}tools/test-reporter.js`,
    `--test-reporter-destination=${destination}`,
    ...files,
  ];
  const [command, ...rest] = args as [string, ...string[]];
  const child = spawn(command, rest, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exitCode = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  // No events at all means the runner itself failed, and `output` says why.
  const lines = readJsonLines<ReporterLine>(destination);
  rmSync(folder, { recursive: true, force: true });
  return collect(lines, files, exitCode, output);
}

/** `exercises/01-x/y.test` for both `dist/exercises/01-x/y.test.js` and `exercises/01-x/y.test.ts`. */
function suiteKey(path: string): string {
  const relative = path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
  return relative.replace(/^dist\//, "").replace(/\.(ts|js)$/, "");
}

/** Groups reporter lines by test file, naming each failure after the suites around it. */
export function collect(lines: ReporterLine[], files: string[], exitCode: number, output: string): RunResult {
  const result: RunResult = { files: new Map(), tests: 0, passed: 0, failed: 0, exitCode, output };
  // Events name the .ts source when source maps are on, and the compiled .js
  // file when a file crashed early; both lead to the compiled file we ran.
  const byKey = new Map(files.map((file) => [suiteKey(file), file]));
  const fileResult = (file: string): FileResult => {
    const ran = byKey.get(suiteKey(file)) ?? file;
    let entry = result.files.get(ran);
    if (!entry) result.files.set(ran, (entry = { passed: 0, failed: [], stderr: "" }));
    return entry;
  };
  for (const file of files) fileResult(file);
  // Events arrive children first: a failure waits for the suites around it to
  // close, and takes their names as they do.
  const open = new Map<string, { failure: Failure; depth: number }[]>();
  for (const line of lines) {
    if (line.kind === "stderr") fileResult(line.file).stderr += line.text;
    if (line.kind === "summary") {
      const [key, value] = line.text.split(" ");
      if (key === "tests") result.tests = Number(value);
      if (key === "pass") result.passed = Number(value);
      if (key === "fail") result.failed = Number(value);
    }
    if (line.kind !== "pass" && line.kind !== "fail") continue;
    const entry = fileResult(line.file);
    const waiting = open.get(line.file) ?? [];
    if (line.suite) {
      for (const item of waiting) {
        if (item.depth === line.nesting + 1) {
          item.failure.path.unshift(line.name);
          item.depth = line.nesting;
        }
      }
      open.set(line.file, waiting.filter((item) => item.depth > 0));
    }
    const ownFailure = line.kind === "fail" && line.error?.failureType !== "subtestsFailed";
    if (line.suite && !ownFailure) continue;
    if (line.kind === "pass") entry.passed += 1;
    else {
      const failure: Failure = { name: line.name, path: [], error: line.error as ReportedError };
      entry.failed.push(failure);
      if (line.nesting > 0) open.set(line.file, [...(open.get(line.file) ?? []), { failure, depth: line.nesting }]);
    }
  }
  return result;
}
