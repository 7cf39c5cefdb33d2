import { checkInteger, checkTimeout } from "../01-reusable-worker/checks.js";
import type { TimelineData } from "./timeline.js";
import { durationOf, rowLabel, rowsOf, ticks } from "./timeline-layout.js";

/**
 * Options for {@link timelineSvg}.
 *
 * @example
 * ```ts
 * const options: TimelineSvgOptions = { title: "SimplePool(3): 9 tasks of 1 s", width: 720 };
 * ```
 */
export interface TimelineSvgOptions {
  /** A line of text above the rows. */
  title?: string | undefined;
  /** The picture's width in pixels: 720 by default, at least 240. */
  width?: number | undefined;
  /**
   * Draw the time axis at least this far, in milliseconds, so that pictures
   * of runs of different lengths share one scale.
   */
  until?: number | undefined;
}

const ROW = 30;
const BAR = 22;
const LABEL = 84;
const RIGHT = 16;
const AXIS = 26;
const FAILED = "#e76f51";

/**
 * Renders a run as an SVG picture, the same layout as {@link drawTimeline}:
 * one row per worker, time from left to right, each task a bar labelled with
 * its number and shaded darker the later it was given (red when it threw),
 * and a time axis below. Hovering a bar shows
 * its exact times. The picture has a white background and inline colours, so
 * it looks the same in a browser, in the docs and in an editor.
 *
 * A pure function of its input: the same data always gives the same text,
 * so a committed picture changes only when the run does.
 *
 * @throws TypeError or RangeError when `width` is not a whole number of at
 *   least 240, or `until` is not a finite number of milliseconds.
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * writeFileSync("timeline.svg", timelineSvg(timeline, { title: "9 tasks on 3 workers" }));
 * ```
 */
export function timelineSvg(data: TimelineData, options: TimelineSvgOptions = {}): string {
  const width = checkInteger("width", options.width ?? 720, 240);
  const title = options.title ?? "";
  const top = title === "" ? 10 : 34;
  const rows = rowsOf(data);
  const plot = width - LABEL - RIGHT;
  const height = top + rows.length * ROW + AXIS;
  const duration = durationOf(data, checkTimeout("until", options.until));
  const x = (time: number) => LABEL + (Math.min(duration, Math.max(0, time)) / duration) * plot;
  const lastTask = Math.max(1, ...data.spans.map((span) => span.task));
  // Later tasks are darker, so the order the tasks started in shows as shade.
  const shade = (task: number) => `hsl(205, 65%, ${Math.round(84 - (32 * Math.min(task, lastTask)) / lastTask)}%)`;

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (title !== "") out.push(`<text x="${LABEL}" y="22" font-size="14" font-weight="600" fill="#222222">${escape(title)}</text>`);

  const axisY = top + rows.length * ROW;
  for (const tick of ticks(duration, Math.floor(plot / 60) + 1)) {
    const at = px(x(tick.at));
    out.push(
      `<line x1="${at}" y1="${top}" x2="${at}" y2="${axisY + 4}" stroke="#dddddd"/>`,
      `<text x="${at}" y="${axisY + 17}" text-anchor="middle" fill="#555555">${escape(tick.label)}</text>`,
    );
  }
  out.push(`<line x1="${LABEL}" y1="${axisY}" x2="${LABEL + plot}" y2="${axisY}" stroke="#999999"/>`);

  rows.forEach((worker, row) => {
    const y = top + row * ROW + (ROW - BAR) / 2;
    out.push(`<text x="${LABEL - 10}" y="${px(y + BAR / 2 + 4)}" text-anchor="end" fill="#222222">${escape(rowLabel(worker))}</text>`);
    for (const span of data.spans) {
      if (span.worker !== worker) continue;
      const from = x(span.start);
      const barWidth = Math.max(1, x(span.end) - from);
      const fill = span.failed ? FAILED : shade(span.task);
      const tip = `task ${span.task} on ${rowLabel(worker)}: ${ms(span.start)}–${ms(span.end)}${span.failed ? ", threw" : ""}`;
      out.push(
        `<rect x="${px(from)}" y="${y}" width="${px(barWidth)}" height="${BAR}" rx="3" fill="${fill}" stroke="#ffffff"><title>${escape(tip)}</title></rect>`,
      );
      if (barWidth >= 8 * String(span.task).length + 6) {
        out.push(`<text x="${px(from + barWidth / 2)}" y="${px(y + BAR / 2 + 4)}" text-anchor="middle" fill="#222222">${span.task}</text>`);
      }
    }
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** A coordinate with at most one decimal, so the text stays short and stable. */
function px(value: number): number {
  return Math.round(value * 10) / 10;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
