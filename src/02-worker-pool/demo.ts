/**
 * `npm run demo -- 02 [--svg] [--svg-dir DIR] [--task-ms N]`
 *
 * Seed 003, example 2: a pool of 3 runs 9 tasks that each take 1 s, so the
 * run takes about 3 s, in three waves. The same 9 tasks then run on 1 worker
 * and on 9. The demo prints each elapsed time and the timeline of the first
 * run. Then it shows why the workers share one queue: uneven tasks on one
 * shared queue, and the same tasks dealt in turn to a queue per worker.
 * Last comes what the pool itself costs per task. `--svg` also writes the
 * timelines as SVG pictures into chapters/media/ (or `--svg-dir`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { drawTimeline, SimplePool, Timeline, timelineSvg, type TimelineData } from "./index.js";

const { values } = parseArgs({
  options: {
    svg: { type: "boolean", default: false },
    "svg-dir": { type: "string" },
    "task-ms": { type: "string", default: "1000" },
  },
});
const taskMs = Number(values["task-ms"]);
if (!Number.isFinite(taskMs) || taskMs < 0) throw new RangeError(`--task-ms must be a number of milliseconds, got ${values["task-ms"]}`);
const svgDir = values["svg-dir"] ?? (values.svg ? fileURLToPath(new URL("../../../chapters/media/", import.meta.url)) : undefined);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const length = (ms: number) => `${ms / 1000} s`;

interface Run {
  name: string;
  file: string;
  title: string;
  elapsed: number;
  timeline: TimelineData;
}

/** Runs tasks of the given lengths on one SimplePool of `size`, recording a timeline. */
async function onePool(size: number, lengths: number[]): Promise<{ elapsed: number; timeline: TimelineData }> {
  const timeline = new Timeline();
  const started = performance.now();
  const pool = new SimplePool(size, { timeline });
  for (const ms of lengths) pool.applyAsync(() => sleep(ms));
  pool.close();
  await pool.join();
  return { elapsed: performance.now() - started, timeline };
}

/**
 * The same tasks dealt in turn to `size` pools of one worker each: a queue per
 * worker, the way a dispatcher that hands out work round robin would run them.
 */
async function queuePerWorker(size: number, lengths: number[]): Promise<{ elapsed: number; timeline: TimelineData }> {
  const timelines = Array.from({ length: size }, () => new Timeline());
  const started = performance.now();
  const pools = timelines.map((timeline) => new SimplePool(1, { timeline }));
  lengths.forEach((ms, i) => pools[i % size]?.applyAsync(() => sleep(ms)));
  for (const pool of pools) pool.close();
  await Promise.all(pools.map((pool) => pool.join()));
  const spans = timelines.flatMap((timeline, k) => timeline.spans.map((span) => ({ ...span, worker: k + 1, task: k + span.task * size })));
  return { elapsed: performance.now() - started, timeline: { workers: timelines.map((_, k) => k + 1), spans } };
}

/** The median time per task of `count` empty tasks through SimplePool(3), over five runs. */
async function costPerTask(count: number, recorded: boolean): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const pool = new SimplePool(3, recorded ? { timeline: new Timeline() } : {});
    const started = performance.now();
    for (let i = 0; i < count; i++) pool.applyAsync(() => {});
    pool.close();
    await pool.join();
    times.push((performance.now() - started) / count);
  }
  return (times.sort((a, b) => a - b)[2] as number) * 1000;
}

const runs: Run[] = [];
const even = Array.from({ length: 9 }, () => taskMs);
console.log(`Seed 003, example 2: 9 tasks that each wait ${length(taskMs)}, on pools of 3, 1 and 9 workers.\n`);
for (const size of [3, 1, 9]) {
  const { elapsed, timeline } = await onePool(size, even);
  const workers = `${size}-worker${size === 1 ? "" : "s"}`;
  runs.push({ name: `SimplePool(${size})`, file: `02-timeline-${workers}.svg`, title: `SimplePool(${size}): 9 tasks of ${length(taskMs)}, ${seconds(elapsed)} in all`, elapsed, timeline });
  const waves = Math.ceil(9 / size);
  console.log(`SimplePool(${size}): 9 tasks in ${seconds(elapsed)}  (${waves} wave${waves === 1 ? "" : "s"} of ${Math.min(size, 9)})`);
  if (runs.length === 1) {
    console.log(`\nWhich worker ran which task on SimplePool(${size}) ([n---] is task n):\n`);
    console.log(drawTimeline(timeline));
    console.log("");
  }
}

const uneven = even.map((ms, i) => (i % 3 === 0 ? ms : ms / 4));
console.log(`\nWhy one queue: tasks of ${length(taskMs)}, ${length(taskMs / 4)}, ${length(taskMs / 4)}, three times over, on 3 workers.\n`);
const compared: Run[] = [];
for (const [name, file, way] of [
  ["one shared queue", "02-timeline-shared-queue.svg", onePool],
  ["a queue per worker, tasks dealt in turn", "02-timeline-queue-per-worker.svg", queuePerWorker],
] as const) {
  const { elapsed, timeline } = await way(3, uneven);
  compared.push({ name, file, title: `3 workers, ${name}: ${seconds(elapsed)} in all`, elapsed, timeline });
}
const slower = Math.max(...compared.map((run) => run.elapsed)); // draw both to one scale
for (const run of compared) {
  console.log(`${run.name}: ${seconds(run.elapsed)}\n`);
  console.log(drawTimeline(run.timeline, { until: slower }));
  console.log("");
}
const plain = await costPerTask(100_000, false);
const recorded = await costPerTask(100_000, true);
console.log(`\nThe pool's own cost, 100 000 empty tasks on SimplePool(3), median of 5:`);
console.log(`  ${plain.toFixed(2)} µs per task; ${recorded.toFixed(2)} µs with a timeline recording`);

if (svgDir !== undefined) {
  mkdirSync(svgDir, { recursive: true });
  for (const group of [runs, compared]) {
    const until = Math.max(...group.map((run) => run.elapsed)); // one scale for the pictures of a group
    for (const { file, title, timeline } of group) {
      writeFileSync(join(svgDir, file), timelineSvg(timeline, { title, until }));
      console.log(`wrote ${relative(process.cwd(), join(svgDir, file))}`);
    }
  }
}
