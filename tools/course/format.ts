/** Turns test failures and compiler errors into the few lines a learner needs. */
import type { Exercise } from "./catalog.js";
import { fromRoot } from "./paths.js";
import { cyan, dim, red } from "./style.js";
import type { Failure, FileResult } from "./test-run.js";

const FRAME = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/;

/**
 * The place in the course's own files where the error was thrown: the first
 * stack frame in an exercise or solution file that is not a test, else the
 * first frame in the test file, else the first frame in the repository.
 */
export function locate(stack: string): string | undefined {
  const frames = stack
    .split("\n")
    .map((line) => FRAME.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, file, line, column]) => ({ file: fromRoot(file as string), line, column }))
    .filter((frame) => !frame.file.startsWith("..") && !frame.file.includes("node_modules") && !frame.file.startsWith("testkit/"));
  const learner = frames.find((f) => /^(exercises|solutions)\//.test(f.file) && !f.file.endsWith(".test.ts"));
  const test = frames.find((f) => f.file.endsWith(".test.ts"));
  const frame = learner ?? test ?? frames[0];
  return frame && `${frame.file}:${frame.line}:${frame.column}`;
}

/** A failure as a few indented lines: the test's name, the message, where. */
export function describeFailure(failure: Failure, indent = "    "): string[] {
  const title = [...failure.path, failure.name].join(" › ");
  const message = failure.error.message.trimEnd().split("\n").slice(0, 12);
  const where = locate(failure.error.stack);
  return [
    `${indent}${red("✗")} ${title}`,
    ...message.map((line) => `${indent}  ${line}`),
    ...(where ? [`${indent}  ${cyan(`→ ${where}`)}`] : []),
  ];
}

/** The lines of a file's result worth showing, at most `limit` failures. */
export function describeFile(result: FileResult, limit = 3): string[] {
  const lines = result.failed.slice(0, limit).flatMap((failure) => describeFailure(failure));
  if (result.failed.length > limit) lines.push(dim(`      … and ${result.failed.length - limit} more failing tests`));
  if (result.failed.length === 1 && result.passed === 0 && result.stderr.trim()) {
    // The file crashed before its tests could run: its stderr says why.
    const crash = result.stderr.trim().split("\n").filter((line) => !line.startsWith("Node.js v")).slice(0, 12);
    lines.push(...crash.map((line) => `      ${dim(line)}`));
  }
  return lines;
}

/** The compiler errors that concern an exercise's own files. */
export function diagnosticsFor(exercise: Exercise, diagnostics: string): string[] {
  const files = [...exercise.stubs, exercise.test];
  return diagnostics
    .split("\n")
    .filter((line) => files.some((file) => line.startsWith(`${file}(`)));
}
