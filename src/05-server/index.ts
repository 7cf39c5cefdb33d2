/**
 * Step 05: a pooled server. A line-based TCP echo server whose connections
 * are served by the kit's `Pool` (at most `poolSize` at once, a bounded
 * waiting room for the rest), with limits, a graceful shutdown, CPU-heavy
 * lines on a thread pool, a `node:cluster` primary that runs one server per
 * core, and a load client that checks every echo.
 *
 * @module 05-server
 */
export { LineBuffer, TOO_LONG } from "./line-buffer.js";
export { Connection, type Answer, type ConnectionRules, type LineCounters } from "./connection.js";
export { startEchoServer, type EchoServer, type EchoServerOptions, type EchoServerStats, type HashIn } from "./echo-server.js";
export { iteratedHash } from "./tasks.js";
export { formatLoadReport, runLoad, type LoadOptions, type LoadReport } from "./load.js";
export { RestartBackoff, type RestartBackoffOptions } from "./backoff.js";
export { runClusterWorker, startEchoCluster, type ClusterEvent, type EchoCluster, type EchoClusterOptions } from "./cluster.js";
