/**
 * The worker command's exit codes, shared by the command and by
 * {@link startWorkerProcess}, which tells a worker that gave up from one that died.
 */

/** Bad arguments: the usage is printed. */
export const BAD_ARGUMENTS = 2;

/** The worker could not start: no database, or a tasks module that fails to load. */
export const CANNOT_START = 3;
