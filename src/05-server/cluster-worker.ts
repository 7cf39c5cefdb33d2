/**
 * The script every worker of {@link startEchoCluster} runs by default: the
 * echo server, configured by the primary.
 */
import { runClusterWorker } from "./cluster.js";

await runClusterWorker();
