/**
 * `npm test`: the maintainer's check, after rustlings' `dev check`. Everything
 * a course must prove before it ships: it compiles, its own code passes its
 * tests with enough coverage, every solution passes its exercise's suite,
 * every stub fails that suite for its own `TODO` reason, the exercise files are
 * complete, and the docs build without a warning.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { allExercises, loadCatalog, type Chapter } from "./catalog.js";
import { describeFile } from "./format.js";
import { compiled, DIST, ROOT } from "./paths.js";
import { bold, dim, mark, red } from "./style.js";
import { runTests } from "./test-run.js";

interface StepResult {
  ok: boolean;
  detail: string;
  problems?: string[];
}

const require = createRequire(import.meta.url);

function findFiles(folder: string, suffix: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(folder, name))
    .sort();
}

function compile(diagnostics: string): StepResult {
  const errors = diagnostics.split("\n").filter((line) => /\): error TS/.test(line));
  const tsc = require.resolve("typescript/bin/tsc");
  const solution = spawnSync(process.execPath, [tsc, "-p", `${ROOT}tsconfig.solution.json`, "--pretty", "false"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const solutionErrors = solution.stdout.split("\n").filter((line) => /\): error TS/.test(line));
  const problems = [...errors, ...solutionErrors.map((line) => `(against the solutions) ${line}`)];
  return { ok: problems.length === 0, detail: problems.length === 0 ? "no type errors, stubs and solutions alike" : `${problems.length} type errors`, problems };
}

function structure(chapters: Chapter[]): StepResult {
  const problems: string[] = [];
  const read = (path: string) => (existsSync(`${ROOT}${path}`) ? readFileSync(`${ROOT}${path}`, "utf8") : undefined);
  for (const chapter of chapters) {
    if (chapter.text && chapter.number !== "00" && chapter.exercises.length < 3) {
      problems.push(`chapter ${chapter.number} has ${chapter.exercises.length} exercises; every chapter needs at least three`);
    }
    const expected = new Set(["exercises.json", "README.md"]);
    chapter.exercises.forEach((exercise, index) => {
      if (exercise.id !== `${chapter.number}.${index + 1}`) problems.push(`${exercise.name}: id ${exercise.id} should be ${chapter.number}.${index + 1}`);
      exercise.stubs.forEach((stub, i) => {
        const text = read(stub);
        if (text === undefined) problems.push(`${exercise.id}: missing stub ${stub}`);
        else if (i === 0 && !text.includes(`TODO(${exercise.id})`)) problems.push(`${exercise.id}: ${stub} has no TODO(${exercise.id}) marker`);
        const solution = read(exercise.solutions[i] as string);
        if (solution === undefined) problems.push(`${exercise.id}: missing solution ${exercise.solutions[i]}`);
        else if (/TODO\(\d/.test(solution)) problems.push(`${exercise.id}: ${exercise.solutions[i]} still has a TODO marker`);
        expected.add(stub.split("/").pop() as string);
      });
      const test = read(exercise.test);
      if (test === undefined) problems.push(`${exercise.id}: missing test suite ${exercise.test}`);
      else if (!test.includes("#exercise/")) problems.push(`${exercise.id}: ${exercise.test} must import the stub through "#exercise/…"`);
      const hint = read(exercise.hint);
      if (!hint?.trim()) problems.push(`${exercise.id}: missing or empty hint ${exercise.hint}`);
      expected.add(exercise.test.split("/").pop() as string).add(exercise.hint.split("/").pop() as string);
    });
    for (const folder of ["exercises", "solutions"]) {
      const dir = `${ROOT}${folder}/${chapter.slug}`;
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        const ok = folder === "exercises" ? expected.has(name) : chapter.exercises.some((e) => e.solutions.includes(`${folder}/${chapter.slug}/${name}`));
        if (!ok || statSync(join(dir, name)).isDirectory()) problems.push(`stray file ${folder}/${chapter.slug}/${name}: list it in exercises.json or remove it`);
      }
    }
  }
  const count = allExercises(chapters).length;
  return { ok: problems.length === 0, detail: `${count} exercises, each with a stub, a suite, a hint and a solution`, problems };
}

async function sourceSuites(): Promise<StepResult> {
  const files = [...findFiles(`${DIST}src`, ".test.js"), ...findFiles(`${DIST}tools`, ".test.js")];
  const c8 = [process.execPath, require.resolve("c8/bin/c8.js"), "--config", `${ROOT}.c8rc.json`];
  const run = await runTests(files, { wrapper: c8, concurrency: 2 });
  const problems = [...run.files].flatMap(([file, result]) =>
    result.failed.length > 0 ? [`${file.replace(DIST, "")}:`, ...describeFile(result, 10)] : [],
  );
  const coverage = run.output.split("\n").filter((line) => /^(Statements|Branches|Functions|Lines)|ERROR: Coverage/.test(line.trim()));
  if (run.tests === 0) problems.push("no test ran: a run that executes zero tests is a failure");
  if (run.exitCode !== 0 && problems.length === 0) problems.push(...run.output.trim().split("\n").slice(-15));
  return {
    ok: run.exitCode === 0 && run.tests > 0 && run.failed === 0,
    detail: `${run.passed}/${run.tests} tests in ${files.length} files · ${coverage.map((l) => l.trim().replace(/\s+/g, " ")).join(" · ")}`,
    problems,
  };
}

async function solutionsPass(chapters: Chapter[]): Promise<StepResult> {
  const exercises = allExercises(chapters);
  const run = await runTests(exercises.map((e) => compiled(e.test)), { solution: true, testTimeoutMs: 30_000 });
  const problems: string[] = [];
  for (const exercise of exercises) {
    const result = run.files.get(compiled(exercise.test));
    if (!result || result.passed === 0) problems.push(`${exercise.id}: its suite ran no test against the solution`);
    else if (result.failed.length > 0) problems.push(`${exercise.id} ${exercise.name} fails against its solution:`, ...describeFile(result, 10));
  }
  return { ok: problems.length === 0 && run.tests > 0, detail: `${exercises.length} suites, ${run.passed}/${run.tests} tests pass against the solutions`, problems };
}

async function stubsFail(chapters: Chapter[]): Promise<StepResult> {
  const exercises = allExercises(chapters);
  const run = await runTests(exercises.map((e) => compiled(e.test)), { testTimeoutMs: 30_000 });
  const problems: string[] = [];
  for (const exercise of exercises) {
    const result = run.files.get(compiled(exercise.test));
    const marker = `TODO(${exercise.id})`;
    const said = result ? [result.stderr, ...result.failed.map((f) => `${f.error.message}\n${f.error.stack}`)].join("\n") : "";
    if (!result || result.failed.length === 0) problems.push(`${exercise.id} ${exercise.name}: its suite passes on the stub; a stub must fail`);
    else if (!said.includes(marker)) problems.push(`${exercise.id} ${exercise.name}: fails on the stub, but not for its ${marker} reason:`, ...describeFile(result, 2));
  }
  return { ok: problems.length === 0, detail: `${exercises.length} stubs each fail their suite with their own TODO marker`, problems };
}

function docs(): StepResult {
  const typedoc = spawnSync(process.execPath, [`${ROOT}node_modules/typedoc/bin/typedoc`], { cwd: ROOT, encoding: "utf8" });
  const output = `${typedoc.stdout}${typedoc.stderr}`.trim();
  const problems = typedoc.status === 0 ? [] : output.split("\n").slice(-20);
  return { ok: typedoc.status === 0, detail: typedoc.status === 0 ? "typedoc built docs/ with no warning" : `typedoc exited ${typedoc.status}`, problems };
}

const STEPS = ["compile", "structure", "src", "solutions", "stubs", "docs"] as const;

/** Runs the chosen steps (all by default) and prints one line per step. */
export async function checkCommand(args: string[], diagnostics: string): Promise<number> {
  const chosen = args.filter((arg) => !arg.startsWith("-"));
  const unknown = chosen.filter((arg) => !(STEPS as readonly string[]).includes(arg));
  if (unknown.length > 0) {
    console.error(`Unknown check step ${unknown.join(", ")}; the steps are ${STEPS.join(", ")}.`);
    return 2;
  }
  const chapters = loadCatalog();
  const steps: Record<(typeof STEPS)[number], () => StepResult | Promise<StepResult>> = {
    compile: () => compile(diagnostics),
    structure: () => structure(chapters),
    src: sourceSuites,
    solutions: () => solutionsPass(chapters),
    stubs: () => stubsFail(chapters),
    docs,
  };
  let failures = 0;
  console.log(bold("Pools by Hand · maintainer's check\n"));
  for (const name of STEPS) {
    if (chosen.length > 0 && !chosen.includes(name)) continue;
    const started = performance.now();
    const result = await steps[name]();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${mark(result.ok)} ${name.padEnd(10)} ${dim(`${seconds.padStart(5)} s`)}  ${result.detail}`);
    if (!result.ok) {
      failures += 1;
      for (const line of result.problems ?? []) console.log(`    ${line}`);
    }
  }
  console.log(failures === 0 ? "\nAll checks pass." : red(`\n${failures} check(s) failed.`));
  return failures === 0 ? 0 : 1;
}
