/**
 * Step 02: N workers, one queue. A pool of a fixed size whose workers all
 * take their tasks from one shared queue, shut down the way Python's `Pool`
 * is (`close()`, then `join()`), and a timeline that shows which worker ran
 * which task, drawn for the terminal or as an SVG picture.
 *
 * @module 02-worker-pool
 */
export { SimplePool, type SimplePoolOptions, type SimplePoolState } from "./simple-pool.js";
export { Timeline, type TimelineData, type TimelineOptions, type TimelineSpan } from "./timeline.js";
export { drawTimeline, type DrawTimelineOptions } from "./draw-timeline.js";
export { timelineSvg, type TimelineSvgOptions } from "./timeline-svg.js";
