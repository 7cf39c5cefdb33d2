/**
 * Horizontal bar charts as SVG text, from plain data, with no dependency: one
 * bar per implementation at its median, a whisker from min to max, the value
 * printed beside it, colours by family.
 */
import type { Family } from "./implementation.js";
import { formatNumber, formatTimes } from "./format.js";

/** One bar. */
export interface Bar {
  label: string;
  family: Family;
  median: number;
  min: number;
  max: number;
}

/** What a chart shows. */
export interface ChartSpec {
  title: string;
  /** Printed after each value ("ms", "tasks/s"); "×" values print as ratios. */
  unit: string;
  /** What the axis measures, under the title ("µs per task", "speed-up over serial"). */
  measure: string;
  better: "lower" | "higher";
  bars: readonly Bar[];
  /** How many runs each bar summarises. */
  runs: number;
  /** A small line at the bottom: where and when it was measured. */
  footnote?: string;
  /** A dashed line across the bars: "serial" at 1×, the ideal time, … */
  reference?: { value: number; label: string };
}

/** The colour of each family, and how the legend names it. */
export const FAMILY_STYLE: Readonly<Record<Family, { colour: string; name: string }>> = {
  kit: { colour: "#d9480f", name: "this kit" },
  "node-pool": { colour: "#1c7ed6", name: "Node pool libraries" },
  "node-queue": { colour: "#0c8599", name: "in-process queues" },
  "node-builtin": { colour: "#7048e8", name: "Node built-in" },
  baseline: { colour: "#868e96", name: "baselines" },
  python: { colour: "#2b8a3e", name: "Python" },
};

const PLOT_WIDTH = 380;
const VALUE_WIDTH = 130;
/** About how wide a character of the 12 px labels is. */
const CHAR_WIDTH = 6.8;
const ROW = 26;
const TOP = 68;

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A round step for about `count` ticks up to `max`: 1, 2 or 5 times a power of ten. */
export function tickStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw) as number;
  return step * power;
}

/**
 * The axis' end. When higher is better, a baseline far above every pool (the
 * task called inline runs millions per second) would flatten every other bar,
 * so the axis stops above the pools and that bar is drawn broken.
 */
export function axisEnd(bars: readonly Bar[], better: "lower" | "higher"): number {
  const top = (list: readonly Bar[]) => Math.max(0, ...list.map((b) => b.max));
  const all = top(bars);
  const pools = top(bars.filter((b) => b.family !== "baseline"));
  const end = better === "higher" && pools > 0 && all > 4 * pools ? pools * 1.15 : all * 1.05;
  return end > 0 ? end : 1;
}

/** A tick's label: 0 · 50,000 · 0.5× · 2.5 ms. */
export function tickLabel(tick: number, unit: string): string {
  const text = Number(tick.toPrecision(6)).toLocaleString("en-US", { maximumFractionDigits: 6 });
  return unit === "×" ? `${text}×` : text;
}

/** The chart as a standalone SVG document. */
export function barChart(spec: ChartSpec): string {
  const value = (v: number) => (spec.unit === "×" ? formatTimes(v) : `${formatNumber(v)} ${spec.unit}`);
  const end = Math.max(axisEnd(spec.bars, spec.better), (spec.reference?.value ?? 0) * 1.05);
  const LABEL_WIDTH = Math.ceil(26 + CHAR_WIDTH * Math.max(12, ...spec.bars.map((b) => b.label.length)));
  const plot = PLOT_WIDTH;
  const WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const x = (v: number) => LABEL_WIDTH + (Math.min(v, end) / end) * plot;
  const families = [...new Set(spec.bars.map((b) => b.family))];
  const bottom = TOP + spec.bars.length * ROW;
  const height = bottom + 64 + (spec.footnote ? 16 : 0);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(spec.title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" fill="#212529">`,
    `<text x="16" y="24" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`,
    `<text x="16" y="43" fill="#495057">${escapeXml(`${spec.measure}, ${spec.better} is better · median of ${spec.runs} run${spec.runs === 1 ? "" : "s"}, whiskers from min to max`)}</text>`,
  );
  const step = tickStep(end);
  for (let tick = 0; tick <= end; tick += step) {
    const tx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${bottom}" stroke="#e9ecef"/>`,
      `<text x="${tx}" y="${bottom + 16}" text-anchor="middle" fill="#868e96">${escapeXml(tickLabel(tick, spec.unit))}</text>`,
    );
  }
  spec.bars.forEach((bar, i) => {
    const y = TOP + i * ROW;
    const middle = y + ROW / 2 - 3;
    const colour = FAMILY_STYLE[bar.family].colour;
    const broken = bar.median > end;
    const barEnd = x(bar.median);
    parts.push(
      `<text x="${LABEL_WIDTH - 10}" y="${middle + 4}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${Math.max(1, barEnd - LABEL_WIDTH).toFixed(1)}" height="${ROW - 12}" fill="${colour}" rx="2"/>`,
    );
    if (broken) {
      parts.push(`<path d="M${(barEnd - 14).toFixed(1)} ${y + 1} l6 ${ROW - 8} M${(barEnd - 8).toFixed(1)} ${y + 1} l6 ${ROW - 8}" stroke="#ffffff" stroke-width="3"/>`);
    } else {
      const [lo, hi] = [x(bar.min), x(bar.max)];
      parts.push(
        `<path d="M${lo.toFixed(1)} ${middle} H${hi.toFixed(1)} M${lo.toFixed(1)} ${middle - 4} v8 M${hi.toFixed(1)} ${middle - 4} v8" stroke="#212529" stroke-width="1"/>`,
      );
    }
    const textX = broken ? WIDTH - VALUE_WIDTH + 6 : Math.max(barEnd, x(bar.max)) + 6;
    parts.push(`<text x="${textX.toFixed(1)}" y="${middle + 4}">${escapeXml(value(bar.median))}</text>`);
  });
  if (spec.reference) {
    const rx = x(spec.reference.value).toFixed(1);
    parts.push(
      `<line x1="${rx}" y1="${TOP - 8}" x2="${rx}" y2="${bottom}" stroke="#495057" stroke-dasharray="4 3"/>`,
      `<text x="${rx}" y="${TOP - 11}" text-anchor="middle" font-size="11" fill="#495057">${escapeXml(spec.reference.label)}</text>`,
    );
  }
  let legendX = 16;
  for (const family of families) {
    const { colour, name } = FAMILY_STYLE[family];
    parts.push(
      `<rect x="${legendX}" y="${bottom + 32}" width="12" height="12" fill="${colour}" rx="2"/>`,
      `<text x="${legendX + 18}" y="${bottom + 42}">${escapeXml(name)}</text>`,
    );
    legendX += 36 + name.length * 7;
  }
  if (spec.footnote) parts.push(`<text x="16" y="${bottom + 66}" font-size="10" fill="#868e96">${escapeXml(spec.footnote)}</text>`);
  parts.push("</g>", "</svg>", "");
  return parts.join("\n");
}
