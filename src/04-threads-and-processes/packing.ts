/**
 * Lists of numbers travel packed. Structured cloning walks a plain array
 * element by element and tags each one; a `Float64Array` is copied as one
 * block of memory. For the 125,000 numbers of a `map` chunk that is a round
 * trip of about 4 ms instead of 25 ms here, well worth a pass over the list to
 * check that every element is a number. A Float64Array holds every JavaScript
 * number exactly (-0 and NaN included), so nothing changes on the way.
 */

/** A list as it travels between the pool and a worker. */
export type Packed = readonly unknown[] | Float64Array;

/** Short lists are cheap to clone as they are; checking them is not worth it. */
const PACK_FROM = 256;

/**
 * `list` packed in a Float64Array if every element is a number, else `list`.
 *
 * @example
 * ```ts
 * pack([1, 2, 3]);       // [1, 2, 3]: too short to bother
 * pack(bigListOfNumbers); // a Float64Array
 * ```
 */
export function pack(list: readonly unknown[]): Packed {
  if (list.length < PACK_FROM) return list;
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "number") return list;
  return Float64Array.from(list as readonly number[]);
}

/**
 * The list {@link pack} was given.
 *
 * @example
 * ```ts
 * unpack(pack(values)); // a plain array equal to values
 * ```
 */
export function unpack(packed: Packed): unknown[] {
  if (!(packed instanceof Float64Array)) return packed as unknown[];
  const list = new Array<unknown>(packed.length);
  for (let i = 0; i < packed.length; i++) list[i] = packed[i];
  return list;
}
