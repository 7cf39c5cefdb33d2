/**
 * Chapter 04's demo (`npm run demo -- 04`): the same {@link Pool} with its
 * tasks on the event loop, on worker threads and on child processes.
 *
 * 1. Seed 000's CPU-bound job, made exact: the sum of 1..10^8 in ten chunks,
 *    serially and on each kind of pool, with the speed-up over serial.
 * 2. An IO-bound job (tasks that only wait) on each kind of pool, with what
 *    each pool costs: start-up time and memory per worker.
 * 3. What crossing a thread or process boundary costs: an 8 MB Float64Array
 *    copied, transferred or shared, and a small object, there and back.
 * 4. Two failures: a function that cannot be sent, and a worker that dies.
 *
 * The machine is shared and noisy: every time is the median of several runs
 * after a warm-up, with the fastest and slowest in brackets. `--runs N` sets
 * how many; `--quick` shrinks every job so the whole demo takes seconds (the
 * demo's own test uses it).
 */
import { fork, type ChildProcess, type Serializable } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { Pool, type RunIn } from "../03-results/index.js";
import { WorkerCrashedError } from "./index.js";
import { echo, exitWith, sumRange, waitFor, whoAmI, whoAmIAfter } from "./demo-tasks.js";

const TASKS = new URL("./demo-tasks.js", import.meta.url);
const ECHO = new URL("./demo-echo.js", import.meta.url);

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : quick ? 1 : 5;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new RangeError(`--runs must be a whole number >= 1, got ${args[runsArg + 1]}`);

/** Seed 000's n and chunks; the IO job; the payload of section 3. */
const N = quick ? 1_000_000 : 100_000_000;
const CHUNKS = 10;
const IO_TASKS = quick ? 20 : 100;
const IO_WAIT_MS = quick ? 10 : 50;
const IO_WORKERS = 10;
const FLOATS = quick ? 10_000 : 1_000_000;

const cores = availableParallelism();
const say = (text = "") => console.log(text === "" ? "" : `   ${text}`);
const fmt = (ms: number) => (ms < 1 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const grouped = (value: number | bigint) => value.toLocaleString("en");

/** Median, fastest and slowest of some timings. */
interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(times: number[]): Spread {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

const showSpread = (s: Spread) => `${fmt(s.median).padStart(6)} ms  (${fmt(s.min)}–${fmt(s.max)})`;

/** Runs `body` once to warm up, then `runs` times, timing each. */
async function measure(runs: number, body: () => Promise<unknown> | unknown): Promise<Spread> {
  await body();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await body();
    times.push(performance.now() - started);
  }
  return spread(times);
}

function makePool(runIn: RunIn, size: number): Pool {
  return runIn === "event-loop" ? new Pool(size) : new Pool(size, { runIn, tasks: TASKS });
}

async function finish(pool: Pool): Promise<void> {
  pool.close();
  await pool.join();
}

// ---------------------------------------------------------------------------
// 1. CPU-bound: seed 000's sum

const expected = (N * (N + 1)) / 2;
const chunks: [number, number][] = Array.from({ length: CHUNKS }, (_, i) => [(i * N) / CHUNKS + 1, ((i + 1) * N) / CHUNKS]);
let wrong = 0;

function check(total: number): void {
  if (total !== expected) wrong += 1;
}

/**
 * Times each row once per round, rows taking turns, so that a burst of load
 * from elsewhere falls on all of them alike. Returns each row's times, round
 * by round.
 */
async function interleaved(rows: (() => Promise<unknown> | unknown)[], rounds: number): Promise<number[][]> {
  const times: number[][] = rows.map(() => []);
  for (const row of rows) await row(); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [i, row] of rows.entries()) {
      const started = performance.now();
      await row();
      times[i]?.push(performance.now() - started);
    }
  }
  return times;
}

