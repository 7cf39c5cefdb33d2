/**
 * The one task module every Node implementation in the benchmark runs
 * (node-pools.md §2.2, rule 1): piscina and tinypool load it as their
 * `filename`, the raw workers import it, the in-process queues and the inline
 * baseline call it directly, and the kit's pools take it as their `tasks`
 * module. tools/bench/python/tasks.py is its Python twin.
 */
import { pbkdf2Sync } from "node:crypto";

/** The tiny task: its cost is almost all overhead, which is what it measures. */
export function add(a: number, b: number): number {
  return a + b;
}

/** The tiny task as an async function, for the in-process queues. */
export async function addAsync(a: number, b: number): Promise<number> {
  return a + b;
}

/** The item function of the `map` scenario. */
export function double(x: number): number {
  return 2 * x;
}

/**
 * The sum of the integers `start..end`, in one plain loop (seed 000's task).
 * Exact in doubles while the total stays below 2^53, as 1..1e8 does.
 */
export function sumRange(start: number, end: number): number {
  let total = 0;
  for (let i = start; i <= end; i++) total += i;
  return total;
}

/** The IO-bound task: waits `ms` milliseconds, then resolves to `value`. */
export function wait<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, ms, value));
}

/**
 * PBKDF2-HMAC-SHA512 as hex, computed synchronously on the thread that runs
 * the task; the libuv implementation runs the same work with the async
 * `crypto.pbkdf2` instead.
 */
export function pbkdf2(password: string, salt: string, iterations: number, keylen: number): string {
  return pbkdf2Sync(password, salt, iterations, keylen, "sha512").toString("hex");
}

/**
 * Applies the task named `task` to each item of one chunk: how a pool
 * without a `map` of its own (piscina, tinypool) runs `map` with chunks.
 */
export function mapChunk(task: "double", items: readonly number[]): number[] {
  const fn = TASKS[task];
  return items.map((item) => fn(item));
}

/** Every task, by the name the harness and Python's twin use. */
export const TASKS = { add, addAsync, double, sumRange, wait, pbkdf2, mapChunk } as const;

/** A task's name. */
export type TaskName = keyof typeof TASKS;

/** One call of a task, as it crosses to a worker that only knows names. */
export interface TaskCall {
  fn: TaskName;
  args: readonly unknown[];
}

/** Whether `name` names a task of this module. */
export function isTaskName(name: unknown): name is TaskName {
  return typeof name === "string" && Object.hasOwn(TASKS, name);
}

/**
 * Runs one call by name. piscina and tinypool call this default export with
 * `{ fn, args }`, and the raw worker does the same with each message.
 */
export default function runTask({ fn, args }: TaskCall): unknown {
  if (!isTaskName(fn)) throw new TypeError(`unknown task ${String(fn)}; the tasks are ${Object.keys(TASKS).join(", ")}`);
  return (TASKS[fn] as (...args: readonly unknown[]) => unknown)(...args);
}
