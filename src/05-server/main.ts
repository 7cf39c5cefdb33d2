/**
 * `node dist/src/05-server/main.js serve|load …`: the chapter's command line
 * as a program of its own (see cli.ts), for tests and for running the server
 * outside the course tool.
 */
import { runCli } from "./cli.js";

process.exitCode = await runCli(process.argv.slice(2));
