/**
 * Solution 02.3 · A bounded queue: applyAsync waits when it is full
 *
 * A bounded AsyncQueue counts the tasks that are queued and not started, and
 * makes callers wait, first come first served, while it is full. close() is
 * put off until every accepted caller has got its task into the pool.
 */
import { AsyncQueue, InvalidStateError, SimplePool, type SimplePoolOptions, type SimplePoolState, type Task } from "pools-by-hand";

/** A SimplePool whose applyAsync waits while `maxQueued` tasks wait to start. */
export class BoundedPool extends SimplePool {
  #room: AsyncQueue<true>;
  #closing = false;
  #waiting = 0;
  #allIn!: () => void;
  #closed = new Promise<void>((resolve) => (this.#allIn = resolve));

  constructor(size: number, maxQueued: number, options: SimplePoolOptions = {}) {
    if (typeof maxQueued !== "number") throw new TypeError(`maxQueued must be a number, got ${typeof maxQueued}`);
    if (!Number.isSafeInteger(maxQueued) || maxQueued < 1) throw new RangeError(`maxQueued must be a whole number of at least 1, got ${maxQueued}`);
    super(size, options);
    this.#room = new AsyncQueue<true>(maxQueued);
  }

  /** "RUN", or "CLOSE" from the moment close() is called. */
  override get state(): SimplePoolState {
    return this.#closing ? "CLOSE" : "RUN";
  }

  /** Resolves once the task is queued, waiting while `maxQueued` tasks wait to start. */
  override applyAsync(task: Task): Promise<void> {
    if (this.#closing) throw new InvalidStateError("Pool not running");
    if (typeof task !== "function") throw new TypeError(`task must be a function, got ${typeof task}`);
    this.#waiting += 1;
    return this.#room.put(true).then(() => {
      super.applyAsync(() => {
        this.#room.getNowait();
        this.#room.taskDone();
        return task();
      });
      this.#waiting -= 1;
      if (this.#closing && this.#waiting === 0) this.#closeNow();
    });
  }

  /** Refuses new tasks; the ones accepted, waiting for room or not, still run. */
  override close(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#waiting === 0) this.#closeNow();
  }

  /** Resolves once every accepted task has finished and the workers have exited. */
  override join(): Promise<void> {
    if (!this.#closing) throw new InvalidStateError("Pool is still running");
    return this.#closed.then(() => super.join());
  }

  #closeNow(): void {
    super.close();
    this.#allIn();
  }
}
