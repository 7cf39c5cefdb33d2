/**
 * Pools by Hand: the public API, re-exported from every step of the course.
 *
 * @module pools-by-hand
 */
export * from "./01-reusable-worker/index.js";
export * from "./02-worker-pool/index.js";
export * from "./03-results/index.js";
export * from "./04-threads-and-processes/index.js";
export * from "./05-server/index.js";
export * from "./07-beyond-one-machine/index.js";
