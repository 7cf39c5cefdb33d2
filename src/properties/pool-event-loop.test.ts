/** The pool property on the event loop; see pool-schedule.ts for what it checks. */
import { test } from "node:test";
import { eventLoop } from "./places.js";
import { poolPropertyTest } from "./pool-schedule.js";

test(...poolPropertyTest(eventLoop, "on the event loop", { test: 1000, soak: 20_000 }));
