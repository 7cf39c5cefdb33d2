/**
 * Step 03: results, callbacks and error callbacks. A `Pool` that hands back an
 * `AsyncResult` for every task, maps in chunks, iterates results in input or
 * completion order, and keeps where tasks run behind a small `Runner`
 * interface that later steps extend.
 *
 * @module 03-results
 */
export { AsyncResult, type AsyncResultOptions, type Outcome, type ResultCallbacks } from "./async-result.js";
export { checkChunksize, defaultChunksize, splitIntoChunks } from "./chunks.js";
export { BrokenPoolError, PoolTerminatedError, TimeoutError } from "./errors.js";
export { EventLoopRunner } from "./event-loop-runner.js";
export { Pool, type MapOptions, type PoolOptions, type PoolState, type RunIn } from "./pool.js";
export { ResultStream } from "./result-stream.js";
export {
  createRunner,
  registerRunner,
  runnerTraits,
  type Job,
  type Runner,
  type RunnerFactory,
  type RunnerOptions,
  type RunnerTraits,
  type TaskFunction,
} from "./runner.js";
