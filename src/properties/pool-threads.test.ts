/** The pool property in worker threads; see pool-schedule.ts for what it checks. */
import { test } from "node:test";
import { threads } from "./places.js";
import { poolPropertyTest } from "./pool-schedule.js";

test(...poolPropertyTest(threads, "in worker threads", { test: 40, soak: 1000 }));
