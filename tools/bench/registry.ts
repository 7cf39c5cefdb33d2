/**
 * Finds every implementation: the Node ones in implementations/ (each file
 * exports `implementations`, so a new one joins by adding a file) and
 * Python's, which python/bench.py runs.
 */
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ROOT } from "../course/paths.js";
import { FAMILIES, type Family, type Implementation } from "./implementation.js";
import { isScenarioId, type ScenarioId } from "./scenarios.js";

/** What the runner and the reports know of an implementation, in either language. */
export interface Contender {
  id: string;
  label: string;
  family: Family;
  language: "node" | "python";
  scenarios: readonly ScenarioId[];
  env?: Readonly<Record<string, string>>;
}

const POOL_SCENARIOS: readonly ScenarioId[] = ["startup", "burst", "latency", "map", "sum", "pbkdf2", "io"];

/**
 * Python's pools, run by python/bench.py with the same parameters. Each is
 * pinned at 2 workers. ThreadPoolExecutor sits out `map`: it ignores
 * `chunksize` and makes a future per item, about 30 s for 1,000,000 items here.
 */
export const PYTHON_CONTENDERS: readonly Contender[] = (
  [
  { id: "python-mp-pool", label: "Python multiprocessing.Pool", scenarios: POOL_SCENARIOS },
  { id: "python-thread-pool", label: "Python multiprocessing.pool.ThreadPool", scenarios: POOL_SCENARIOS },
  { id: "python-process-executor", label: "Python ProcessPoolExecutor", scenarios: POOL_SCENARIOS },
  { id: "python-thread-executor", label: "Python ThreadPoolExecutor", scenarios: POOL_SCENARIOS.filter((s) => s !== "map") },
  { id: "python-process-per-task", label: "Python, a new Process per task", scenarios: ["worker-per-task"] },
  { id: "python-thread-per-task", label: "Python, a new Thread per task", scenarios: ["worker-per-task"] },
  ] satisfies Pick<Contender, "id" | "label" | "scenarios">[]
).map((c) => ({ ...c, family: "python" as const, language: "python" as const }));

const folder = new URL("./implementations/", import.meta.url);
const SOURCES = `${ROOT}tools/bench/implementations/`;

function validate(implementation: Implementation, file: string): void {
  const where = `implementations/${file}`;
  if (typeof implementation?.id !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(implementation.id)) {
    throw new TypeError(`${where}: every implementation needs an id of lower-case letters, digits and dashes`);
  }
  if (!FAMILIES.includes(implementation.family)) throw new TypeError(`${where}: ${implementation.id} has an unknown family ${implementation.family}`);
  if (typeof implementation.open !== "function") throw new TypeError(`${where}: ${implementation.id} has no open(workers)`);
  const unknown = implementation.scenarios.filter((s) => !isScenarioId(s));
  if (unknown.length > 0) throw new TypeError(`${where}: ${implementation.id} names unknown scenarios ${unknown.join(", ")}`);
}

/**
 * Every Node implementation, by family, then file, then declaration order.
 * Only compiled files whose TypeScript source still exists count, so a file
 * renamed or removed leaves no stale implementation behind in dist/.
 */
export async function loadImplementations(): Promise<Implementation[]> {
  const files = readdirSync(fileURLToPath(folder))
    .filter((name) => name.endsWith(".js") && !name.endsWith(".test.js"))
    .filter((name) => existsSync(`${SOURCES}${name.replace(/\.js$/, ".ts")}`))
    .sort();
  const found: Implementation[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, folder).href)) as { implementations?: Implementation[] };
    if (!Array.isArray(module.implementations)) throw new TypeError(`implementations/${file} must export an array \`implementations\``);
    for (const implementation of module.implementations) {
      validate(implementation, file);
      found.push(implementation);
    }
  }
  return sortByFamily(found);
}

/** `items` sorted by family, keeping their order within a family. */
export function sortByFamily<T extends { family: Family }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family));
}

/** Every contender, Node's and Python's, with ids checked for duplicates. */
export async function loadContenders(): Promise<Contender[]> {
  const node: Contender[] = (await loadImplementations()).map(({ id, label, family, scenarios, env }) => ({
    id,
    label,
    family,
    language: "node",
    scenarios,
    ...(env ? { env } : {}),
  }));
  const all = [...node, ...PYTHON_CONTENDERS];
  const seen = new Set<string>();
  for (const { id } of all) {
    if (seen.has(id)) throw new TypeError(`two implementations share the id ${id}`);
    seen.add(id);
  }
  return all;
}
