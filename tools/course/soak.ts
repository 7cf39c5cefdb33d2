/**
 * `npm run soak`: the long run of the suites that prove the kit's promises
 * (src/properties/: the property tests, the failure matrix, the leak checks,
 * the bad-input table), and the replay of one failing schedule.
 *
 *   npm run soak                          all of them, with the soak's counts
 *   npm run soak -- --quick               the same with npm test's counts
 *   npm run soak -- --only "AsyncQueue schedules" --runs 500
 *   npm run soak -- --only "Pool schedules on the event loop" --seed 1718837940 --path "2:1:1"
 *
 * A failing property prints the last line itself, ready to paste: the seed
 * and path fast-check found, which replay the shrunk schedule exactly (on
 * the event loop, whose clock is virtual) or closely (threads and processes,
 * which run in real time). `--only` is a test-name pattern.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFile } from "./format.js";
import { DIST } from "./paths.js";
import { bold, dim, mark, red } from "./style.js";
import { readJsonLines, runTests } from "./test-run.js";

const USAGE = "usage: npm run soak -- [--only <test name pattern>] [--seed <n>] [--path <p>] [--runs <n>] [--quick]";

interface Flags {
  only?: string;
  seed?: string;
  path?: string;
  runs?: string;
  quick: boolean;
}

function parseFlags(args: string[]): Flags | string {
  const flags: Flags = { quick: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--quick") {
      flags.quick = true;
      continue;
    }
    const [name, inline] = arg.split(/=(.*)/s) as [string, string | undefined];
    const key = name.replace(/^--/, "");
    if (!["only", "seed", "path", "runs"].includes(key) || !name.startsWith("--")) return `unknown option ${arg}`;
    const value = inline ?? args[++i];
    if (value === undefined) return `${name} needs a value`;
    if ((key === "seed" || key === "runs") && !/^-?\d+$/.test(value)) return `${name} must be a whole number, got ${value}`;
    flags[key as "only" | "seed" | "path" | "runs"] = value;
  }
  return flags;
}

interface Entry {
  kind: string;
  name?: string;
  runs?: number;
  ms?: number;
  seed?: number;
  failed?: boolean;
  place?: string;
  count?: number;
  seconds?: number;
  start?: number;
  afterTasks?: number;
  afterJoin?: number;
  readings?: number[];
  lingeredMs?: number;
  [key: string]: unknown;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const percent = (after: number, start: number) => `${after >= start ? "+" : ""}${(((after - start) / start) * 100).toFixed(1)}%`;

function printSummary(entries: Entry[]): void {
  const properties = entries.filter((e) => e.kind === "property");
  if (properties.length > 0) {
    console.log(bold("\nProperties"));
    for (const p of properties) {
      console.log(`  ${mark(!p.failed)} ${String(p.name).padEnd(40)} ${String(p.runs?.toLocaleString("en")).padStart(7)} runs ${((p.ms ?? 0) / 1000).toFixed(1).padStart(7)} s   ${dim(`seed ${p.seed}`)}`);
    }
  }
  for (const t of entries.filter((e) => e.kind === "tallies")) {
    const { kind: _kind, name, ...counts } = t;
    console.log(dim(`  ${String(name).split(":")[0]}: ${Object.entries(counts).map(([k, v]) => `${k} ${String(v)}`).join(", ")}`));
  }
  const heaps = entries.filter((e) => e.kind === "heap");
  if (heaps.length > 0) {
    console.log(bold("\nHeap after full GC (the pool's process)"));
    for (const h of heaps) {
      const start = h.start ?? 0;
      console.log(
        `  ${String(h.place).padEnd(11)} ${String(h.count?.toLocaleString("en")).padStart(9)} tasks in ${(h.seconds ?? 0).toFixed(2)} s` +
          `${(h.readings?.length ?? 1) > 1 ? ` (${h.readings?.length} rounds)` : ""}: ` +
          `start ${megabytes(start)}, after the tasks ${megabytes(h.afterTasks ?? 0)} (${percent(h.afterTasks ?? 0, start)}), ` +
          `after close()+join() ${megabytes(h.afterJoin ?? 0)} (${percent(h.afterJoin ?? 0, start)})`,
      );
    }
  }
  const exits = entries.filter((e) => e.kind === "exit");
  if (exits.length > 0) {
    const worst = Math.max(...exits.map((e) => e.lingeredMs ?? 0));
    console.log(bold("\nExit after the pool ends"));
    console.log(`  ${exits.length} scripts exited by themselves, at most ${worst} ms after their pool ended`);
  }
}

/** Runs src/properties/ in soak mode (or as the flags say) and prints what it found. */
export async function soakCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args);
  if (typeof flags === "string") {
    console.error(`${flags}\n${USAGE}`);
    return 2;
  }
  const folder = `${DIST}src/properties/`;
  const files = readdirSync(folder)
    .filter((name) => name.endsWith(".test.js"))
    .map((name) => `${folder}${name}`)
    .sort();
  const scratch = mkdtempSync(join(tmpdir(), "pools-soak-"));
  const summary = join(scratch, "summary.jsonl");
  const env: Record<string, string> = { POOLS_PROPERTY_MODE: flags.quick ? "test" : "soak", POOLS_PROPERTY_SUMMARY: summary };
  if (flags.seed !== undefined) env.POOLS_PROPERTY_SEED = flags.seed;
  if (flags.path !== undefined) env.POOLS_PROPERTY_PATH = flags.path;
  if (flags.runs !== undefined) env.POOLS_PROPERTY_RUNS = flags.runs;
  console.log(bold(`Pools by Hand · soak${flags.quick ? " (npm test's counts)" : ""}`));
  console.log(dim(`${files.length} suites in src/properties/${flags.only ? `, tests matching ${JSON.stringify(flags.only)}` : ""}\n`));
  const started = performance.now();
  try {
    const run = await runTests(files, {
      env,
      testTimeoutMs: 3_600_000,
      concurrency: 2,
      nodeArgs: flags.only ? [`--test-name-pattern=${flags.only}`] : [],
    });
    for (const [file, result] of run.files) {
      const ok = result.failed.length === 0;
      // With --only, the tests left out count as passed in a file's tally: show failures only.
      if (!ok || !flags.only) console.log(`${mark(ok)} ${file.replace(DIST, "")} ${dim(`${result.passed} passed`)}`);
      if (!ok) for (const line of describeFile(result, 5)) console.log(line);
    }
    // Nothing recorded means every test was filtered out, or a file crashed first.
    printSummary(readJsonLines<Entry>(summary));
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    const ok = run.exitCode === 0 && run.failed === 0 && run.tests > 0;
    console.log(ok ? `\nThe soak passed: ${run.passed} tests in ${seconds} s.` : red(`\nThe soak failed: ${run.failed} failing tests, in ${seconds} s.`));
    if (run.tests === 0) console.log(red("No test ran: check the --only pattern."));
    return ok ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