/** Clock ticks of CPU time so far: the machine's busy and total, and this process's own with its ended children's (Linux's /proc). */
function cpuTicks(): { busy: number; total: number; mine: number } | undefined {
  if (!existsSync("/proc/stat")) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  const stat = readFileSync("/proc/self/stat", "utf8");
  // After the command name: state, then 10 fields, then utime, stime, cutime, cstime.
  const [utime, stime, cutime, cstime] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(11, 15).map(Number) as number[];
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0), mine: (utime ?? 0) + (stime ?? 0) + (cutime ?? 0) + (cstime ?? 0) };
}

/** How busy other processes kept the cores between two readings, as a share of all the cores' time. */
function othersShare(before: ReturnType<typeof cpuTicks>): string {
  const after = cpuTicks();
  if (!before || !after || after.total === before.total) return `load average ${loadavg()[0]?.toFixed(1)} over the last minute`;
  const others = (after.busy - before.busy - (after.mine - before.mine)) / (after.total - before.total);
  return `other processes kept the cores ${Math.max(0, Math.round(others * 100))}% busy meanwhile (from /proc/stat)`;
}

async function cpuBound(): Promise<void> {
  const rounds = RUNS * 2 - 1;
  console.log(`1. CPU-bound: the sum of 1..${grouped(N)} in ${CHUNKS} chunks (seed 000), median of ${rounds} rounds after a warm-up`);
  say(`expected n(n+1)/2 = ${grouped(expected)}; below 2^53 = ${grouped(2 ** 53)}, so plain numbers add it exactly`);
  say(`this machine has ${cores} cores (os.availableParallelism()), shared with other users`);
  say("pools are started and warmed before the clock starts; the rows take turns in each round, and a");
  say("speed-up is the median of the rounds' serial time over the row's time");
  say();
  const places: [string, RunIn, number][] = [
    [`event-loop pool, ${CHUNKS} workers`, "event-loop", CHUNKS],
    [`worker threads, ${cores} workers`, "threads", cores],
    [`worker threads, ${CHUNKS} workers`, "threads", CHUNKS],
    [`child processes, ${cores} workers`, "processes", cores],
    [`child processes, ${CHUNKS} workers`, "processes", CHUNKS],
  ];
  const ticks = cpuTicks();
  const pools = places.map(([, runIn, size]) => makePool(runIn, size));
  const serial = () => check(chunks.reduce((total, [start, end]) => total + sumRange(start, end), 0));
  // One chunk per job, as seed 000 submits one apply_async per chunk.
  const onPool = (pool: Pool) => async () => check((await pool.starmap(sumRange, chunks, 1)).reduce((a, b) => a + b, 0));
  const [serialTimes, ...poolTimes] = (await interleaved([serial, ...pools.map(onPool)], rounds)) as [number[], ...number[][]];
  await Promise.all(pools.map(finish));
  // A speed-up is taken within each round, where serial and pool met the same
  // load, and the median of those is shown; then the fastest run over the fastest.
  const fastestSerial = spread(serialTimes).min;
  say(`${"".padEnd(32)}${"time".padStart(6)}     (fastest–slowest)   speed-up   fastest vs fastest`);
  const row = (label: string, times: number[]) => {
    const s = spread(times);
    const speedUp = spread(times.map((time, round) => (serialTimes[round] as number) / time)).median;
    say(`${label.padEnd(32)}${showSpread(s).padEnd(30)}${`${speedUp.toFixed(2)}×`.padStart(6)}   ${`${(fastestSerial / s.min).toFixed(2)}×`.padStart(12)}`);
  };
  row("serial, on this thread", serialTimes);
  places.forEach(([label], i) => row(label, poolTimes[i] as number[]));
  say(wrong === 0 ? `every run's total was ${grouped(expected)}` : `${wrong} runs gave a WRONG total`);
  say(othersShare(ticks));
  say();
}

// ---------------------------------------------------------------------------
// 2. IO-bound: tasks that wait, and what each pool costs

/** The resident memory of this process's child processes, from /proc (Linux only). */
function childrenRss(): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent !== process.pid) continue;
      const rssKb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      total += Number(rssKb ?? 0) * 1024;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

