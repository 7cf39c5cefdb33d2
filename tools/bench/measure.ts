/**
 * One measurement of one scenario on one Node implementation, run inside the
 * child process the runner started for it: open, warm up, time, check every
 * result, close. python/bench.py does the same for Python's pools.
 */
import { mapByChunks, type Implementation, type PoolAdapter } from "./implementation.js";
import type { MetricId, Params } from "./scenarios.js";
import { median } from "./stats.js";
import { pbkdf2, sumRange, type TaskName } from "./tasks.js";

/** What one measurement produced. */
export interface MeasureResult {
  metrics: Partial<Record<MetricId, number>>;
  /** What was checked, in a few words ("50000 results, each i + 1"). */
  checked: string;
}

/** A result that is not what the task must return: the measurement is void. */
export class WrongResultError extends Error {
  override name = "WrongResultError";
}

const now = () => performance.now();

/** Collects garbage before the clock starts, when the child runs with `--expose-gc`. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) {
    throw new WrongResultError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** The exact total of 1..n, n(n+1)/2, as the sum must return it. */
export function triangular(n: number): number {
  const total = (BigInt(n) * (BigInt(n) + 1n)) / 2n;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`1..${n} sums past 2^53; doubles would round it`);
  return Number(total);
}

/** 1..n cut into `chunks` consecutive ranges `[start, end]` (the last takes the rest). */
export function sumRanges(n: number, chunks: number): [number, number][] {
  const step = Math.floor(n / chunks);
  return Array.from({ length: chunks }, (_, c) => [c * step + 1, c === chunks - 1 ? n : (c + 1) * step]);
}

/** Runs `params` on `implementation` with `workers` workers. */
export async function measure(implementation: Implementation, params: Params, workers: number): Promise<MeasureResult> {
  if (params.kind === "startup") return startup(implementation, workers);
  if (params.kind === "server-start") return serverStart(implementation);
  const adapter = await implementation.open(workers);
  try {
    switch (params.kind) {
      case "burst":
        return await burst(adapter, params);
      case "sequential":
        return await sequential(adapter, params);
      case "map":
        return await map(adapter, params, workers);
      case "sum":
        return await sum(adapter, params);
      case "pbkdf2":
        return await derive(adapter, params);
      case "recovery":
        return await recovery(adapter, params, workers);
    }
  } finally {
    await adapter.close();
  }
}

async function startup(implementation: Implementation, workers: number): Promise<MeasureResult> {
  const once = async () => {
    const started = now();
    const adapter = await implementation.open(workers);
    const result = await adapter.call("add", [1, 2]);
    const ms = now() - started;
    expectEqual(result, 3, "add(1, 2)");
    await adapter.close();
    return ms;
  };
  await once();
  collectGarbage();
  return { metrics: { wall_ms: await once() }, checked: "add(1, 2) = 3" };
}

async function burst(adapter: PoolAdapter, params: Extract<Params, { kind: "burst" }>): Promise<MeasureResult> {
  const { task, n, waitMs = 0 } = params;
  const argsFor = (i: number) => (task === "wait" ? [waitMs, i] : [i, 1]);
  const expected = (i: number) => (task === "wait" ? i : i + 1);
  const run = (count: number) => {
    const calls = new Array<Promise<unknown>>(count);
    for (let i = 0; i < count; i++) calls[i] = adapter.call(task, argsFor(i));
    return Promise.all(calls);
  };
  const check = (results: unknown[], count: number) => {
    expectEqual(results.length, count, `number of ${task} results`);
    results.forEach((result, i) => expectEqual(result, expected(i), `${task} call ${i}`));
  };
  check(await run(params.warmup), params.warmup);
  collectGarbage();
  const started = now();
  const results = await run(n);
  const ms = now() - started;
  check(results, n);
  return {
    metrics: { wall_ms: ms, tasks_per_s: (n / ms) * 1000 },
    checked: `${n} results, each ${task === "wait" ? "i" : "i + 1"}`,
  };
}

async function serverStart(implementation: Implementation): Promise<MeasureResult> {
  if (!implementation.startServer) throw new TypeError(`${implementation.id} has no server to start`);
  const started = now();
  const server = await implementation.startServer();
  const ms = now() - started;
  await server.stop();
  return { metrics: { wall_ms: ms }, checked: "the server started and stopped" };
}

async function sequential(adapter: PoolAdapter, params: Extract<Params, { kind: "sequential" }>): Promise<MeasureResult> {
  const times: number[] = [];
  const run = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const started = now();
      expectEqual(await adapter.call("add", [i, 1]), i + 1, `add(${i}, 1)`);
      times.push(now() - started);
    }
  };
  await run(params.warmup);
  times.length = 0;
  collectGarbage();
  const started = now();
  await run(params.n);
  const ms = now() - started;
  return {
    metrics: { wall_ms: ms, us_per_task: (ms * 1000) / params.n, median_ms: median(times) },
    checked: `${params.n} results, each i + 1`,
  };
}

