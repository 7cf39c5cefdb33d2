/**
 * A `node --test` reporter that writes one JSON object per line: every pass,
 * every failure (with the error's message, stack and assertion details), the
 * output of test files that crashed, and the run's summary counts. The course
 * tool reads these lines and prints only what a learner needs.
 */
import { inspect } from "node:util";

interface TestEvent {
  type: string;
  data: {
    name?: string;
    file?: string;
    line?: number;
    column?: number;
    nesting?: number;
    message?: string;
    details?: { type?: string; duration_ms?: number; error?: unknown };
  };
}

/** The parts of a thrown value the course tool shows. */
export interface ReportedError {
  name: string;
  message: string;
  stack: string;
  failureType?: string;
  diff?: { actual: string; expected: string; operator: string };
}

/** One line of this reporter's output. */
export type ReporterLine =
  | { kind: "pass" | "fail"; name: string; file: string; line: number; nesting: number; suite: boolean; error?: ReportedError }
  | { kind: "stderr" | "stdout"; file: string; text: string }
  | { kind: "summary"; text: string };

function describeError(raw: unknown): ReportedError {
  const failure = raw as { failureType?: string; cause?: unknown; message?: string };
  const found = failure?.cause ?? failure;
  const cause = (typeof found === "object" && found !== null ? found : { message: String(found) }) as Record<string, unknown>;
  const error: ReportedError = {
    name: String(cause.name ?? "Error"),
    message: String(cause.message ?? failure?.message ?? inspect(cause)),
    stack: String(cause.stack ?? ""),
  };
  if (failure?.failureType) error.failureType = failure.failureType;
  if ("operator" in cause && "actual" in cause) {
    error.diff = {
      actual: inspect(cause.actual, { depth: 4 }),
      expected: inspect(cause.expected, { depth: 4 }),
      operator: String(cause.operator),
    };
  }
  return error;
}

export default async function* jsonLines(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  for await (const { type, data } of source) {
    let line: ReporterLine | undefined;
    if (type === "test:pass" || type === "test:fail") {
      line = {
        kind: type === "test:pass" ? "pass" : "fail",
        name: data.name ?? "",
        file: data.file ?? "",
        line: data.line ?? 0,
        nesting: data.nesting ?? 0,
        suite: data.details?.type === "suite",
      };
      if (type === "test:fail") line.error = describeError(data.details?.error);
    } else if (type === "test:stderr" || type === "test:stdout") {
      line = { kind: type === "test:stderr" ? "stderr" : "stdout", file: data.file ?? "", text: data.message ?? "" };
    } else if (type === "test:diagnostic" && data.nesting === 0) {
      line = { kind: "summary", text: data.message ?? "" };
    }
    if (line) yield JSON.stringify(line) + "\n";
  }
}
