/**
 * Argument checks shared by every step of the kit, and exported for code built
 * on it. Each one throws at the call that passed the bad value, naming the
 * argument and what was expected, so a mistake is reported where it was made
 * and not later, deep inside a worker.
 */

function describe(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "function") return "a function";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return String(value);
}

/**
 * Checks that `value` is a whole number no smaller than `min`.
 *
 * @throws TypeError when `value` is not a number; RangeError when it is not a
 * safe integer or is below `min`.
 * @example
 * ```ts
 * checkInteger("maxsize", 3);   // 3
 * checkInteger("maxsize", "3"); // throws TypeError
 * ```
 */
export function checkInteger(name: string, value: unknown, min = Number.MIN_SAFE_INTEGER, tooSmall?: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a whole number, got ${describe(value)}`);
  }
  if (value < min) {
    throw new RangeError(tooSmall ?? `${name} must be at least ${min}, got ${value}`);
  }
  return value;
}

/**
 * Checks an optional timeout in milliseconds: `undefined` means "wait as long
 * as it takes", anything else must be a finite number that is not negative.
 *
 * @throws TypeError when it is not a number; RangeError when it is negative,
 * NaN or infinite.
 * @example
 * ```ts
 * checkTimeout("timeoutMs", undefined); // undefined
 * checkTimeout("timeoutMs", 250);       // 250
 * checkTimeout("timeoutMs", -1);        // throws RangeError
 * ```
 */
export function checkTimeout(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new TypeError(`${name} must be a number of milliseconds, got ${describe(value)}`);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number of milliseconds >= 0, got ${value}`);
  }
  return value;
}

/**
 * Checks that `value` is a function.
 *
 * @throws TypeError naming the argument.
 * @example
 * ```ts
 * checkFunction("task", () => 1); // the function
 * checkFunction("task", 42);      // throws TypeError: task must be a function, got 42
 * ```
 */
export function checkFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown, message?: string): F {
  if (typeof value !== "function") {
    throw new TypeError(message ?? `${name} must be a function, got ${describe(value)}`);
  }
  return value as F;
}

/**
 * Checks an optional `AbortSignal`.
 *
 * @throws TypeError when `value` is neither `undefined` nor an `AbortSignal`.
 * @example
 * ```ts
 * checkSignal("signal", AbortSignal.timeout(100)); // the signal
 * ```
 */
export function checkSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) {
    throw new TypeError(`${name} must be an AbortSignal, got ${describe(value)}`);
  }
  return value;
}
