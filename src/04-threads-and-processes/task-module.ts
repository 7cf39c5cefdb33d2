import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import type { TaskFunction } from "../03-results/runner.js";

const require = createRequire(import.meta.url);

/**
 * The module whose exported functions a pool's workers run. A worker thread or
 * child process cannot receive a function: it receives the function's *name*
 * and finds it in its own copy of this module, as Python pickles a function by
 * reference (module and qualified name) and never by value.
 *
 * The pool loads the module here too, at once, so it can tell which name
 * belongs to the function a caller passes — and refuse, at the call, a
 * function that is not one of its exports.
 *
 * @example
 * ```ts
 * const tasks = new TaskModule(new URL("./tasks.js", import.meta.url));
 * tasks.nameOf(sum); // "sum"
 * tasks.nameOf((x: number) => x); // throws TypeError: … not an export of …/tasks.js …
 * ```
 */
export class TaskModule {
  /** The module's `file:` URL, as workers import it. */
  readonly url: string;
  #names = new Map<unknown, string>();

  /**
   * @param tasks - a path (absolute, or relative to the working directory) or a
   *   `file:` URL of an ES module or CommonJS module without top-level await.
   * @throws TypeError when `tasks` is missing or not a path or URL, or names no
   *   file; an Error, with the module's own error as `cause`, when loading it throws.
   * @example
   * ```ts
   * new TaskModule("dist/tasks.js");
   * ```
   */
  constructor(tasks: unknown) {
    const path = TaskModule.#pathOf(tasks);
    this.url = pathToFileURL(path).href;
    let exports: Record<string, unknown>;
    try {
      exports = require(path) as Record<string, unknown>;
    } catch (error) {
      const why = (error as { code?: string }).code === "ERR_REQUIRE_ASYNC_MODULE" ? " (it uses top-level await, which cannot be loaded synchronously)" : "";
      throw new Error(`the tasks module ${this.url} could not be loaded${why}`, { cause: error });
    }
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === "function" && !this.#names.has(value)) this.#names.set(value, name);
    }
  }

  static #pathOf(tasks: unknown): string {
    if (tasks === undefined) {
      throw new TypeError("a pool that runs tasks in threads or processes needs the `tasks` option: the path or URL of the module that exports its task functions");
    }
    let path: string;
    if (tasks instanceof URL || (typeof tasks === "string" && tasks.startsWith("file:"))) path = fileURLToPath(tasks);
    else if (typeof tasks === "string") path = isAbsolute(tasks) ? tasks : resolve(tasks);
    else throw new TypeError(`tasks must be a path or a file: URL, got ${inspect(tasks, { depth: 0 })}`);
    if (!existsSync(path)) throw new TypeError(`tasks names no file: ${path}`);
    return path;
  }

  /**
   * The export name under which workers find `fn`.
   *
   * @throws TypeError, explaining why, when `fn` is not an export of the module.
   * @example
   * ```ts
   * tasks.nameOf(sumRange); // "sumRange"
   * ```
   */
  nameOf(fn: TaskFunction): string {
    const name = this.#names.get(fn);
    if (name !== undefined) return name;
    const called = fn.name ? `the function ${fn.name}` : "an anonymous function";
    throw new TypeError(
      `${called} cannot be sent to a worker: it is not an export of ${this.url}. ` +
        "Workers find a task by its module and export name, as Python pickles a function by reference " +
        "(module and name), so lambdas, closures and methods cannot be sent. Export it from the tasks module.",
    );
  }
}
