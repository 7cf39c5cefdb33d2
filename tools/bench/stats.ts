/** The few statistics the benchmark reports: median, min and max of the runs, and ratios of medians. */

/** A metric's runs, summarised. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many runs there were. */
  runs: number;
  /** Every run's value, in the order they ran. */
  values: number[];
}

/** The median: the middle value, or the mean of the two middle values when the count is even. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("the median of no values is undefined");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median, min, max and count of `values` (at least one). */
export function summarise(values: readonly number[]): Summary {
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError(`every run must be a finite number, got ${values.join(", ")}`);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length, values: [...values] };
}

/**
 * How many times better `a` is than `b`: `a / b` when higher is better
 * (tasks per second), `b / a` when lower is better (milliseconds).
 */
export function ratio(a: number, b: number, better: "lower" | "higher"): number {
  return better === "higher" ? a / b : b / a;
}
