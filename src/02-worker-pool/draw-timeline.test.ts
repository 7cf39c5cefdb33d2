import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { drawTimeline, type TimelineData, type TimelineSpan } from "../index.js";

/** Seed 003's run as it should be: 9 tasks of 1 s on 3 workers, three waves. */
function threeWaves(): TimelineData {
  const spans: TimelineSpan[] = [];
  for (let task = 0; task < 9; task++) {
    const start = Math.floor(task / 3) * 1000;
    spans.push({ worker: 1 + (task % 3), task, start, end: start + 1000, failed: task === 4 });
  }
  return { workers: [1, 2, 3], spans };
}

describe("drawTimeline", () => {
  test("draws one row per worker, time across, in 80 columns", () => {
    assert.equal(
      drawTimeline(threeWaves()),
      [
        "          0 s         0.5 s      1 s         1.5 s      2 s         2.5 s    3 s",
        "worker 1 |[0--------------------][3--------------------][6--------------------]|",
        "worker 2 |[1--------------------][4xxxxxxxxxxxxxxxxxxxx][7--------------------]|",
        "worker 3 |[2--------------------][5--------------------][8--------------------]|",
      ].join("\n"),
    );
  });

  test("a worker without a task still gets its row, and spans scale to the run", () => {
    const data: TimelineData = {
      workers: [1, 2, 3],
      spans: [
        { worker: 1, task: 0, start: 0, end: 600, failed: false },
        { worker: 1, task: 1, start: 600, end: 1000, failed: false },
        { worker: 2, task: 2, start: 0, end: 1000, failed: false },
      ],
    };
    assert.equal(
      drawTimeline(data, { width: 40 }),
      [
        "          0 s            0.5 s       1 s",
        "worker 1 |[0--------------][1---------]|",
        "worker 2 |[2--------------------------]|",
        "worker 3 |                             |",
      ].join("\n"),
    );
  });

  test("until stretches the axis, so runs of different lengths share a scale", () => {
    const short: TimelineData = { workers: [1], spans: [{ worker: 1, task: 0, start: 0, end: 1000, failed: false }] };
    const [, row] = drawTimeline(short, { width: 40, until: 3000 }).split("\n");
    assert.equal(row, "worker 1 |[0-------]                   |");
  });

  test("spans too short for their label shrink to what fits", () => {
    const data: TimelineData = {
      workers: [1],
      spans: [
        { worker: 1, task: 10, start: 0, end: 10, failed: false },
        { worker: 1, task: 11, start: 500, end: 535, failed: false },
        { worker: 1, task: 12, start: 700, end: 770, failed: false },
        { worker: 1, task: 13, start: 900, end: 1000, failed: false },
      ],
    };
    const [, row] = drawTimeline(data, { width: 40 }).split("\n");
    assert.equal(row, "worker 1 |#              #    12    13]|");
  });

  test("every line fits the width it is given, whatever the run", () => {
    for (const width of [30, 57, 80, 132]) {
      for (const data of [threeWaves(), { workers: [], spans: [] }, { workers: [1, 1000], spans: [] }]) {
        const lines = drawTimeline(data, { width }).split("\n");
        assert.equal(lines.length, 1 + new Set(data.workers).size);
        for (const line of lines) assert.ok(line.length <= width, `${JSON.stringify(line)} is wider than ${width}`);
      }
    }
  });

  test("the same data always gives the same text", () => {
    assert.equal(drawTimeline(threeWaves()), drawTimeline(threeWaves()));
  });

  test("bad options are refused", () => {
    assert.throws(() => drawTimeline(threeWaves(), { width: 20 }), { name: "RangeError", message: /width must be at least 30/ });
    assert.throws(() => drawTimeline(threeWaves(), { width: "80" as unknown as number }), { name: "TypeError", message: /width/ });
    assert.throws(() => drawTimeline(threeWaves(), { until: -1 }), { name: "RangeError", message: /until/ });
  });
});
