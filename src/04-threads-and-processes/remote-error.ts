/**
 * Errors cross a thread or process boundary as plain data and are rebuilt on
 * the other side with their type name, message, code and stack. Structured
 * cloning alone would turn a `class ParseError extends Error` into a plain
 * `Error` and drop its own fields.
 */
import { RemoteTraceback } from "./errors.js";

/** An error, or any thrown value, as it travels between threads or processes. */
export type SentError =
  | { kind: "error"; name: string; message: string; stack: string; fields: Record<string, unknown> }
  | { kind: "value"; value: unknown };

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Keeps the own fields that survive a copy (e.g. `code`), and drops the rest. */
function copyableFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      // a field that cannot be copied stays behind
    }
  }
  return fields;
}

/**
 * Turns what a task threw into data that can be sent.
 *
 * @example
 * ```ts
 * port.postMessage({ ok: false, error: sendableError(thrown) });
 * ```
 */
export function sendableError(thrown: unknown): SentError {
  if (thrown instanceof Error) {
    return { kind: "error", name: thrown.name, message: thrown.message, stack: thrown.stack ?? "", fields: copyableFields(thrown) };
  }
  try {
    return { kind: "value", value: structuredClone(thrown) };
  } catch {
    return { kind: "value", value: String(thrown) };
  }
}

/**
 * Rebuilds an error sent by {@link sendableError}: same type for the built-in
 * error classes, same `name` for others, the same own fields, the remote stack,
 * and a {@link RemoteTraceback} as `cause`.
 *
 * @example
 * ```ts
 * const error = revivedError(message.error);
 * error.cause; // RemoteTraceback with the worker's stack
 * ```
 */
export function revivedError(sent: SentError): unknown {
  if (sent.kind === "value") return sent.value;
  const Constructor = BUILT_IN[sent.name] ?? Error;
  const error = new Constructor(sent.message, { cause: new RemoteTraceback(sent.stack) });
  if (error.name !== sent.name) Object.defineProperty(error, "name", { value: sent.name, writable: true, configurable: true });
  Object.assign(error, sent.fields);
  error.stack = sent.stack || `${sent.name}: ${sent.message}`;
  return error;
}
