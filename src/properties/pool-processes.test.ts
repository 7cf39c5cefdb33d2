/** The pool property in child processes; see pool-schedule.ts for what it checks. */
import { test } from "node:test";
import { processes } from "./places.js";
import { poolPropertyTest } from "./pool-schedule.js";

test(...poolPropertyTest(processes, "in child processes", { test: 20, soak: 300 }));
