/**
 * `npm run demo -- 02 [--svg] [--svg-dir DIR] [--task-ms N]`
 *
 * Seed 003, example 2: a pool of 3 runs 9 tasks that each take 1 s, so the
 * run takes about 3 s, in three waves. The same 9 tasks then run on 1 worker
 * and on 9. The demo prints each elapsed time, the timeline of the first run,
 * and what the pool itself costs per task. `--svg` also writes the three
 * timelines as SVG pictures into chapters/media/ (or `--svg-dir`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { drawTimeline, SimplePool, Timeline, timelineSvg } from "./index.js";

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
const taskLength = `${taskMs / 1000} s`;
const TASKS = 9;

/** Runs seed 003's nine tasks on a pool of `size`, recording a timeline. */
async function run(size: number): Promise<{ elapsed: number; timeline: Timeline }> {
  const timeline = new Timeline();
  const started = performance.now();
  const pool = new SimplePool(size, { timeline });
  for (let i = 0; i < TASKS; i++) pool.applyAsync(() => sleep(taskMs));
  pool.close();
  await pool.join();
  return { elapsed: performance.now() - started, timeline };
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

console.log(`Seed 003, example 2: ${TASKS} tasks that each wait ${taskLength}, on pools of 3, 1 and 9 workers.\n`);
const runs: { size: number; elapsed: number; timeline: Timeline }[] = [];
for (const size of [3, 1, 9]) {
  const result = await run(size);
  runs.push({ size, ...result });
  const waves = Math.ceil(TASKS / size);
  console.log(`SimplePool(${size}): ${TASKS} tasks in ${seconds(result.elapsed)}  (${waves} wave${waves === 1 ? "" : "s"} of ${Math.min(size, TASKS)})`);
  if (runs.length === 1) {
    console.log(`\nWhich worker ran which task on SimplePool(${size}) ([n---] is task n):\n`);
    console.log(drawTimeline(result.timeline));
    console.log("");
  }
}

const plain = await costPerTask(100_000, false);
const recorded = await costPerTask(100_000, true);
console.log(`\nThe pool's own cost, 100 000 empty tasks on SimplePool(3), median of 5:`);
console.log(`  ${plain.toFixed(2)} µs per task; ${recorded.toFixed(2)} µs with a timeline recording`);

if (svgDir !== undefined) {
  mkdirSync(svgDir, { recursive: true });
  const until = Math.max(...runs.map((r) => r.elapsed)); // one scale for all three pictures
  for (const { size, elapsed, timeline } of runs) {
    const file = join(svgDir, `02-timeline-${size}-worker${size === 1 ? "" : "s"}.svg`);
    const title = `SimplePool(${size}): ${TASKS} tasks of ${taskLength}, ${seconds(elapsed)} in all`;
    writeFileSync(file, timelineSvg(timeline, { title, until }));
    console.log(`wrote ${file}`);
  }
}