interface IoRun {
  startup: number;
  job: number;
  memoryPerWorker: number | undefined;
}

async function ioRun(runIn: RunIn): Promise<IoRun> {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const pool = makePool(runIn, IO_WORKERS);
  // Started once every worker has answered: a round of short tasks, one per
  // worker, spreads over the workers that are ready; repeat until all were.
  // (An event-loop pool's slots are all this thread, ready at once.)
  const answered = new Set<string>();
  while (runIn !== "event-loop" && answered.size < IO_WORKERS) {
    if (performance.now() - started > 30_000) throw new Error(`only ${answered.size} of ${IO_WORKERS} workers answered within 30 s`);
    for (const worker of await pool.map(whoAmIAfter, Array.from({ length: IO_WORKERS }, () => 2), 1)) answered.add(worker);
  }
  const startup = performance.now() - started;
  const jobStarted = performance.now();
  const waited = await pool.map(waitFor, Array.from({ length: IO_TASKS }, () => IO_WAIT_MS), 1);
  const job = performance.now() - jobStarted;
  if (waited.length !== IO_TASKS) wrong += 1;
  // Every worker has run tasks by now: what they hold is resident.
  const children = runIn === "processes" ? childrenRss() : 0;
  const grown = process.memoryUsage().rss - rssBefore;
  await finish(pool);
  return { startup, job, memoryPerWorker: children === undefined ? undefined : (grown + children) / IO_WORKERS };
}

async function ioBound(): Promise<void> {
  const ideal = Math.ceil(IO_TASKS / IO_WORKERS) * IO_WAIT_MS;
  console.log(`2. IO-bound: ${IO_TASKS} tasks that each wait ${IO_WAIT_MS} ms, on ${IO_WORKERS} workers (${ideal} ms if the waits overlap perfectly)`);
  say(`median of ${RUNS} fresh pools; start-up is from new Pool() until every worker has answered, memory is resident (RSS) per worker`);
  say();
  say(`${"".padEnd(20)}${"job".padStart(6)}     (fastest–slowest)   ${"start-up".padStart(8)}   memory per worker`);
  for (const [label, runIn] of [
    ["event-loop pool", "event-loop"],
    ["worker threads", "threads"],
    ["child processes", "processes"],
  ] as [string, RunIn][]) {
    const runs: IoRun[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await ioRun(runIn));
    const memory = spread(runs.map((r) => r.memoryPerWorker ?? Number.NaN)).median;
    const memoryText = runIn === "event-loop" ? `${mb(memory)} (a slot is an object on this thread)` : Number.isNaN(memory) ? "n/a (needs Linux's /proc)" : mb(memory);
    say(`${label.padEnd(20)}${showSpread(spread(runs.map((r) => r.job))).padEnd(30)}${`${fmt(spread(runs.map((r) => r.startup)).median)} ms`.padStart(8)}   ${memoryText}`);
  }
  say();
}

// ---------------------------------------------------------------------------
// 3. What crossing costs

type Send = (message: unknown, transfer?: ArrayBuffer[]) => Promise<unknown>;

/** A round trip to a worker thread or child process running demo-echo. */
function channelTo(endpoint: Worker | ChildProcess): Send {
  return (message, transfer) => {
    const reply = once(endpoint, "message").then(([value]) => value);
    if (endpoint instanceof Worker) endpoint.postMessage(message, transfer);
    else endpoint.send(message as Serializable);
    return reply;
  };
}

