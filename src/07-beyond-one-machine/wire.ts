/**
 * What travels through the database: a job (a chunk of calls of one task,
 * named) and its outcome. Values cross as V8's serialization, the format a
 * child process's IPC uses in chapter 04 (`serialization: "advanced"`), so a
 * Map, a Set, a BigInt, a Date or a typed array arrives as it left; the bytes
 * travel as base64 text inside graphile-worker's JSON payload and in
 * notifications.
 */
import { deserialize, serialize } from "node:v8";
import type { Outcome } from "../03-results/async-result.js";
import { revivedError, sendableError, type SentError } from "../04-threads-and-processes/remote-error.js";

/**
 * A job as it sits in graphile-worker's table. `jobId` counts the jobs of one
 * pool; `poolId` names the pool whose results channel is waiting for it.
 *
 * @example
 * ```ts
 * const payload: JobPayload = { poolId: "4f1c…", jobId: 1, task: "square", star: false, items: encode([1, 2, 3]) };
 * ```
 */
export interface JobPayload {
  poolId: string;
  jobId: number;
  /** The export of the tasks module to call. */
  task: string;
  /** Whether each item is a list of arguments to spread (see the Job of step 03). */
  star: boolean;
  /** base64 of the serialized items. */
  items: string;
}

/** An outcome as it travels back: the values, or what was thrown, made sendable. */
type SentOutcome = { ok: true; values: unknown[] } | { ok: false; error: SentError };

/**
 * `value` serialized and in base64.
 *
 * @throws DataCloneError (a DOMException) for a value V8 cannot serialize:
 *   a function, a class instance's methods, a symbol…
 * @example
 * ```ts
 * encode([1, 2n, new Map()]); // "/w9BA0kCWgIQ…"
 * ```
 */
export function encode(value: unknown): string {
  return serialize(value).toString("base64");
}

/**
 * The value {@link encode} was given.
 *
 * @example
 * ```ts
 * decode(encode(new Set([1]))); // Set { 1 }
 * ```
 */
export function decode(text: string): unknown {
  return deserialize(Buffer.from(text, "base64"));
}

/**
 * An outcome as text. Values that cannot be serialized become a failed
 * outcome whose TypeError says so — Python's `MaybeEncodingError` — so the
 * caller hears about it instead of the queue retrying the job.
 *
 * @example
 * ```ts
 * encodeOutcome({ ok: true, value: [4] }, "square");
 * ```
 */
export function encodeOutcome(outcome: Outcome<unknown[]>, task: string): string {
  if (!outcome.ok) return encode({ ok: false, error: sendableError(outcome.error) } satisfies SentOutcome);
  try {
    return encode({ ok: true, values: outcome.value } satisfies SentOutcome);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const failure = new TypeError(`the result of ${task} cannot be sent back from the worker: ${reason}`);
    return encode({ ok: false, error: sendableError(failure) } satisfies SentOutcome);
  }
}

/**
 * The outcome {@link encodeOutcome} encoded, with an error rebuilt as
 * chapter 04 rebuilds it: same type, fields and remote stack.
 *
 * @example
 * ```ts
 * decodeOutcome(text); // { ok: true, value: [4] }
 * ```
 */
export function decodeOutcome(text: string): Outcome<unknown[]> {
  const sent = decode(text) as SentOutcome;
  return sent.ok ? { ok: true, value: sent.values } : { ok: false, error: revivedError(sent.error) };
}

/**
 * Whether a payload read from the queue has the shape of a {@link JobPayload}:
 * anyone can add a job, so the worker checks before trusting it.
 *
 * @example
 * ```ts
 * if (!isJobPayload(payload)) throw new Error("malformed job");
 * ```
 */
export function isJobPayload(value: unknown): value is JobPayload {
  const p = value as JobPayload | null;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.poolId === "string" &&
    Number.isSafeInteger(p.jobId) &&
    typeof p.task === "string" &&
    typeof p.star === "boolean" &&
    typeof p.items === "string"
  );
}
