/** `npm run exercise`, `npm run solution` and `npm run hint`. */
import { existsSync, readFileSync, watch } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { allExercises, loadCatalog, select, type Exercise } from "./catalog.js";
import { describeFile, diagnosticsFor } from "./format.js";
import { compiled, ROOT } from "./paths.js";
import { bold, dim, mark, red, yellow } from "./style.js";
import { runTests, type FileResult } from "./test-run.js";

/** What a suite run said about one exercise. */
export interface ExerciseStatus {
  exercise: Exercise;
  done: boolean;
  result: FileResult | undefined;
}

/** Runs the suites of `exercises` against the learner's files, or the solutions. */
export async function checkExercises(exercises: Exercise[], solution = false): Promise<ExerciseStatus[]> {
  const files = exercises.map((e) => compiled(e.test));
  const run = await runTests(files, { solution, testTimeoutMs: 20_000 });
  return exercises.map((exercise) => {
    const result = run.files.get(compiled(exercise.test));
    const done = result !== undefined && result.passed > 0 && result.failed.length === 0;
    return { exercise, done, result };
  });
}

function unknownTarget(what: string | undefined): number {
  const ids = allExercises(loadCatalog()).map((e) => `${e.id} (${e.name})`);
  console.error(`No exercise or chapter matches ${JSON.stringify(what)}. Try one of:\n  ${ids.join("\n  ")}`);
  return 2;
}

/** Prints one block per exercise; returns how many passed. */
function printStatuses(statuses: ExerciseStatus[], diagnostics: string, solution: boolean): number {
  let chapter = "";
  for (const { exercise, done, result } of statuses) {
    if (exercise.chapter.number !== chapter) {
      chapter = exercise.chapter.number;
      console.log(bold(`\nChapter ${chapter} · ${exercise.chapter.title}${solution ? " (solutions)" : ""}`));
    }
    const total = (result?.passed ?? 0) + (result?.failed.length ?? 0);
    const summary = done ? dim(`${total} tests pass`) : red(`${result?.failed.length ?? 0} of ${total} tests fail`);
    console.log(`  ${mark(done)} ${exercise.id} ${exercise.name}  ${summary}`);
    if (!done && result) for (const line of describeFile(result)) console.log(line);
    const typeErrors = solution ? [] : diagnosticsFor(exercise, diagnostics);
    if (typeErrors.length > 0) {
      console.log(yellow("      type errors:"));
      for (const line of typeErrors.slice(0, 6)) console.log(`        ${line}`);
    }
  }
  return statuses.filter((s) => s.done).length;
}

/**
 * `npm run exercise -- <chapter | id | name> [--watch]`, and with `solution`
 * set, `npm run solution -- …`.
 */
export async function exerciseCommand(args: string[], diagnostics: string, solution: boolean): Promise<number> {
  const watchMode = args.includes("--watch") || args.includes("-w");
  const target = args.find((arg) => !arg.startsWith("-"));
  const exercises = select(loadCatalog(), target);
  if (!exercises || exercises.length === 0) return unknownTarget(target);
  const once = async (diags: string): Promise<number> => {
    const statuses = await checkExercises(exercises, solution);
    const passed = printStatuses(statuses, diags, solution);
    const next = statuses.find((s) => !s.done);
    console.log(`\n${passed} of ${statuses.length} passing.${next ? ` Next: ${next.exercise.stubs[0]}` : ""}`);
    if (!next && !solution) console.log(dim(`Compare with the reference: solutions/${exercises[0]?.chapter.slug}/`));
    return next ? 1 : 0;
  };
  if (!watchMode) return once(diagnostics);
  return watchLoop(exercises, once);
}

/** Rebuilds and re-runs whenever a file in exercises/ or solutions/ is saved. */
async function watchLoop(exercises: Exercise[], once: (diagnostics: string) => Promise<number>): Promise<number> {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  const rerun = async () => {
    if (running) return void (again = true);
    running = true;
    process.stdout.write("\x1b[2J\x1b[H");
    const build = spawnSync(process.execPath, [tsc, "-p", ROOT, "--pretty", "false"], { cwd: ROOT, encoding: "utf8" });
    await once(build.stdout);
    console.log(dim(`\nWatching ${exercises.map((e) => e.stubs[0]).join(", ")} — save to re-run, Ctrl-C to stop.`));
    running = false;
    if (again) {
      again = false;
      void rerun();
    }
  };
  for (const folder of ["exercises", "solutions"]) {
    watch(`${ROOT}${folder}`, { recursive: true }, (_event, name) => {
      if (!name?.endsWith(".ts")) return;
      clearTimeout(timer);
      timer = setTimeout(() => void rerun(), 150);
    });
  }
  await rerun();
  return new Promise<number>(() => {}); // until Ctrl-C
}

/** `npm run hint -- <id | name>` */
export function hintCommand(args: string[]): number {
  const target = args.find((arg) => !arg.startsWith("-"));
  const exercises = select(loadCatalog(), target);
  if (!exercises || exercises.length !== 1 || target === undefined) return unknownTarget(target);
  const [exercise] = exercises as [Exercise];
  const path = `${ROOT}${exercise.hint}`;
  if (!existsSync(path)) {
    console.error(`Exercise ${exercise.id} has no hint file (${exercise.hint}).`);
    return 1;
  }
  console.log(bold(`Hint for ${exercise.id} ${exercise.name}: ${exercise.title}\n`));
  console.log(readFileSync(path, "utf8").trim());
  return 0;
}
