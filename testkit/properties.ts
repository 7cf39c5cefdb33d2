/**
 * How the course's property tests run: how many runs, from which seed, and
 * what a failure prints. One place, so `npm test`, `npm run soak` and a
 * replay of one failure all read the same settings.
 *
 * Settings come from the environment, which `npm run soak` fills from its
 * flags (see tools/course/soak.ts):
 *
 * - `POOLS_PROPERTY_MODE`: `test` (default, the short runs of `npm test`) or
 *   `soak` (the long ones);
 * - `POOLS_PROPERTY_RUNS`: runs per property, overriding both;
 * - `POOLS_PROPERTY_SEED` and `POOLS_PROPERTY_PATH`: replay one failure;
 * - `POOLS_PROPERTY_SUMMARY`: a file that gets one JSON line per property run.
 */
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import type { TestContext } from "node:test";
import fc from "fast-check";
import { within } from "./index.js";

/** How many runs a property makes in `npm test` and in the soak. */
export interface Runs {
  test: number;
  soak: number;
}

/** `"soak"` under `npm run soak`, else `"test"`. */
export function propertyMode(): "test" | "soak" {
  return process.env.POOLS_PROPERTY_MODE === "soak" ? "soak" : "test";
}

/** Picks the count for this mode: `npm test`'s or the soak's. */
export function forMode<T>(counts: { test: T; soak: T }): T {
  return counts[propertyMode()];
}

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Appends one line to the soak's summary file, when there is one. */
export function recordSummary(entry: Record<string, unknown>): void {
  const file = process.env.POOLS_PROPERTY_SUMMARY;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/**
 * Runs `property` and throws a readable report when it fails: the shrunk,
 * smallest schedule fast-check found, its seed and path, and the command that
 * replays exactly that schedule. Resolves to the number of runs made.
 *
 * @example
 * ```ts
 * await checkProperty("queue: every item comes out once, in order", property, { test: 1000, soak: 20_000 });
 * ```
 */
export async function checkProperty<Ts>(name: string, property: fc.IAsyncProperty<Ts>, runs: Runs): Promise<number> {
  const seed = numberFromEnv("POOLS_PROPERTY_SEED");
  const path = process.env.POOLS_PROPERTY_PATH || undefined;
  const numRuns = numberFromEnv("POOLS_PROPERTY_RUNS") ?? forMode(runs);
  const started = performance.now();
  const details = await fc.check(property, {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  });
  const ms = Math.round(performance.now() - started);
  recordSummary({ kind: "property", name, runs: details.numRuns, ms, seed: details.seed, failed: details.failed });
  if (details.failed) {
    const error = details.errorInstance;
    const replay =
      `npm run soak -- --only ${JSON.stringify(name)} --seed ${details.seed}` +
      (details.counterexamplePath ? ` --path ${JSON.stringify(details.counterexamplePath)}` : "");
    const report = (await fc.asyncDefaultReportMessage(details)) ?? "";
    // The few lines a reader needs come first; fast-check's full report and the stack follow.
    throw new Error(
      [
        `${name}: failed after ${details.numRuns} runs, shrunk ${details.numShrinks} times to this schedule:`,
        `  ${fc.stringify(details.counterexample)}`,
        `What went wrong: ${error instanceof Error ? error.message : String(error)}`,
        `Replay it alone: ${replay}`,
        "",
        report,
        error instanceof Error ? (error.stack ?? "") : "",
      ].join("\n"),
      { cause: error },
    );
  }
  return details.numRuns;
}

/**
 * The title and body of a property's `node:test` test: its name (which
 * `--only` matches) and the promise it checks; the run is bounded in time like
 * every wait in the course. `afterwards` may report on the runs. The test file
 * calls `test(...)` itself, so failures are reported against it.
 *
 * @example
 * ```ts
 * test(...propertyTest("AsyncQueue schedules", "items come out once, in order", () => fc.asyncProperty(scheduleArb, run), { test: 1000, soak: 20_000 }));
 * ```
 */
export function propertyTest<Ts>(
  name: string,
  promise: string,
  property: () => fc.IAsyncProperty<Ts>,
  runs: Runs,
  afterwards?: (t: TestContext) => void,
): [string, (t: TestContext) => Promise<void>] {
  return [
    `${name}: ${promise}`,
    async (t) => {
      const made = await within(checkProperty(name, property(), runs), `the property "${name}"`, forMode({ test: 120_000, soak: 3_600_000 }));
      assert.ok(made > 0, "the property made no run");
      afterwards?.(t);
    },
  ];
}

/**
 * Collects the failures of one property run that happen where fast-check
 * cannot see them: an assertion inside a promise handler, an exception thrown
 * by the code under test in a timer or microtask. `raise()` throws the first
 * at the next checkpoint, so the run fails and fast-check shrinks it.
 *
 * @example
 * ```ts
 * const problems = new Problems();
 * try {
 *   promise.then(problems.guard((value) => assert.equal(value, 1)));
 *   await flushMicrotasks();
 *   problems.raise();
 * } finally {
 *   problems.stop();
 * }
 * ```
 */
export class Problems {
  #found: unknown[] = [];
  #stray = (error: unknown) => {
    this.#found.push(error);
  };

  constructor() {
    process.on("uncaughtException", this.#stray);
    process.on("unhandledRejection", this.#stray);
  }

  /** Wraps a handler so that what it throws is kept for `raise()`. */
  guard<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        handler(...args);
      } catch (error) {
        this.#found.push(error);
      }
    };
  }

  /** Keeps a failure found by other means. */
  add(error: unknown): void {
    this.#found.push(error);
  }

  /** Throws the first failure kept, if any. */
  raise(): void {
    if (this.#found.length > 0) throw this.#found[0];
  }

  /** Stops listening for stray exceptions; call it in `finally`. */
  stop(): void {
    process.off("uncaughtException", this.#stray);
    process.off("unhandledRejection", this.#stray);
  }
}
