import { checkInteger, checkTimeout } from "../01-reusable-worker/checks.js";
import type { TimelineData, TimelineSpan } from "./timeline.js";
import { durationOf, rowLabel, rowsOf, ticks } from "./timeline-layout.js";

/**
 * Options for {@link drawTimeline}.
 *
 * @example
 * ```ts
 * const options: DrawTimelineOptions = { width: 100 };
 * ```
 */
export interface DrawTimelineOptions {
  /** The longest line, in characters: 80 by default, at least 30. */
  width?: number | undefined;
  /**
   * Draw the time axis at least this far, in milliseconds, so that runs of
   * different lengths can be drawn to the same scale.
   */
  until?: number | undefined;
}

/**
 * Draws a run for the terminal: one row per worker, time from left to right,
 * each task as `[n----]` where `n` is its number (`[nxxxx]` when it threw).
 * The first line marks the time. Every line fits `width` characters, so the
 * picture scales to the run: three waves of 1 s fill the same width as three
 * waves of 10 ms.
 *
 * A pure function of its input: the same data always gives the same text.
 *
 * @throws TypeError or RangeError when `width` is not a whole number of at
 *   least 30, or `until` is not a finite number of milliseconds.
 * @example
 * ```ts
 * console.log(drawTimeline(timeline, { width: 44 }));
 * //           0 s     0.5 s    1 s     1.5 s 2 s
 * // worker 1 |[0--------------][2-------------]|
 * // worker 2 |[1--------------]                |
 * ```
 */
export function drawTimeline(data: TimelineData, options: DrawTimelineOptions = {}): string {
  const width = checkInteger("width", options.width ?? 80, 30);
  const rows = rowsOf(data);
  const labels = rows.map(rowLabel);
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  const left = labelWidth + 2; // the label, a space and the left border
  const plot = width - left - 1; // and the right border
  const duration = durationOf(data, checkTimeout("until", options.until));
  const column = (time: number) => Math.min(plot, Math.max(0, Math.round((time / duration) * plot)));

  const header = Array.from({ length: width }, () => " ");
  let free = 0;
  for (const tick of ticks(duration, Math.floor(plot / 8) + 1)) {
    const at = Math.min(left + column(tick.at), width - tick.label.length);
    if (at < free) continue;
    header.splice(at, tick.label.length, ...tick.label);
    free = at + tick.label.length + 1;
  }

  const lines = [header.join("").trimEnd()];
  rows.forEach((worker, row) => {
    const cells = Array.from({ length: plot }, () => " ");
    for (const span of data.spans) {
      if (span.worker !== worker) continue;
      const from = Math.min(column(span.start), plot - 1);
      const to = Math.max(from + 1, column(span.end));
      cells.splice(from, to - from, ...spanText(span, to - from));
    }
    lines.push(`${(labels[row] as string).padEnd(labelWidth)} |${cells.join("")}|`);
  });
  return lines.join("\n");
}

/** A span drawn in `columns` characters, as much of `[n----]` as fits. */
function spanText(span: TimelineSpan, columns: number): string {
  const name = String(span.task);
  if (columns >= name.length + 2) return `[${name}${(span.failed ? "x" : "-").repeat(columns - name.length - 2)}]`;
  if (columns >= name.length) return `${name}]`.slice(0, columns);
  return "#".repeat(columns);
}
