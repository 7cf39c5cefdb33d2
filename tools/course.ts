/**
 * The course tool: `npm start` (the board), `npm run exercise`, `npm run
 * solution`, `npm run hint`, `npm test` (the maintainer's check) and `npm run
 * bench` (the benchmark, tools/bench/). It is
 * started by tools/launch.mjs, which compiles the course first.
 */
import { benchCommand } from "./bench/cli.js";
import { boardCommand } from "./course/board.js";
import { checkCommand } from "./course/check.js";
import { demoCommand, workerCommand } from "./course/demo.js";
import { exerciseCommand, hintCommand } from "./course/exercises.js";
import { soakCommand } from "./course/soak.js";

const USAGE = `usage: node tools/launch.mjs <command>
  board                     the course board (npm start)
  exercise <ch|id> [--watch] run exercises against your files (npm run exercise -- 01)
  solution <ch|id>          run the same suites against the solutions
  hint <id>                 print an exercise's hint
  demo <ch> [args]          run a chapter's demo (npm run demo -- 02)
  worker [options]          a chapter 07 worker (npm run worker -- --db URL --tasks PATH)
  check [step ...]          the maintainer's check (npm test)
  bench [options]           the benchmark (npm run bench -- --help)
  soak [--only name] [--seed n] [--path p] [--runs n] [--quick]
                            the long property runs, or the replay of one failure (npm run soak)`;

/** Runs one command; resolves to the process exit code. */
export async function main(argv: string[], context: { diagnostics: string }): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "board":
      return boardCommand();
    case "exercise":
      return exerciseCommand(args, context.diagnostics, false);
    case "solution":
      return exerciseCommand(args, context.diagnostics, true);
    case "hint":
      return hintCommand(args);
    case "demo":
      return demoCommand(args);
    case "worker":
      return workerCommand(args);
    case "check":
      return checkCommand(args, context.diagnostics);
    case "bench":
      return benchCommand(args);
    case "soak":
      return soakCommand(args);
    default:
      console.error(USAGE);
      return 2;
  }
}
