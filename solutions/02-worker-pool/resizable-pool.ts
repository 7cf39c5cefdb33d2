/**
 * Solution 02.1 · A pool you can resize
 *
 * Growing starts more loops on the shared queue; shrinking sends STOPs that
 * queue behind the work already given, so nothing is dropped.
 */
import { InvalidStateError, SimplePool } from "pools-by-hand";

/** A SimplePool whose number of workers can change while it runs. */
export class ResizablePool extends SimplePool {
  /** Grows or shrinks the pool to `size` workers. */
  resize(size: number): void {
    if (this.state !== "RUN") throw new InvalidStateError("Pool not running");
    if (typeof size !== "number") throw new TypeError(`size must be a number, got ${typeof size}`);
    if (!Number.isSafeInteger(size)) throw new RangeError(`size must be a whole number, got ${size}`);
    if (size < 1) throw new RangeError("Number of processes must be at least 1");
    while (this.size < size) this.addWorker();
    while (this.size > size) this.retireWorker();
  }
}
