/**
 * Exercise 06.1 · a fair benchmark harness, for a scenario of your own
 * (solution). See the stub in exercises/06-built-in-pools/ for the task.
 */
import { checkFunction, checkInteger } from "pools-by-hand";

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
  if (!Array.isArray(samples)) throw new TypeError("samples must be an array of numbers");
  if (samples.length === 0) throw new RangeError("stats of no samples: run at least once");
  const bad = samples.find((sample) => typeof sample !== "number" || !Number.isFinite(sample));
  if (bad !== undefined) throw new RangeError(`every sample must be a finite number, got ${String(bad)}`);
  const ordered = [...samples].sort((a, b) => a - b);
  const upper = ordered.length >> 1;
  // An odd count has one middle value; an even count, the two around `upper`.
  const median = ordered.length % 2 === 1 ? ordered[upper] : (ordered[upper - 1] + ordered[upper]) / 2;
  return { median, min: ordered[0], max: ordered[ordered.length - 1], runs: samples.length, samples: [...samples] };
}

/** The checked, defaulted run counts and clock. */
interface Plan {
  warmup: number;
  repetitions: number;
  now: () => number;
}

function plan(options: TrialOptions): Plan {
  const { warmup = 1, repetitions = 5, now = () => performance.now() } = options;
  return {
    warmup: checkInteger("warmup", warmup, 0),
    repetitions: checkInteger("repetitions", repetitions, 1),
    now: checkFunction("now", now),
  };
}

function checkContender(name: string, contender: Contender<any>): void {
  if (typeof contender !== "object" || contender === null) throw new TypeError(`${name} must be an object with run and check`);
  checkFunction(`${name}.run`, contender.run);
  checkFunction(`${name}.check`, contender.check);
  if (contender.beforeEach !== undefined) checkFunction(`${name}.beforeEach`, contender.beforeEach);
}

/**
 * One run: `beforeEach`, then `run` between two readings of the clock, then
 * the check. Returns the time the run took.
 */
async function once<T>(contender: Contender<T>, now: () => number, label: string): Promise<number> {
  await contender.beforeEach?.();
  const started = now();
  const result = await contender.run();
  const took = now() - started;
  let verdict: boolean | void;
  try {
    verdict = contender.check(result);
  } catch (cause) {
    throw new WrongResultError(`${label}: wrong result: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (verdict === false) throw new WrongResultError(`${label}: wrong result`);
  return took;
}

/** Warm-ups, then timed repetitions of one contender, every result checked. */
export function trial<T>(options: Contender<T> & TrialOptions): Promise<Stats> {
  checkContender("the contender", options);
  const { warmup, repetitions, now } = plan(options);
  return (async () => {
    for (let i = 1; i <= warmup; i++) await once(options, now, `warm-up ${i}`);
    const times: number[] = [];
    for (let i = 1; i <= repetitions; i++) times.push(await once(options, now, `repetition ${i}`));
    return stats(times);
  })();
}

/** Several contenders measured in interleaved rounds. */
export function compare(contenders: Record<string, Contender<any>>, options: TrialOptions = {}): Promise<Record<string, Stats>> {
  if (typeof contenders !== "object" || contenders === null) throw new TypeError("contenders must be an object of named contenders");
  const names = Object.keys(contenders);
  if (names.length === 0) throw new RangeError("compare needs at least one contender");
  for (const name of names) checkContender(name, contenders[name]);
  const { warmup, repetitions, now } = plan(options);
  return (async () => {
    for (const name of names) {
      for (let i = 1; i <= warmup; i++) await once(contenders[name], now, `${name}: warm-up ${i}`);
    }
    const times = new Map<string, number[]>(names.map((name) => [name, []]));
    for (let round = 0; round < repetitions; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length] as string;
        times.get(name)!.push(await once(contenders[name], now, `${name}: repetition ${round + 1}`));
      }
    }
    return Object.fromEntries(names.map((name) => [name, stats(times.get(name)!)]));
  })();
}
