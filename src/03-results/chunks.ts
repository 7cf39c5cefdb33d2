import { checkInteger } from "../01-reusable-worker/checks.js";

/**
 * Python's default chunk size for `map`: split the items into about four
 * chunks per worker, so the work balances without paying the per-task cost
 * once per item. `divmod(len, size * 4)`, plus one if there is a remainder.
 *
 * @example
 * ```ts
 * defaultChunksize(100, 3); // 9: divmod(100, 12) is (8, 4)
 * defaultChunksize(12, 3);  // 1
 * defaultChunksize(0, 4);   // 0: nothing to split
 * ```
 */
export function defaultChunksize(length: number, size: number): number {
  const whole = Math.floor(length / (size * 4));
  return length % (size * 4) === 0 ? whole : whole + 1;
}

/**
 * Checks an explicit chunk size. Python silently returns a list of `None`s for
 * `map(..., chunksize=0)`; the kit refuses it.
 *
 * @throws TypeError when it is not a number; RangeError when it is not a whole
 * number of at least 1.
 * @example
 * ```ts
 * checkChunksize(4); // 4
 * checkChunksize(0); // throws RangeError: Chunksize must be 1+, not 0
 * ```
 */
export function checkChunksize(chunksize: unknown): number {
  return checkInteger("chunksize", chunksize, 1, `Chunksize must be 1+, not ${String(chunksize)}`);
}

/**
 * Splits `items` into consecutive slices of `size` (the last may be shorter).
 *
 * @throws as {@link checkChunksize} does, unless `items` is empty.
 * @example
 * ```ts
 * splitIntoChunks([1, 2, 3, 4, 5], 2); // [[1, 2], [3, 4], [5]]
 * ```
 */
export function splitIntoChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  if (items.length === 0) return chunks;
  checkChunksize(size);
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
