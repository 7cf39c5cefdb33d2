/** `npm run demo -- <chapter> [args…]` and `npm run worker -- [args…]`: run a compiled program of the course. */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { DIST, ROOT } from "./paths.js";

/**
 * Runs a compiled script with the terminal attached, and resolves to its exit
 * code. Ctrl-C reaches the child from the terminal by itself, so this process
 * only waits for the child to shut down in its own time; a SIGTERM sent to
 * this process is passed on to the child.
 */
function runScript(script: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, ["--enable-source-maps", script, ...args], { cwd: ROOT, stdio: "inherit" });
  const waitForChild = () => {};
  const passOn = () => child.kill("SIGTERM");
  process.on("SIGINT", waitForChild);
  process.on("SIGTERM", passOn);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      process.off("SIGINT", waitForChild);
      process.off("SIGTERM", passOn);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

/** Runs the compiled `demo.ts` of the chapter folder whose number is given. */
export async function demoCommand(args: string[]): Promise<number> {
  const [chapter, ...rest] = args;
  const folders = readdirSync(`${ROOT}src`).filter((name) => existsSync(`${ROOT}src/${name}/demo.ts`));
  const folder = folders.find((name) => chapter !== undefined && name.startsWith(chapter.padStart(2, "0")));
  if (!folder) {
    console.error(`usage: npm run demo -- <chapter> [args]; chapters with a demo: ${folders.map((f) => f.slice(0, 2)).join(", ")}`);
    return 2;
  }
  return runScript(`${DIST}src/${folder}/demo.js`, rest);
}

/** Runs a chapter 07 worker: `npm run worker -- --db URL --tasks PATH --concurrency N`. */
export function workerCommand(args: string[]): Promise<number> {
  return runScript(`${DIST}src/07-beyond-one-machine/worker-cli.js`, args);
}