async function crossingCosts(): Promise<void> {
  const runs = Math.max(RUNS, quick ? 1 : 7);
  const megabytes = `${(FLOATS * 8) / 1e6} MB`;
  console.log(`3. What crossing costs: a round trip (there and back) of a Float64Array of ${grouped(FLOATS)} numbers (${megabytes}) and of a small object, median of ${runs}`);
  say();
  const thread = new Worker(ECHO);
  const advanced = fork(new URL(ECHO).pathname, [], { serialization: "advanced" });
  const json = fork(new URL(ECHO).pathname, [], { serialization: "json" });
  const [toThread, toAdvanced, toJson] = [channelTo(thread), channelTo(advanced), channelTo(json)];
  const small = { id: 42, name: "chunk", range: [1, 10_000_000] };
  let data = new Float64Array(FLOATS).fill(1.5);
  let plain: number[] | undefined; // made at JSON's turn, so its garbage cannot slow the rows before
  const shared = new Float64Array(new SharedArrayBuffer(FLOATS * 8));

  const copied = await measure(runs, () => toThread({ mode: "copy", data }));
  let detached = true;
  const moved = await measure(runs, async () => {
    const message = { mode: "transfer", data };
    const reply = (await toThread(message, [data.buffer])) as { data: Float64Array<ArrayBuffer> };
    detached &&= data.byteLength === 0; // the sender's view is empty once its buffer has moved
    data = reply.data;
  });
  const sharedTime = await measure(runs, () => toThread({ mode: "shared", data: shared }));
  const poolThreads = makePool("threads", 1);
  const poolProcesses = makePool("processes", 1);
  // JSON goes last: its big strings and arrays leave garbage that slows the rows after it.
  const rows: [string, string, Spread, Spread | undefined][] = [
    ["worker thread", "structured clone: a copy each way", copied, await measure(runs, () => toThread({ mode: "copy", data: small }))],
    ["worker thread", "transferred: the buffer moves", moved, undefined],
    ["worker thread", "SharedArrayBuffer: nothing moves", sharedTime, undefined],
    ["the kit, threads", "pool.apply(echo, [data]): a copy", await measure(runs, () => poolThreads.apply(echo, [data])), await measure(runs, () => poolThreads.apply(echo, [small]))],
    ["child process", "V8 serializer ('advanced')", await measure(runs, () => toAdvanced({ mode: "copy", data })), await measure(runs, () => toAdvanced(small))],
    ["the kit, processes", "pool.apply(echo, [data]): a copy", await measure(runs, () => poolProcesses.apply(echo, [data])), await measure(runs, () => poolProcesses.apply(echo, [small]))],
    ["child process", "JSON, as an Array of numbers", await measure(runs, () => toJson((plain ??= Array.from(data)))), await measure(runs, () => toJson(small))],
  ];
  say(`${"to".padEnd(20)}${"how".padEnd(36)}${megabytes.padStart(9)}   ${"small object".padStart(12)}`);
  for (const [to, how, big, little] of rows) {
    say(`${to.padEnd(20)}${how.padEnd(36)}${`${fmt(big.median)} ms`.padStart(9)}   ${(little ? `${fmt(little.median)} ms` : "").padStart(12)}`);
  }
  say(`after each transfer the sender's Float64Array had byteLength 0: ${detached}; the shared one reads ${shared[0]} (written by the thread)`);
  await Promise.all([thread.terminate(), finish(poolThreads), finish(poolProcesses)]);
  advanced.kill();
  json.kill();
  say();
}

// ---------------------------------------------------------------------------
// 4. What goes wrong

async function failures(): Promise<void> {
  console.log("4. What goes wrong");
  const pool = makePool("threads", 1);
  try {
    pool.apply((x: number) => x * 2, [21]);
  } catch (error) {
    say(`a lambda: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const before = await pool.apply(whoAmI);
  const crashed = await pool.apply(exitWith, [3]).catch((error: unknown) => error);
  const kind = crashed instanceof WorkerCrashedError ? "WorkerCrashedError" : "something else";
  say(`a task calls process.exit(3): ${kind}: ${(crashed as Error).message}`);
  say(`the task before ran on ${before}; the next one runs on ${await pool.apply(whoAmI)}, a fresh worker`);
  await finish(pool);
}

await cpuBound();
await ioBound();
await crossingCosts();
await failures();
if (wrong > 0) process.exitCode = 1;
