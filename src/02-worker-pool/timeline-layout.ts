/**
 * What both timeline renderers agree on: which rows to draw, how long the
 * run was, and where the time axis gets its marks. Internal to the step.
 */
import type { TimelineData } from "./timeline.js";

/** A mark on the time axis. */
export interface Tick {
  /** Milliseconds since the start. */
  at: number;
  /** What to print there, e.g. `"1.5 s"` or `"20 ms"`. */
  label: string;
}

/** The rows to draw: every worker in order, then any worker only the spans mention. */
export function rowsOf(data: TimelineData): number[] {
  const rows = [...new Set(data.workers)];
  for (const span of data.spans) if (!rows.includes(span.worker)) rows.push(span.worker);
  return rows;
}

/** The name of a row. */
export function rowLabel(worker: number): string {
  return worker === 0 ? "no worker" : `worker ${worker}`;
}

/**
 * How much time the drawing spans: the end of the last span, or `until` when
 * that is later (so several runs can share one scale); at least 1 ms.
 */
export function durationOf(data: TimelineData, until = 0): number {
  let end = Math.max(1, until);
  for (const span of data.spans) end = Math.max(end, span.end);
  return end;
}

/**
 * Marks at a round step (1, 2 or 5 times a power of ten milliseconds), the
 * smallest step that needs no more than `maxTicks` marks from 0 to `duration`.
 */
export function ticks(duration: number, maxTicks: number): Tick[] {
  const step = roundStep(duration, Math.max(1, maxTicks));
  const inSeconds = duration >= 1000;
  const marks: Tick[] = [];
  for (let i = 0; i * step <= duration; i++) {
    const at = i * step;
    marks.push({ at, label: inSeconds ? `${trimZeros((at / 1000).toFixed(3))} s` : `${at} ms` });
  }
  return marks;
}

function roundStep(duration: number, maxTicks: number): number {
  for (let power = 1; ; power *= 10) {
    for (const step of [power, 2 * power, 5 * power]) {
      if (Math.floor(duration / step) + 1 <= maxTicks) return step;
    }
  }
}

/** "1.500" → "1.5", "2.000" → "2". */
function trimZeros(text: string): string {
  return text.replace(/\.?0+$/, "");
}
