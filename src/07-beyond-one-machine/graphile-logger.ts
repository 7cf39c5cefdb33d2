import { Logger } from "graphile-worker";

/**
 * graphile-worker's logger, keeping only its warnings and errors: its
 * information lines ("Worker connected and looking for jobs…") would drown
 * what the course prints.
 *
 * @example
 * ```ts
 * await run({ pgPool, taskList, logger: quietLogger });
 * ```
 */
export const quietLogger = new Logger((scope) => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[graphile-worker${scope.label ? ` ${scope.label}` : ""}] ${level}: ${message}`);
});
