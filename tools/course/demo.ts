/** `npm run demo -- <chapter> [args…]`: runs a chapter's compiled demo. */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { DIST, ROOT } from "./paths.js";

/** Runs the compiled `demo.ts` of the chapter folder whose number is given. */
export async function demoCommand(args: string[]): Promise<number> {
  const [chapter, ...rest] = args;
  const folders = readdirSync(`${ROOT}src`).filter((name) => existsSync(`${ROOT}src/${name}/demo.ts`));
  const folder = folders.find((name) => chapter !== undefined && name.startsWith(chapter.padStart(2, "0")));
  if (!folder) {
    console.error(`usage: npm run demo -- <chapter> [args]; chapters with a demo: ${folders.map((f) => f.slice(0, 2)).join(", ")}`);
    return 2;
  }
  const child = spawn(process.execPath, ["--enable-source-maps", `${DIST}src/${folder}/demo.js`, ...rest], {
    cwd: ROOT,
    stdio: "inherit",
  });
  // Ctrl-C reaches the demo too: let it shut down in its own time, and report how it ended.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  process.on("SIGTERM", ignore);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", ignore);
      resolve(code ?? 1);
    }),
  );
}
