import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder (this file is compiled to dist/tools/course/). */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Where tsc writes the compiled course. */
export const DIST = `${ROOT}dist/`;

/** A path relative to the repository root, for messages. */
export function fromRoot(path: string): string {
  return relative(ROOT, path.startsWith("file://") ? fileURLToPath(path) : path);
}

/** The compiled `.js` file of a `.ts` source file given relative to the root. */
export function compiled(sourcePath: string): string {
  return `${DIST}${sourcePath.replace(/\.ts$/, ".js")}`;
}
