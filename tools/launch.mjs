#!/usr/bin/env node
// The course's commands start here. Node 20 cannot run TypeScript directly, so
// this small JavaScript file compiles the course with tsc first (the compiler
// emits even when a half-done exercise has type errors), then hands over to
// the compiled tool with the compiler's diagnostics.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const build = spawnSync(process.execPath, [tsc, "-p", root, "--pretty", "false"], { cwd: root, encoding: "utf8" });
if (build.error) throw build.error;

const tool = new URL("../dist/tools/course.js", import.meta.url);
if (!existsSync(fileURLToPath(tool))) {
  process.stderr.write(build.stdout + build.stderr + "\nThe course tool did not compile; see the errors above.\n");
  process.exit(2);
}
const { main } = await import(pathToFileURL(fileURLToPath(tool)).href);
process.exitCode = await main(process.argv.slice(2), { diagnostics: build.stdout });
