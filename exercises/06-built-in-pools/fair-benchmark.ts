/**
 * Exercise 06.1 · a fair benchmark harness, for a scenario of your own
 *
 * `npm run bench` measures nine scenarios fairly: a warm-up before the clock,
 * several repetitions, the median with the smallest and largest run, and
 * every result checked, so a pool that skips work or returns nonsense cannot
 * look fast. When you want to measure something it does not — a task of your
 * own, copying large arguments, `imap` against `map` — you need the same rules
 * in a few lines. Build them, with an injectable clock so they can be tested.
 *
 * Build:
 * - `stats(samples)`: `{ median, min, max, runs, samples }` of at least one
 *   finite number. The median of an even count is the mean of the two middle
 *   values. `samples` is a copy, in the order given (not sorted). No samples,
 *   or one that is NaN or infinite: RangeError; not an array: TypeError.
 * - `trial({ run, check, warmup = 1, repetitions = 5, beforeEach, now })`:
 *   calls `beforeEach()` (if given) then `run()` `warmup` times untimed, then
 *   `repetitions` times timed, one after another, never two at once. A
 *   repetition's time is `now()` just after `run()` has settled minus `now()`
 *   just before it was called; `beforeEach` and `check` are outside the clock.
 *   Every result is checked, warm-ups too: `check(result)` returning `false`
 *   or throwing stops the trial, which rejects with a `WrongResultError` whose
 *   message names the run (`"warm-up 1"`, `"repetition 3"`) and whose `cause`
 *   is the error `check` threw, if it threw. A `run` that throws or rejects
 *   stops the trial with that same error. Resolves to `stats` of the
 *   repetitions' times. `now` is `performance.now` by default.
 * - `compare(contenders, { warmup, repetitions, now })`: the same for several
 *   named contenders (`{ name: { run, check, beforeEach? } }`), interleaved so
 *   none is always measured first while the machine's load drifts: first
 *   every contender's warm-ups, in the order given; then `repetitions` rounds,
 *   each running every contender once, round `r` (from 0) starting with
 *   contender `r mod k` and going on in the order given. Resolves to
 *   `{ name: stats }`. A wrong result or a failing run stops everything, as
 *   in `trial`, and the error names the contender (`"map: repetition 2"`).
 * Bad options throw at the call: a `run` or `check` that is not a function
 *   (TypeError), `warmup` below 0 or `repetitions` below 1 (RangeError), no
 *   contenders (RangeError).
 *
 * Then use it on the kit for a scenario the benchmark lacks, for example
 * copying: `pool.map(double, items)` on `runIn: "threads"` sends its chunks
 * packed in Float64Arrays, while `pool.apply(mapChunk, ["double", chunk])`
 * sends the same numbers as plain arrays, structured-cloned item by item
 * (`double` and `mapChunk` are exports of tools/bench/tasks.ts, compiled to
 * dist/tools/bench/tasks.js). Check every result and compare the medians.
 *
 * Run `npm run exercise -- 06.1` to test, `npm run hint -- 06.1` if stuck.
 */

/** A set of timed runs, summarised. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  /** How many runs. */
  runs: number;
  /** Every run's value, in the order they ran. */
  samples: number[];
}

/** One contender: the work, and how to know its result is right. */
export interface Contender<T = unknown> {
  /** One run of the work; its result (or what it resolves to) is checked. */
  run: () => T | Promise<T>;
  /** `false` or a throw means the result is wrong. */
  check: (result: Awaited<T>) => boolean | void;
  /** Runs before every run, warm-ups included, outside the clock: fresh input, `gc()`. */
  beforeEach?: () => void | Promise<void>;
}

/** How many runs, and the clock. */
export interface TrialOptions {
  /** Untimed runs first; 1 by default. */
  warmup?: number;
  /** Timed runs; 5 by default. */
  repetitions?: number;
  /** The clock, in milliseconds; `performance.now` by default. */
  now?: () => number;
}

/** A result that is not what the work must return: the measurement is void. */
export class WrongResultError extends Error {
  override name = "WrongResultError";
}

/** Median, min, max and count of `samples`. */
export function stats(samples: readonly number[]): Stats {
  throw new Error("TODO(06.1): stats(): median, min, max, runs and a copy of the samples");
}

/** Warm-ups, then timed repetitions of one contender, every result checked. */
export function trial<T>(options: Contender<T> & TrialOptions): Promise<Stats> {
  throw new Error("TODO(06.1): trial(): warm up, time each repetition, check each result");
}

/** Several contenders measured in interleaved rounds. */
export function compare(contenders: Record<string, Contender<any>>, options: TrialOptions = {}): Promise<Record<string, Stats>> {
  throw new Error("TODO(06.1): compare(): warm-ups, then rounds whose first contender rotates");
}
