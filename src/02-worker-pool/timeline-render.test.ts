import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { drawTimeline, timelineSvg, type TimelineData, type TimelineSpan } from "../index.js";

/** Seed 003's run as it should be: 9 tasks of 1 s on 3 workers, three waves (task 4 fails). */
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

/** The task bars: every `<rect>` with rounded corners, with its attributes. */
function bars(svg: string): Record<string, string>[] {
  return [...svg.matchAll(/<rect ([^>]*rx="3"[^>]*)>/g)].map(([, attributes]) =>
    Object.fromEntries([...(attributes as string).matchAll(/([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])),
  );
}

/** Checks that every tag is closed in order, the one thing a browser will not forgive. */
function assertWellFormed(svg: string): void {
  const open: string[] = [];
  for (const [tag, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) assert.equal(open.pop(), name, `unexpected ${tag}`);
    else open.push(name as string);
  }
  assert.deepEqual(open, [], "unclosed tags");
  assert.ok(!/[<>&](?![a-z/#]|amp;|lt;|gt;|quot;)/.test(svg.replace(/<[^>]*>/g, "")), "an unescaped character in the text");
}

describe("timelineSvg", () => {
  test("one bar per task, placed and sized in proportion to its time", () => {
    const svg = timelineSvg(threeWaves());
    assertWellFormed(svg);
    const found = bars(svg);
    assert.equal(found.length, 9);
    // 720 px wide: labels take 84 px on the left, 16 px stay free on the right, 620 px for 3 s.
    const task3 = found[1] as Record<string, string>; // rows are drawn in order: worker 1 has tasks 0, 3, 6
    assert.deepEqual([task3.x, task3.width], ["290.7", "206.7"]);
    const xs = found.map((bar) => Number(bar.x)).sort((a, b) => a - b);
    assert.deepEqual([...new Set(xs)], [84, 290.7, 497.3], "three waves: three starting points");
  });

  test("rows for every worker, with labels, the axis and the task numbers", () => {
    const svg = timelineSvg({ workers: [1, 2, 3], spans: threeWaves().spans.filter((s) => s.worker !== 3) });
    for (const label of ["worker 1", "worker 2", "worker 3", "0 s", "1.5 s", "3 s"]) {
      assert.ok(svg.includes(`>${label}</text>`), `no ${label} in the picture`);
    }
    assert.match(svg, /height="126"/, "10 px above, three rows of 30 px, 26 px of axis");
    assert.match(svg, />7<\/text>/);
  });

  test("a failed task is red and says so when hovered", () => {
    const svg = timelineSvg(threeWaves());
    const failed = bars(svg).filter((bar) => bar.fill === "#e76f51");
    assert.equal(failed.length, 1);
    assert.match(svg, /<title>task 4 on worker 2: 1000 ms–2000 ms, threw<\/title>/);
  });

  test("later tasks are shaded darker", () => {
    const lightness = bars(timelineSvg(threeWaves()))
      .filter((bar) => bar.fill?.startsWith("hsl"))
      .map((bar) => Number(/(\d+)%\)$/.exec(bar.fill as string)?.[1]));
    assert.deepEqual(lightness, [84, 72, 60, 80, 56, 76, 64, 52], "worker 1's tasks 0, 3, 6, then worker 2's 1, 7, then worker 3's");
  });

  test("the title is escaped, and a bar too narrow for its number has none", () => {
    const data: TimelineData = {
      workers: [1],
      spans: [
        { worker: 1, task: 0, start: 0, end: 10, failed: false },
        { worker: 1, task: 1, start: 10, end: 1000, failed: false },
      ],
    };
    const svg = timelineSvg(data, { title: `<Pool> & "friends"`, width: 300 });
    assertWellFormed(svg);
    assert.match(svg, />&lt;Pool&gt; &amp; &quot;friends&quot;<\/text>/);
    assert.doesNotMatch(svg, />0<\/text>/, "task 0 is 2 px wide: no room for its number");
    assert.match(svg, />1<\/text>/);
  });

  test("until stretches the axis so pictures share a scale", () => {
    const data: TimelineData = { workers: [1], spans: [{ worker: 1, task: 0, start: 0, end: 1000, failed: false }] };
    assert.equal(bars(timelineSvg(data, { until: 2000 }))[0]?.width, "310");
  });

  test("an empty run still gives a well-formed picture, and the same data the same text", () => {
    assertWellFormed(timelineSvg({ workers: [], spans: [] }));
    assert.equal(timelineSvg(threeWaves(), { title: "t" }), timelineSvg(threeWaves(), { title: "t" }));
  });

  test("bad options are refused", () => {
    assert.throws(() => timelineSvg(threeWaves(), { width: 100 }), { name: "RangeError", message: /width must be at least 240/ });
    assert.throws(() => timelineSvg(threeWaves(), { until: Number.NaN }), { name: "RangeError", message: /until/ });
  });
});
