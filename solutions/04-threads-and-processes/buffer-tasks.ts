/**
 * Exercise 04.2's tasks, loaded by every worker of a `movingPool`.
 */
import { move } from "./transfer.js";

/** The array the last `double` call handed back, as this worker still sees it. */
let handedBack: Float64Array | undefined;

/** The sum of the values. */
export function sum(data: Float64Array): number {
  let total = 0;
  for (const value of data) total += value;
  return total;
}

/** Sends its argument back, copied. */
export function echo(data: Float64Array): Float64Array {
  return data;
}

/** Sends its argument back, moved. */
export function echoMoved(data: Float64Array): Float64Array {
  return move(data);
}

/** Doubles every value in place and sends the array back, moved or copied. */
export function double(data: Float64Array, moveBack: boolean): Float64Array {
  for (let i = 0; i < data.length; i++) data[i] = (data[i] as number) * 2;
  handedBack = data;
  return moveBack ? move(data) : data;
}

/** How many bytes this worker's copy of the last doubled array still has: 0 once it has moved. */
export function handedBackBytes(): number {
  return handedBack?.byteLength ?? -1;
}

/** Ends the worker under the task. */
export function exitNow(code: number): never {
  process.exit(code);
}
