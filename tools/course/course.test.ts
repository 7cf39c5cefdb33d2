import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReporterLine } from "../test-reporter.js";
import { allExercises, loadCatalog, select } from "./catalog.js";
import { describeFailure, diagnosticsFor, locate } from "./format.js";
import { compiled, ROOT } from "./paths.js";
import { collect } from "./test-run.js";

describe("the course tool", () => {
  test("the catalog lists the eight chapters in order, and exercises with their files", () => {
    const chapters = loadCatalog();
    assert.deepEqual(chapters.map((c) => c.number), ["00", "01", "02", "03", "04", "05", "06", "07"]);
    const first = allExercises(chapters)[0];
    assert.ok(first, "at least one exercise exists");
    assert.equal(first.id, "01.1");
    assert.equal(first.stubs[0], `exercises/01-reusable-worker/${first.name}.ts`);
    assert.equal(first.solutions[0], `solutions/01-reusable-worker/${first.name}.ts`);
  });

  test("select finds a chapter, an id, a name, or nothing", () => {
    const chapters = loadCatalog();
    const chapter01 = select(chapters, "01") ?? [];
    assert.ok(chapter01.length >= 3 && chapter01.every((e) => e.chapter.number === "01"));
    assert.equal(select(chapters, "1")?.length, chapter01.length, "a chapter number may drop its zero");
    const [byId] = select(chapters, "01.1") ?? [];
    assert.equal(byId?.id, "01.1");
    assert.equal(select(chapters, byId?.name)?.[0]?.id, "01.1");
    assert.equal(select(chapters, "no-such-exercise"), undefined);
    assert.equal(select(chapters, undefined)?.length, allExercises(chapters).length);
  });

  test("locate prefers the learner's file, then the test, and skips node internals", () => {
    const stack = [
      "Error: TODO(01.1): keep the item on a stack",
      "    at LifoQueue.storeItem (file:///r/exercises/01-x/lifo.ts:27:11)",
      `    at LifoQueue.storeItem (${ROOT}exercises/01-x/lifo.ts:27:11)`,
      `    at TestContext.<anonymous> (${ROOT}exercises/01-x/lifo.test.ts:15:5)`,
      "    at Test.runInAsyncScope (node:async_hooks:206:9)",
    ].join("\n");
    assert.equal(locate(stack), "exercises/01-x/lifo.ts:27:11");
    assert.equal(locate(`Error\n    at x (${ROOT}exercises/01-x/lifo.test.ts:9:1)`), "exercises/01-x/lifo.test.ts:9:1");
    assert.equal(locate("Error\n    at Test.run (node:internal/test_runner/test:796:25)"), undefined);
  });

  test("collect names failures after their suites and counts per file", () => {
    const file = compiled("exercises/01-x/a.test.ts");
    const source = `${ROOT}exercises/01-x/a.test.ts`;
    const error = { name: "Error", message: "TODO(01.1): x", stack: "" };
    const lines: ReporterLine[] = [
      { kind: "pass", name: "one", file: source, line: 1, nesting: 2, suite: false },
      { kind: "fail", name: "two", file: source, line: 2, nesting: 2, suite: false, error },
      { kind: "fail", name: "inner", file: source, line: 3, nesting: 1, suite: true, error: { ...error, failureType: "subtestsFailed" } },
      { kind: "fail", name: "outer", file: source, line: 4, nesting: 0, suite: true, error: { ...error, failureType: "subtestsFailed" } },
      { kind: "summary", text: "tests 2" },
      { kind: "summary", text: "pass 1" },
      { kind: "summary", text: "fail 1" },
    ];
    const run = collect(lines, [file], 1, "");
    const result = run.files.get(file);
    assert.equal(result?.passed, 1);
    assert.deepEqual(result?.failed.map((f) => [...f.path, f.name].join(" › ")), ["outer › inner › two"]);
    assert.deepEqual([run.tests, run.passed, run.failed], [2, 1, 1]);
    assert.match(describeFailure(result!.failed[0]!).join("\n"), /outer › inner › two\n.*TODO\(01\.1\): x/);
  });

  test("diagnosticsFor keeps only the compiler errors about an exercise's own files", () => {
    const [exercise] = allExercises(loadCatalog());
    assert.ok(exercise);
    const diagnostics = [
      `${exercise.stubs[0]}(3,5): error TS2322: Type 'string' is not assignable to type 'number'.`,
      "src/01-reusable-worker/fifo.ts(1,1): error TS1000: not the learner's",
    ].join("\n");
    assert.deepEqual(diagnosticsFor(exercise, diagnostics), [diagnostics.split("\n")[0]]);
  });
});
