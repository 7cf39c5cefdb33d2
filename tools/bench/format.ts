/** How numbers read in the tables, the charts and the ratio lines. */
import type { Metric } from "./scenarios.js";

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A value with about three significant digits: 48,213 · 731 · 45.2 · 3.07 · 0.412. */
export function formatNumber(value: number): string {
  const size = Math.abs(value);
  if (size >= 1000) return grouped.format(value);
  if (size >= 100) return value.toFixed(0);
  if (size >= 10) return value.toFixed(1);
  if (size >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** A ratio or a speed-up: 3.42×. */
export function formatTimes(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(2)}×`;
}

/** A value without its unit, for table cells whose heading names it. */
export function formatBare(value: number, metric: Metric): string {
  return metric.id === "speedup" ? formatTimes(value) : formatNumber(value);
}

/** Seconds as "7 min 12 s" or "42.1 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