async function recovery(adapter: PoolAdapter, params: Extract<Params, { kind: "recovery" }>, workers: number): Promise<MeasureResult> {
  if (!adapter.crash) throw new TypeError("this implementation cannot crash a worker");
  const calls = Array.from({ length: workers }, (_, i) => adapter.call("wait", [params.taskMs, i]));
  await adapter.crash();
  const killed = now();
  const results = await Promise.all(calls);
  const ms = now() - killed;
  results.forEach((result, i) => expectEqual(result, i, `wait(${params.taskMs}, ${i})`));
  return { metrics: { wall_ms: ms }, checked: `${workers} results, each i, one of them after its worker was killed` };
}

async function map(adapter: PoolAdapter, params: Extract<Params, { kind: "map" }>, workers: number): Promise<MeasureResult> {
  const task: TaskName = "double";
  const run = (items: readonly number[]) =>
    adapter.map ? adapter.map(task, items, params.chunksize) : mapByChunks(adapter, task, items, params.chunksize, workers);
  const check = (results: unknown[], count: number) => {
    expectEqual(results.length, count, "number of map results");
    results.forEach((result, i) => expectEqual(result, 2 * i, `double(${i})`));
  };
  const items = Array.from({ length: params.n }, (_, i) => i);
  check(await run(items.slice(0, params.warmup)), params.warmup);
  collectGarbage();
  const started = now();
  const results = await run(items);
  const ms = now() - started;
  check(results, params.n);
  return { metrics: { wall_ms: ms, tasks_per_s: (params.n / ms) * 1000 }, checked: `${params.n} results, each 2i, in order` };
}

/**
 * Times the same `calls` serially in this process and through the pool, and
 * reports both and their ratio: the speed-up in the same language. `check`
 * sees both sets of results.
 */
async function speedup(
  adapter: PoolAdapter,
  task: TaskName,
  calls: readonly (readonly unknown[])[],
  serial: (args: readonly unknown[]) => unknown,
  check: (serialResults: readonly unknown[], pooled: readonly unknown[]) => void,
  warmup: readonly (readonly unknown[])[],
): Promise<MeasureResult["metrics"]> {
  warmup.forEach((args) => serial(args));
  await Promise.all(warmup.map((args) => adapter.call(task, args)));
  collectGarbage();
  let started = now();
  const serialResults = calls.map((args) => serial(args));
  const serialMs = now() - started;
  collectGarbage();
  started = now();
  const results = await Promise.all(calls.map((args) => adapter.call(task, args)));
  const ms = now() - started;
  check(serialResults, results);
  return { wall_ms: ms, serial_ms: serialMs, speedup: serialMs / ms };
}

async function sum(adapter: PoolAdapter, params: Extract<Params, { kind: "sum" }>): Promise<MeasureResult> {
  const expected = triangular(params.n);
  const total = (results: readonly unknown[]) => (results as number[]).reduce((a, b) => a + b, 0);
  const check = (serialResults: readonly unknown[], pooled: readonly unknown[]) => {
    expectEqual(total(serialResults), expected, `serial sum of 1..${params.n}`);
    expectEqual(total(pooled), expected, `pooled sum of 1..${params.n}`);
  };
  const warmup = sumRanges(Math.max(params.chunks, Math.floor(params.n / 100)), params.chunks);
  const serial = ([start, end]: readonly unknown[]) => sumRange(start as number, end as number);
  const metrics = await speedup(adapter, "sumRange", sumRanges(params.n, params.chunks), serial, check, warmup);
  return { metrics, checked: `total = n(n+1)/2 = ${expected}, serial and pooled` };
}

async function derive(adapter: PoolAdapter, params: Extract<Params, { kind: "pbkdf2" }>): Promise<MeasureResult> {
  const argsFor = (i: number, iterations = params.iterations) => ["password", `salt-${i}`, iterations, params.keylen] as const;
  const check = (serialResults: readonly unknown[], pooled: readonly unknown[]) => {
    expectEqual(pooled.length, params.calls, "number of pooled keys");
    serialResults.forEach((key, i) => {
      expectEqual(typeof key === "string" && key.length, params.keylen * 2, `serial key ${i}, hex length`);
      expectEqual(pooled[i], key, `pooled key ${i}`);
    });
  };
  const serial = (args: readonly unknown[]) => pbkdf2(...(args as Parameters<typeof pbkdf2>));
  const calls = Array.from({ length: params.calls }, (_, i) => argsFor(i));
  const metrics = await speedup(adapter, "pbkdf2", calls, serial, check, [argsFor(0, 1_000), argsFor(1, 1_000)]);
  return { metrics, checked: `${params.calls} keys, pooled equal to serial` };
}
